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

__all__ = ["non_negative_number", "positive_int", "positive_number", "seed", "writable_file"]

# The seeds torch.Generator.manual_seed takes: a signed or an unsigned 64-bit integer.
SEED_RANGE = (-(2**63), 2**64 - 1)


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


def seed(value, name):
    """``value`` if it is an int that ``torch.Generator.manual_seed`` takes, else
    ``ValueError`` (torch's own message for a big one is "Overflow when unpacking long
    long", which names neither the argument nor the range)."""
    low, high = SEED_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from -2**63 to 2**64 - 1, got {value!r}")
    return value


def writable_file(path, name, missing_folders=False):
    """``path`` as a ``Path`` whose folder exists and can be written, and which is not a
    folder itself: checked before the work that ends by writing it, maybe hours later.

    With ``missing_folders=True`` the folder may not exist yet, as long as it can be
    created: the nearest of its ancestors that exists is a folder that can be written.
    Nothing is created here.

    Raises:
        FileNotFoundError: the folder does not exist (and may not be missing).
        NotADirectoryError: what should be the folder, or one of its ancestors, is a file.
        IsADirectoryError: ``path`` is a folder.
        PermissionError: the folder (or the ancestor to create it in) cannot be written.
    """
    path = Path(path)
    prefix = f"cannot write {name} to {str(path)!r}"
    # os.path answers False where pathlib raises (a folder that may not be searched).
    if os.path.isdir(path):
        raise IsADirectoryError(f"{prefix}: it is a folder")
    folder = path.parent
    # lexists: a link to nowhere counts as there, so that it is refused below rather than
    # taken for a folder that can be created.
    while missing_folders and not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    if not os.path.lexists(folder):
        raise FileNotFoundError(f"{prefix}: folder {str(folder)!r} does not exist")
    if not os.path.isdir(folder):
        raise NotADirectoryError(f"{prefix}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{prefix}: folder {str(folder)!r} is not writable")
    return path


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
