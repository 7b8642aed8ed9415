"""The tutorial pages as Jupyter notebooks (``make notebooks``): one per page, made from
the page itself, and the softmax-regression one runs from its first cell to its last."""

import re
import sys
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext", reason="the docs extras make the notebooks")
nbclient = pytest.importorskip("nbclient", reason="the docs extras run the notebooks")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import make_notebooks  # noqa: E402 (docs/ is not a package)

sys.path.pop(0)


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    assert make_notebooks.main(["--out", str(out)]) == 0
    return out


def test_every_tutorial_page_becomes_a_notebook_in_reading_order(notebooks):
    pages = make_notebooks.tutorial_pages()
    names = sorted(path.name for path in notebooks.glob("*.ipynb"))
    assert names == [f"{n:02d}-{page.stem}.ipynb" for n, page in enumerate(pages, start=1)]


@pytest.mark.parametrize("page", make_notebooks.tutorial_pages(), ids=lambda page: page.stem)
def test_a_notebook_has_the_pages_python_blocks_as_cells_and_no_reference_links(page):
    notebook = make_notebooks.notebook_of(page)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    blocks = re.findall(r"^```python[^\n]*\n(.*?)^```", page.read_text(), re.M | re.S)
    assert [source.strip() for source in code] == [block.strip() for block in blocks]
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "][minitorch_lr" not in markdown
    assert all(not cell.metadata for cell in notebook.cells if cell.cell_type == "code")


def test_a_collapsible_note_opens_into_its_title_and_its_content_with_code_cells(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Before.\n\n"
        '<details class="note" markdown>\n'
        "<summary>How the files are checked</summary>\n\n"
        "A digest of the content.\n\n"
        "```python\n"
        "digest = 1\n"
        "```\n\n"
        "</details>\n\n"
        "After.\n"
    )
    notebook = make_notebooks.notebook_of(page)
    markdown = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code == ["digest = 1"]
    assert markdown == [
        "Before.\n\n**How the files are checked**\n\nA digest of the content.",
        "After.",
    ]


def test_the_softmax_regression_notebook_runs_end_to_end(notebooks):
    (path,) = notebooks.glob("*-softmax-regression.ipynb")
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": notebooks}}
    )
    client.execute()
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]
    printed = "".join(output.get("text", "") for output in outputs)
    assert "EpochRecord(epoch=3" in printed
