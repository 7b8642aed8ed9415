"""Every Python block of every page runs as a test (``make test``), including the blocks
inside collapsible notes (``<details markdown>``).

Such a note is raw HTML to the Markdown parser of the docs' test runner, up to the first
blank line: a fence written right below its ``<summary>`` line would be shown on the
site, but read as HTML by the runner and never run. The oracle here is a line scan of the
page, independent of any Markdown parser: a block a reader sees is a block that runs,
unless its fence says ``notest``.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md"))
# A Python fence and the options after its language.
PYTHON_FENCE = re.compile(r"^```(?:python|py|python3)(?P<options>[^\n`]*)$")
# pytest-markdown-docs names each block by the line of its opening fence.
COLLECTED = re.compile(
    r"^docs/(?P<page>[\w-]+\.md)::\[CodeFence#\d+\]\[line:(?P<line>\d+)\]$", re.M
)


def blocks_to_run(text):
    """``(line, in_note)`` of each Python fence without ``notest``; lines count from 1."""
    blocks, in_note = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("<details"):
            in_note = True
        elif line.startswith("</details>"):
            in_note = False
        fence = PYTHON_FENCE.match(line)
        if fence and "notest" not in fence["options"].split():
            blocks.append((number, in_note))
    return blocks


def test_every_python_block_of_every_page_is_collected_those_in_notes_included():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + [str(page.relative_to(ROOT)) for page in PAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    collected = {(match["page"], int(match["line"])) for match in COLLECTED.finditer(result.stdout)}
    expected = {(page.name, line) for page in PAGES for line, _ in blocks_to_run(page.read_text())}
    assert collected == expected
    # The case this guards: some page runs code from inside a collapsible note.
    assert any(in_note for page in PAGES for _, in_note in blocks_to_run(page.read_text()))
