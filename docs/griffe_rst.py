"""A griffe extension that lets the API reference render the reST markup of the docstrings.

The docstrings are Google style (``Args:``, ``Shape:``, ``Returns:``) but write math and
cross-references the Sphinx way, which Markdown does not know. Before mkdocstrings parses
a docstring, this rewrites, in the text only (the source files are not touched):

- ``:math:`x``` to ``$x$`` and a ``.. math::`` directive to a ``$$ ... $$`` block, which
  the ``pymdownx.arithmatex`` extension hands to MathJax;
- ``:class:`~a.b.C```, ``:func:``, ``:mod:`` and the other roles to inline code linked to
  the object's entry in the reference (an optional link: plain code when the object has
  no entry, such as a private helper);
- a paragraph ending in ``::`` (reST's "a literal block follows") to one ending in ``:``,
  and ``Example::`` to a Google ``Examples:`` section, so that ``>>>`` lines are shown as
  highlighted Python sessions;
- the body of a ``Returns:`` section to one description, colons included.

Loaded by ``mkdocs.yml`` (``extensions:`` of the mkdocstrings python handler).
"""

import re

import griffe

__all__ = ["RestMarkup"]

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(?P<target>[^`]+)`")
_INLINE_MATH = re.compile(r":math:`(?P<math>[^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. math::\s*(?P<rest>.*)$")
_EXAMPLE = re.compile(r"^(?P<indent>\s*)Examples?::\s*$")
_RETURNS = re.compile(r"^\s*Returns:\s*$")


def _indent_of(line):
    return len(line) - len(line.lstrip())


def _math_blocks(lines):
    """Turn every ``.. math::`` directive (one line, or an indented block) into ``$$``."""
    result = []
    index = 0
    while index < len(lines):
        match = _MATH_DIRECTIVE.match(lines[index])
        if match is None:
            result.append(lines[index])
            index += 1
            continue
        indent = match["indent"]
        body = [match["rest"]] if match["rest"] else []
        index += 1
        # The directive's body: the following lines indented deeper, blank lines included.
        while index < len(lines) and (
            not lines[index].strip() or _indent_of(lines[index]) > len(indent)
        ):
            body.append(lines[index].strip())
            index += 1
        while body and not body[-1]:
            body.pop()
        # A blank line after the block: what came next starts a new paragraph.
        blank_after = [""] if index < len(lines) and lines[index].strip() else []
        body = [line for line in body if line]
        result += ["", f"{indent}$$", *[indent + line for line in body], f"{indent}$$"]
        result += blank_after
    return result


def _literal_blocks(lines):
    """``Example::`` becomes ``Examples:``; any other paragraph ending in ``::`` ends in ``:``."""
    result = []
    in_examples = False
    for line in lines:
        example = _EXAMPLE.match(line)
        if in_examples and not line.strip():
            # A Google section's body must follow its title directly.
            continue
        in_examples = False
        if example is not None:
            result.append(f"{example['indent']}Examples:")
            in_examples = True
        elif line.rstrip().endswith("::"):
            # "of the other::" would read as a Google section title "of the other:";
            # a full stop keeps it a sentence.
            text = line.rstrip()[:-2]
            result.append(text + (":" if re.search(r"[^\w\s]", text) else "."))
        else:
            result.append(line)
    return result


def _returns_descriptions(lines):
    """Start each ``Returns:`` body with ``: `` so that all of it is read as description.

    The Google parser takes the text before a colon on the first line of a Returns
    section as the returned type ("``(loss, acc)`` as floats: the mean ...");
    these docstrings name no types, so the colon always belongs to the sentence.
    """
    result = []
    after_title = False
    for line in lines:
        if after_title and line.strip():
            indent = line[: _indent_of(line)]
            line = f"{indent}: {line.strip()}"
            after_title = False
        elif _RETURNS.match(line):
            after_title = True
        result.append(line)
    return result


class RestMarkup(griffe.Extension):
    """Rewrite the reST markup of every docstring in the package once it is loaded."""

    def on_package(self, *, pkg, **kwargs):
        self._convert_tree(pkg, seen=set())

    def _convert_tree(self, obj, seen):
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:
            obj.docstring.value = self.convert(obj.docstring.value, obj)
        for member in obj.members.values():
            if not member.is_alias:
                self._convert_tree(member, seen)

    def convert(self, text, obj):
        lines = _returns_descriptions(_literal_blocks(_math_blocks(text.split("\n"))))
        text = "\n".join(lines)
        text = _INLINE_MATH.sub(lambda match: f"${match['math'].strip()}$", text)
        return _ROLE.sub(lambda match: self._reference(match["target"], obj), text)

    def _reference(self, target, obj):
        shown = target.lstrip("~")
        if target.startswith("~"):
            shown = shown.rsplit(".", 1)[-1]
        path = target.lstrip("~")
        if not path.startswith("minitorch_lr"):
            try:
                path = obj.resolve(path.split(".", 1)[0]) + (
                    "." + path.split(".", 1)[1] if "." in path else ""
                )
            except griffe.NameResolutionError:
                return f"`{shown}`"
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'
