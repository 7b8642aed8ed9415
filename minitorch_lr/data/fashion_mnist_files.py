"""Fashion-MNIST's four files: their names and digests, fetching them, reading them.

Fashion-MNIST (Zalando Research, MIT license) ships as four gzip-compressed IDX files
(format in :mod:`minitorch_lr.data.idx`)::

    train-images-idx3-ubyte.gz   (60000, 28, 28)
    train-labels-idx1-ubyte.gz   (60000,)
    t10k-images-idx3-ubyte.gz    (10000, 28, 28)
    t10k-labels-idx1-ubyte.gz    (10000,)

Where they are looked for (a folder you name, else the per-user cache and the system
folder) is in :mod:`minitorch_lr.data.fashion_mnist_places`; this file fetches them into
a folder from the upstream mirrors and reads them, each fully checked.

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

import math
import os
from pathlib import Path

import torch

from .._folders import created_folders
from .download import DEADLINE_SECONDS, download_file
from .idx import IDXError, read_idx

__all__ = [
    "FILES",
    "MIRRORS",
    "SYSTEM_FOLDER",
    "cache_folder",
    "fetch_fashion_mnist",
    "max_download_bytes",
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


def cache_folder():
    """The per-user cache, ``$XDG_CACHE_HOME/minitorch_lr/fashion-mnist`` (by default
    ``~/.cache/minitorch_lr/fashion-mnist``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minitorch_lr" / "fashion-mnist"


def max_download_bytes(shape):
    """The most bytes a download of the file holding an array of ``shape`` may take.

    A gzip file is never much larger than what it holds: for data that does not compress
    at all, deflate adds 5 bytes per 64 KiB block and gzip a header of some tens of bytes.
    The cap allows 1 % and 1 KiB more than the IDX bytes (header and pixels): 47.5 MB for
    the training images, whose real download is 26 MB.
    """
    idx_bytes = 4 + 4 * len(shape) + math.prod(shape)
    return idx_bytes + idx_bytes // 100 + 1024


def fetch_fashion_mnist(folder=None, urlopen=None, deadline=DEADLINE_SECONDS):
    """Download the files ``folder`` lacks, each from the first mirror that works.

    ``folder`` (default: :func:`cache_folder`) and its parents are created if missing.
    Every file is checked before it takes its final name (see
    :func:`~minitorch_lr.data.download.download_file`, which also caps its size at
    :func:`max_download_bytes` and its time at ``deadline`` seconds); files already
    complete stay, so an interrupted fetch resumes where it stopped. ``urlopen`` as in
    ``download_file``. Returns the folder. When it fails, the folders it created are
    removed again if they are empty.

    Raises:
        DownloadError: a file could not be downloaded.
        OSError: ``folder`` cannot be created or written.
    """
    folder = cache_folder() if folder is None else Path(folder)
    with created_folders(folder):
        for name, (shape, sha256) in FILES.items():
            if (folder / name).is_file():
                continue
            download_file(
                [mirror + name for mirror in MIRRORS],
                folder / name,
                # Named by the file's name: the temporary file's is of no use to a reader.
                check=lambda path, shape=shape, sha256=sha256, name=name: read_idx(
                    path, shape, sha256, source=f"downloaded {name}"
                ),
                urlopen=urlopen,
                max_bytes=max_download_bytes(shape),
                deadline=deadline,
            )
    return folder


def _how_to_fix(folder):
    if folder == cache_folder():
        return "Delete it; the next load downloads a fresh copy."
    if folder == SYSTEM_FOLDER:
        return "Reinstall the package: sudo apt install --reinstall dataset-fashion-mnist."
    return (
        "Replace it with a good copy (from the Debian/Ubuntu package dataset-fashion-mnist "
        f"or {MIRRORS[0]}), or delete it and allow a download into this folder."
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
