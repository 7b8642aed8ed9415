"""MkDocs hooks for this site: code fences that carry options for the docs' test runner.

Every ```` ```python ```` block of these pages runs as a test (pytest-markdown-docs). Two
options steer it: ``continuation`` (run after the block before it, sharing its names) and
``notest`` (show, but do not run: for code that needs a GPU). The Markdown extension that
highlights code (``pymdownx.superfences``) does not accept bare words after the language
and would print such a fence as plain text, so they are removed before the page is
converted. The test runner reads the Markdown files themselves and still sees them.
"""

import re

__all__ = ["on_page_markdown"]

_FENCE_OPTIONS = re.compile(
    r"""^(?P<fence> \s* (?:`{3,}|~{3,}) \s* (?:python|py|python3) )
    (?P<options> (?:[ \t]+ (?:continuation|notest))+ ) [ \t]*$""",
    re.MULTILINE | re.VERBOSE,
)


def on_page_markdown(markdown, **kwargs):
    return _FENCE_OPTIONS.sub(lambda match: match["fence"], markdown)
