"""The argument checks shared by the chapter's parts: one rule, one check, one message.

Every part outside ``nn`` and ``optim`` (whose messages are torch's own) refuses a bad
count, rate or output path with these functions, so the same mistake reads the same
wherever it is made: ``batch_size must be a positive integer, got 0``. Each check takes
the exception type its caller has always raised (``ValueError`` unless said otherwise),
and returns the value, so a check reads as an assignment.

Nothing here knows any other part of the package.
"""

import math
import numbers
import os
from pathlib import Path

__all__ = ["non_negative_number", "positive_int", "positive_number", "writable_file"]


def positive_int(value, name, error=ValueError):
    """``value`` if it is an int of at least 1 (``True`` is not a count), else ``error``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise error(f"{name} must be a positive integer, got {value!r}")
    return value


def positive_number(value, name, error=ValueError):
    """``value`` if it is a finite real number above 0, else ``error``."""
    if not _is_real(value) or not 0 < value < math.inf:
        raise error(f"{name} must be a positive number, got {value!r}")
    return value


def non_negative_number(value, name, error=ValueError):
    """``value`` if it is a finite real number of at least 0, else ``error``."""
    if not _is_real(value) or not 0 <= value < math.inf:
        raise error(f"{name} must be a number >= 0, got {value!r}")
    return value


def writable_file(path, name):
    """``path`` as a ``Path`` whose folder exists and can be written, and which is not a
    folder itself: checked before the work that ends by writing it, maybe hours later.

    Raises:
        FileNotFoundError: the folder does not exist.
        NotADirectoryError: what should be the folder is a file.
        IsADirectoryError: ``path`` is a folder.
        PermissionError: the folder cannot be written.
    """
    path = Path(path)
    folder = path.parent
    prefix = f"cannot write {name} to {str(path)!r}"
    if not folder.exists():
        raise FileNotFoundError(f"{prefix}: folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise NotADirectoryError(f"{prefix}: {str(folder)!r} is not a folder")
    if path.is_dir():
        raise IsADirectoryError(f"{prefix}: it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{prefix}: folder {str(folder)!r} is not writable")
    return path


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
