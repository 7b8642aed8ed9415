"""What verify found, as data and as text: one result per property, and the report.

A property ends in one of four ways: ``PASS`` (it held on every input tried), ``FAIL``
(with the smallest input found, what torch gives there, what the piece gives, and a
likely cause), ``SKIP`` (the piece does not take an option the property needs, with the
reason) or ``INFO`` (a finding that is not a verdict, such as whether the same seed gives
torch's bits). Only a ``FAIL`` makes the report fail.

Mirrors no torch function. Left out: machine-readable output (the objects are there for
scripts).
"""

from dataclasses import dataclass, field

import torch

__all__ = ["FAIL", "INFO", "PASS", "SKIP", "Mismatch", "Report", "Result", "describe"]

PASS, FAIL, SKIP, INFO = "PASS", "FAIL", "SKIP", "INFO"
CAUSE_UNKNOWN = "cause unknown"
# Tensors up to this many elements are printed whole; larger ones by their first values.
_PRINTED_WHOLE = 24
_INDENT = " " * 6


@dataclass(frozen=True)
class Mismatch:
    """Where a property failed: the smallest input (described in words), what differs,
    torch's value and the piece's value (described), and a function of no arguments
    that returns the likely cause, or None. The diagnosis runs only for the input that is
    reported, since it may call the piece again."""

    example: str
    what: str
    torch_gives: str
    piece_gives: str
    diagnose: object = None


@dataclass(frozen=True)
class Result:
    """One property's outcome: ``status`` (PASS, FAIL, SKIP or INFO), its ``name``, a
    ``detail`` (the reason for a SKIP, the finding of an INFO) and, for a FAIL, the
    :class:`Mismatch` and the diagnosis sentence (None: cause unknown)."""

    status: str
    name: str
    detail: str = ""
    mismatch: Mismatch = None
    diagnosis: str = None

    def lines(self):
        """The result as the command prints it: one line, and for a FAIL the details."""
        head = f"{self.status}  {self.name}"
        if self.detail:
            head += f" ({self.detail})" if self.status == SKIP else f": {self.detail}"
        if self.mismatch is None:
            return [head]
        rows = [
            ("smallest input", self.mismatch.example),
            ("what differs", self.mismatch.what),
            ("torch gives", self.mismatch.torch_gives),
            ("yours gives", self.mismatch.piece_gives),
            ("likely cause", self.diagnosis or CAUSE_UNKNOWN),
        ]
        lines = [head]
        for label, text in rows:
            first, *rest = str(text).splitlines() or [""]
            lines.append(f"{_INDENT}{label + ':':<16}{first}")
            lines += [f"{_INDENT}{'':<16}{line}" for line in rest]
        return lines


@dataclass
class Report:
    """All results for one piece against one torch target."""

    piece: str
    target: str
    results: list = field(default_factory=list)

    def count(self, status):
        """How many results have ``status``."""
        return sum(result.status == status for result in self.results)

    @property
    def ok(self):
        """True when no property failed (skips and information do not count)."""
        return self.count(FAIL) == 0

    @property
    def exit_code(self):
        """The command's exit code: 0 when every property that ran holds, 1 otherwise."""
        return 0 if self.ok else 1

    def summary(self):
        """The last line: how many passed, failed and were skipped."""
        return f"{self.count(PASS)} passed, {self.count(FAIL)} failed, {self.count(SKIP)} skipped"

    def __str__(self):
        lines = [f"{self.piece} against {self.target}"]
        for result in self.results:
            lines += result.lines()
        return "\n".join([*lines, self.summary()])


def describe(value):
    """A short text for a value in a report: a tensor with its values (rounded to 6
    significant digits), shape and dtype; an exception by its type and message; a
    string as it is."""
    if isinstance(value, str):
        return value
    if isinstance(value, BaseException):
        lines = str(value).strip().splitlines()
        raised = f"raises {type(value).__name__}"
        return f"{raised}: {lines[0]}" if lines else raised
    if not isinstance(value, torch.Tensor):
        return repr(value)
    value = value.detach().cpu()
    where = f"shape {tuple(value.shape)}, {str(value.dtype).removeprefix('torch.')}"
    if value.numel() <= _PRINTED_WHOLE:
        return f"{_nested(value.tolist())} ({where})"
    first = ", ".join(_number(number) for number in value.flatten()[:6].tolist())
    return f"[{first}, ...] ({where})"


def _nested(values):
    if isinstance(values, list):
        return "[" + ", ".join(_nested(item) for item in values) + "]"
    return _number(values)


def _number(number):
    return f"{number:.6g}" if isinstance(number, float) else str(number)
