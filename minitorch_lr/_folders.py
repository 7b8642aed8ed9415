"""Folders made for files about to be written, and removed again if the writing fails.

A download into a new cache, or a plot into a new ``out/`` folder, has to create folders
before it writes. If it then fails, or is interrupted, those folders would stay behind,
empty, and a run that failed would still have changed the disk. :func:`created_folders`
creates what is missing and, when its block raises, removes what it created and what is
still empty, deepest first: the disk is left as it was.

Mirrors the clean-up of ``tempfile.TemporaryDirectory`` for folders that are meant to stay
when all goes well. Nothing here knows any other part of the package.
"""

import os
from contextlib import contextmanager
from pathlib import Path

__all__ = ["created_folders"]


@contextmanager
def created_folders(folder):
    """Create ``folder`` and its missing parents for the ``with`` block; yield it as a Path.

    If the block raises (``KeyboardInterrupt`` included), each folder this call created is
    removed again unless something was put in it, and the exception goes on unchanged.
    Folders that existed before are never touched.

    Raises:
        OSError: a folder cannot be created (nothing is left behind then either).
    """
    folder = Path(folder)
    created = []  # deepest first
    ancestor = folder
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        created.append(ancestor)
        ancestor = ancestor.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
    except BaseException:
        for path in created:
            try:
                path.rmdir()
            except OSError:  # not empty (or never made): so are the folders above it
                if path.exists():
                    break
        raise
