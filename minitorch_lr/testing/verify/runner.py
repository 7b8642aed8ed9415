"""Run every property of a torch target on a learner's piece: :func:`verify`.

The command ``minitorch-lr verify FILE.py:NAME --against TORCH_NAME`` prints each result
of :func:`check_file` as it comes; from Python, :func:`verify` returns the whole
:class:`~minitorch_lr.testing.verify.report.Report`.

Mirrors no torch function. Left out: running several pieces at once.
"""

from .loading import load_piece
from .properties import MAX_EXAMPLES, piece_name, run_property
from .report import Report
from .targets import check_kind, properties_for

__all__ = ["check_file", "run_properties", "verify"]


def run_properties(piece, against, max_examples=MAX_EXAMPLES):
    """The result of each property of the torch target ``against`` (a dotted name such
    as ``"torch.nn.Linear"``) on ``piece``: an iterator that runs each property as it is
    asked for the next result, so that results can be printed as they come.

    Raises:
        VerifyUsageError: ``against`` is not a supported target (at once).
    """
    checks = properties_for(against)
    return (run_property(piece, check, max_examples) for check in checks)


def verify(piece, against, max_examples=MAX_EXAMPLES):
    """Check a learner's ``piece`` against the torch target ``against``.

    Args:
        piece: the learner's class (a layer, a loss, an optimizer built as
            ``SGD(params, lr=..., ...)``) or function, as defined in their file or
            notebook.
        against: the torch name, e.g. ``"torch.nn.Linear"`` or
            ``"torch.nn.functional.cross_entropy"``; see
            :data:`~minitorch_lr.testing.verify.targets.SUPPORTED_TARGETS`.
        max_examples: inputs Hypothesis tries per property.

    Returns:
        a :class:`~minitorch_lr.testing.verify.report.Report`; ``print`` it to read it,
        ``report.ok`` is True when every property that ran holds.

    Raises:
        VerifyUsageError: ``against`` is not a supported target, or ``piece`` is not the
            kind of thing it is (a function for a class or the reverse).
    """
    properties_for(against)
    check_kind(piece, against)
    return Report(piece_name(piece), against, list(run_properties(piece, against, max_examples)))


def check_file(spec, against, max_examples=MAX_EXAMPLES):
    """:func:`run_properties` for the piece ``"FILE.py:NAME"``: the target is checked
    first, then the file is loaded, so that a usage error comes before the learner's code
    runs.

    Raises:
        VerifyUsageError: an unsupported target, a piece that cannot be loaded (see
            :func:`~minitorch_lr.testing.verify.loading.load_piece`), or one of the wrong
            kind (:func:`~minitorch_lr.testing.verify.targets.check_kind`).
    """
    checks = properties_for(against)
    piece = load_piece(spec)
    check_kind(piece, against)
    return (run_property(piece, check, max_examples) for check in checks)
