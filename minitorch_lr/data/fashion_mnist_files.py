"""Fashion-MNIST's four files: where to find them, how to fetch them, how to check them.

Fashion-MNIST (Zalando Research, MIT license) ships as four gzip-compressed IDX files
(format in :mod:`minitorch_lr.data.idx`)::

    train-images-idx3-ubyte.gz   (60000, 28, 28)
    train-labels-idx1-ubyte.gz   (60000,)
    t10k-images-idx3-ubyte.gz    (10000, 28, 28)
    t10k-labels-idx1-ubyte.gz    (10000,)

Where they are looked for, first complete folder wins: the ``root`` argument,
``$MINITORCH_LR_DATA``, the per-user cache, the system dataset folder
``/usr/share/datasets/fashion-mnist`` (Debian/Ubuntu package ``dataset-fashion-mnist``);
if none holds them, they are downloaded from the upstream mirrors into the per-user cache.

Why digests of the *decompressed* bytes: upstream publishes MD5s of its ``.gz`` files
(``8d4fb7e6c68d591d4c3dfef9ec88bf0d`` for the training images), but Debian's copies carry
a rewritten gzip header (no file name, another time stamp), so their ``.gz`` MD5s differ
although the compressed stream is upstream's, byte for byte: putting back upstream's
header (the file name and the time stamp of 2017-08-31) reproduces all four published
MD5s. The SHA-256s of the content below hold for both copies, and for any faithful
re-compression.

Mirrors the file handling of ``torchvision.datasets.FashionMNIST``; left out: the
uncompressed copies and the ``.pt`` files torchvision keeps beside them.
"""

import os
from pathlib import Path

import torch

from .download import download_file
from .idx import IDXError, read_idx

__all__ = [
    "ENV_VAR",
    "FILES",
    "MIRRORS",
    "SYSTEM_FOLDER",
    "FashionMNISTNotFoundError",
    "cache_folder",
    "fetch_fashion_mnist",
    "find_fashion_mnist",
    "not_found_message",
    "read_fashion_mnist",
]

FILES = {
    "train-images-idx3-ubyte.gz": (
        (60000, 28, 28),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train-labels-idx1-ubyte.gz": (
        (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "t10k-images-idx3-ubyte.gz": (
        (10000, 28, 28),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}
"""``{file name: (shape, SHA-256 of the decompressed IDX bytes)}``, in the order
``load_fashion_mnist`` returns the arrays."""

# Zalando's own hosting: the project's GitHub repository, then its original S3 website.
MIRRORS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
"""The base addresses the files are downloaded from, tried in order."""

SYSTEM_FOLDER = Path("/usr/share/datasets/fashion-mnist")
"""Where the Debian/Ubuntu package ``dataset-fashion-mnist`` puts the four files."""
ENV_VAR = "MINITORCH_LR_DATA"
"""The environment variable that names a folder holding the files."""


class FashionMNISTNotFoundError(FileNotFoundError):
    """No complete copy of Fashion-MNIST anywhere, and none could be downloaded.

    The message lists every place looked in and how to get the data.
    """


def cache_folder():
    """The per-user cache, ``$XDG_CACHE_HOME/minitorch_lr/fashion-mnist`` (by default
    ``~/.cache/minitorch_lr/fashion-mnist``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minitorch_lr" / "fashion-mnist"


def _missing_files(folder):
    return [name for name in FILES if not (folder / name).is_file()]


def find_fashion_mnist(root=None):
    """The first folder holding all four files, and a note on every place looked in.

    ``root`` and ``$MINITORCH_LR_DATA`` are each tried as given, then their
    ``fashion-mnist`` subfolder; then :func:`cache_folder` and :data:`SYSTEM_FOLDER`.

    Returns:
        ``(folder, notes)``: ``folder`` is a ``Path``, or ``None`` when no folder is
        complete; ``notes`` says, one line per place, what was there.
    """
    candidates = []
    for label, value in [("root argument", root), (f"${ENV_VAR}", os.environ.get(ENV_VAR))]:
        if value:
            candidates += [(label, Path(value)), (label, Path(value) / "fashion-mnist")]
        else:
            candidates.append((label, None))
    candidates += [("per-user cache", cache_folder()), ("system folder", SYSTEM_FOLDER)]

    notes = []
    for label, folder in candidates:
        if folder is None:
            notes.append(f"{label}: not given")
        elif not folder.is_dir():
            notes.append(f"{label} {folder}: no such folder")
        elif missing := _missing_files(folder):
            notes.append(f"{label} {folder}: lacks {', '.join(missing)}")
        else:
            return folder, notes
    return None, notes


def not_found_message(notes):
    """The text of :class:`FashionMNISTNotFoundError`: where it looked, what to do."""
    places = "\n".join(f"  - {note}" for note in notes)
    return (
        f"Fashion-MNIST not found. Looked for its four files ({', '.join(FILES)}) in:\n"
        f"{places}\n"
        "To get it, do one of:\n"
        "  - install the Debian/Ubuntu package: sudo apt install dataset-fashion-mnist\n"
        f"  - put the four files in a folder and pass root=FOLDER or set {ENV_VAR}=FOLDER\n"
        f"  - allow the download with network access; the files go to {cache_folder()}"
    )


def fetch_fashion_mnist(notes=(), urlopen=None):
    """Download the files :func:`cache_folder` lacks, each from the first mirror that works.

    Every file is checked before it takes its final name (see
    :func:`~minitorch_lr.data.download.download_file`); files already complete stay,
    so an interrupted fetch resumes where it stopped. ``notes`` (from
    :func:`find_fashion_mnist`) go into the error; ``urlopen`` as in ``download_file``.

    Raises:
        FashionMNISTNotFoundError: a file could not be downloaded. Folders this call
            created are removed again when they are empty.
    """
    folder = cache_folder()
    created = []  # deepest first, to be removed in that order
    ancestor = folder
    while not ancestor.exists():
        created.append(ancestor)
        ancestor = ancestor.parent
    complete = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _missing_files(folder):
            shape, sha256 = FILES[name]
            download_file(
                [mirror + name for mirror in MIRRORS],
                folder / name,
                check=lambda path, shape=shape, sha256=sha256: read_idx(path, shape, sha256),
                urlopen=urlopen,
            )
        complete = True
    # OSError besides DownloadError: the cache folder cannot be created or written.
    except OSError as error:
        notes = [*notes, f"download into {folder}: {error}"]
        raise FashionMNISTNotFoundError(not_found_message(notes)) from error
    finally:
        if not complete:
            for path in created:
                if path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
    return folder


def _how_to_fix(folder):
    if folder == cache_folder():
        return "Delete it; the next load downloads a fresh copy."
    if folder == SYSTEM_FOLDER:
        return "Reinstall the package: sudo apt install --reinstall dataset-fashion-mnist."
    return (
        "Replace it with a good copy (from the Debian/Ubuntu package dataset-fashion-mnist "
        f"or {MIRRORS[0]}), or move the folder's files away so that the search goes on."
    )


# The tensors last read and checked, keyed by each file's (path, size, modification time):
# decompressing takes most of a second, and a changed file is read and checked again.
_last_read = {}


def read_fashion_mnist(folder):
    """The four files in ``folder`` as uint8 tensors, each file fully checked.

    Returns the cached tensors themselves: callers must not change them in place.

    Raises:
        IDXError: a file is truncated, corrupt or not the expected content; the message
            names it and says what to do.
    """
    paths = [Path(folder) / name for name in FILES]
    stats = [path.stat() for path in paths]
    key = tuple((str(path.resolve()), s.st_size, s.st_mtime_ns) for path, s in zip(paths, stats))
    if key not in _last_read:
        tensors = []
        for path in paths:
            shape, sha256 = FILES[path.name]
            try:
                tensors.append(torch.from_numpy(read_idx(path, shape, sha256)))
            except IDXError as error:
                raise IDXError(f"{error}. {_how_to_fix(path.parent)}") from None
        _last_read.clear()
        _last_read[key] = tensors
    return _last_read[key]
