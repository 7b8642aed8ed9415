"""Make a Jupyter notebook of every tutorial page: ``make notebooks``.

    python docs/make_notebooks.py [--out notebooks]

The pages in ``docs/`` are the one source: each becomes ``notebooks/NN-page.ipynb``
(``NN`` its place in the reading order of ``mkdocs.yml``), its Python blocks code cells
and the rest Markdown cells, with five changes for Jupyter: the options the docs' test
runner reads from a fence (``continuation``, ``notest``) are dropped, links into the API
reference (``[`Linear`][minitorch_lr.nn.Linear]``) become plain code, since a notebook has
no reference to link to, images point back into ``docs/``, shell commands stay text
to read, not cells to run, and a collapsible note (``<details markdown>`` with a
``<summary>``) opens into its summary in bold and its content, since a note cannot hold
the code cells of its content. The notebooks are made,
not kept: ``notebooks/`` is not part of the repository.
"""

import argparse
import os
import re
from pathlib import Path

import jupytext
import yaml

__all__ = ["main", "notebook_of", "tutorial_pages"]

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# An API-reference link [`text`][minitorch_lr.x.y] (or [text][...]): keep the text.
_REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\]\[minitorch_lr[\w.]*\]")
# An image or link to a file of docs/, relative to the page: ](figures/x.png)
_LOCAL_FILE = re.compile(r"\]\((?P<path>(?!https?:|#)[\w./-]+\.(?:png|svg|jpg))\)")
# A fence of shell commands: shown as text in the notebook, not run as a %%bash cell.
_SHELL_FENCE = re.compile(r"^(?P<fence>\s*```)(?:bash|sh|shell|console)\s*$", re.M)
# A collapsible note: `<details class="note" markdown>` then `<summary>Title</summary>`, its
# content, and `</details>` on a line of its own.
_DETAILS_OPEN = re.compile(
    r"^<details\b[^>\n]*>[ \t]*\n<summary>(?P<title>[^<\n]*)</summary>", re.M
)
_DETAILS_CLOSE = re.compile(r"^</details>[ \t]*\n", re.M)


def tutorial_pages():
    """The tutorial pages in reading order, from the nav of ``mkdocs.yml``."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for section in config["nav"]:
        if "Tutorial" in section:
            return [DOCS / next(iter(entry.values())) for entry in section["Tutorial"]]
    raise ValueError("mkdocs.yml has no Tutorial section in its nav")


def notebook_of(page, relative_docs="../docs"):
    """The notebook of one page; image paths are rewritten relative to the notebook."""
    text = page.read_text(encoding="utf-8")
    text = _DETAILS_OPEN.sub(lambda match: f"**{match['title']}**", text)
    text = _DETAILS_CLOSE.sub("", text)
    text = _REFERENCE.sub(lambda match: match["text"], text)
    text = _LOCAL_FILE.sub(lambda match: f"]({relative_docs}/{match['path']})", text)
    text = _SHELL_FENCE.sub(lambda match: f"{match['fence']}text", text)
    notebook = jupytext.reads(text, fmt="md")
    for cell in notebook.cells:
        cell.metadata.pop("continuation", None)
        cell.metadata.pop("notest", None)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "notebooks")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    # Images are found from the notebook's folder, wherever it is.
    relative_docs = Path(os.path.relpath(DOCS, args.out.resolve())).as_posix()
    for number, page in enumerate(tutorial_pages(), start=1):
        path = args.out / f"{number:02d}-{page.stem}.ipynb"
        jupytext.write(notebook_of(page, relative_docs), path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
