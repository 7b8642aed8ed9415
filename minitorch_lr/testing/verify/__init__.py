"""The engine of ``minitorch-lr verify``: check a learner's own piece against torch.

``verify(MyLinear, "torch.nn.Linear")`` runs the properties of ``torch.nn.Linear`` on a
learner's class and returns a report: one line per property (PASS, FAIL, SKIP, or INFO
for findings that are no verdict), and for each failure the smallest input Hypothesis
found, what torch gives, what the piece gives, and the likely cause.

Read in this order: ``runner.py`` (:func:`verify`), ``properties.py`` (what a property is
and how one runs), ``report.py``, ``diagnoses.py`` (symptoms and their causes),
``calling.py`` (how a piece is called: only the options it takes), ``loading.py``
(``FILE.py:NAME``), ``targets.py``, then one file per kind of piece.
"""

from .loading import VerifyUsageError, load_piece
from .report import Report, Result
from .runner import check_file, run_properties, verify
from .targets import SUPPORTED_TARGETS

__all__ = [
    "SUPPORTED_TARGETS",
    "Report",
    "Result",
    "VerifyUsageError",
    "check_file",
    "load_piece",
    "run_properties",
    "verify",
]
