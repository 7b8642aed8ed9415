"""The documentation site, built as `make docs` builds it: nothing on any page comes from
another host, so the site, its formulas included, works without a network.

Links to other sites (`<a href>`) are fine; what a page *loads* is not: scripts,
stylesheets, images, fonts, frames, and `url(...)` inside the site's CSS.
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("mkdocs", reason="the docs extras (pip install -e '.[docs]') build the site")

ROOT = Path(__file__).resolve().parent.parent
# (tag, attribute) pairs by which a page loads something.
LOADING = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("link", "href"),  # stylesheets, icons, preloads; plain links use <a>
}
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)")


def is_remote(url):
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or parsed.scheme in ("http", "https")


class LoadedAssets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in LOADING and value:
                self.urls.append(value)
            if name == "style" and value:
                self.urls += [match["url"] for match in CSS_URL.finditer(value)]


def remote_assets(site):
    """``{file: [remote URLs it loads]}`` for every HTML and CSS file of ``site``."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            parser = LoadedAssets()
            parser.feed(path.read_text(encoding="utf-8"))
            urls = parser.urls
        elif path.suffix == ".css":
            urls = [match["url"] for match in CSS_URL.finditer(path.read_text(encoding="utf-8"))]
        else:
            continue
        remote = [url for url in urls if is_remote(url)]
        if remote:
            found[str(path.relative_to(site))] = remote
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_no_page_loads_anything_from_another_host(site):
    assert remote_assets(site) == {}


def test_the_math_renderer_and_its_fonts_are_part_of_the_site(site):
    mathjax = site / "javascripts" / "mathjax"
    assert (mathjax / "tex-mml-chtml.js").stat().st_size > 1_000_000
    assert len(list((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))) > 20
    page = (site / "losses" / "index.html").read_text(encoding="utf-8")
    assert "javascripts/mathjax/tex-mml-chtml.js" in page
    assert 'class="arithmatex"' in page  # formulas marked for it to typeset


def autoloaded_extensions(mathjax_script):
    """The TeX extensions MathJax fetches the first time a page uses one of their macros
    (``\\boldsymbol`` loads ``boldsymbol.js``): the keys of its ``autoload`` option."""
    found = re.search(r"options:\{autoload:\(0,\w+\.expandable\)\(\{(.*?)\}\)", mathjax_script)
    assert found, "the autoload table was not found in the MathJax script"
    return re.findall(r'(?:^|,)"?(\w+)"?:\[', found.group(1))


def test_every_extension_mathjax_may_load_on_demand_is_part_of_the_site(site):
    # A missing one is fetched anyway, fails, and the page's math after it stays raw.
    mathjax = site / "javascripts" / "mathjax"
    extensions = autoloaded_extensions((mathjax / "tex-mml-chtml.js").read_text(encoding="utf-8"))
    assert "boldsymbol" in extensions  # linear-regression.md uses it
    folder = mathjax / "input" / "tex" / "extensions"
    assert [name for name in extensions if not (folder / f"{name}.js").is_file()] == []


def test_the_check_finds_a_remote_script_a_stylesheet_an_image_and_a_css_font(tmp_path):
    (tmp_path / "page.html").write_text(
        '<script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/a.css">'
        '<img src="http://example.org/i.png"><a href="https://example.org/">a link</a>'
        '<script src="../local.js"></script>'
    )
    (tmp_path / "style.css").write_text("@font-face { src: url('https://example.org/f.woff2'); }")
    assert remote_assets(tmp_path) == {
        "page.html": [
            "https://cdn.example.org/x.js",
            "//fonts.example.org/a.css",
            "http://example.org/i.png",
        ],
        "style.css": ["https://example.org/f.woff2"],
    }
