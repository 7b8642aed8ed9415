"""Small IDX files and a tiny stand-in for Fashion-MNIST, written by the tests themselves.

The writer follows the IDX layout byte by byte (magic number, big-endian sizes, data)
with ``struct``, independently of the reader under test.
"""

import gzip
import hashlib
import io
import struct
import urllib.error

import numpy as np

__all__ = ["FakeFashionMNIST", "StubOpener", "idx_bytes", "write_gz"]


def idx_bytes(array, item_type=0x08):
    """The IDX encoding of a uint8 numpy array."""
    header = struct.pack(">HBB", 0, item_type, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_gz(path, raw):
    """Write ``raw`` gzip-compressed to ``path``; return ``path``."""
    path.write_bytes(gzip.compress(raw))
    return path


class FakeFashionMNIST:
    """Four small arrays in the places of Fashion-MNIST's files, with their digests.

    ``files`` has the layout of ``fashion_mnist_files.FILES`` (name: (shape, SHA-256)),
    so that the search, download and checks run unchanged on a few bytes.
    """

    def __init__(self, seed=0, n_train=7, n_test=5, side=4):
        rng = np.random.default_rng(seed)
        self.arrays = {
            "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, side, side), np.uint8),
            "train-labels-idx1-ubyte.gz": rng.integers(0, 10, (n_train,), np.uint8),
            "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, side, side), np.uint8),
            "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, (n_test,), np.uint8),
        }
        self.raw = {name: idx_bytes(array) for name, array in self.arrays.items()}
        self.gz = {name: gzip.compress(raw) for name, raw in self.raw.items()}
        self.files = {
            name: (array.shape, hashlib.sha256(self.raw[name]).hexdigest())
            for name, array in self.arrays.items()
        }

    def write(self, folder, names=None):
        """Write the files (all, or those in ``names``) into ``folder``; return it."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.files if names is None else names:
            (folder / name).write_bytes(self.gz[name])
        return folder


class StubOpener:
    """A stand-in for ``urllib.request.urlopen`` serving bytes from a dict, no network.

    ``served`` maps a URL to bytes, or to an exception to raise; unknown URLs raise
    ``URLError`` as a machine without network does. ``calls`` records each URL asked for.
    """

    def __init__(self, served=None):
        self.served = dict(served or {})
        self.calls = []

    def __call__(self, url, timeout=None):
        self.calls.append(url)
        reply = self.served.get(url, urllib.error.URLError("no network in tests"))
        if isinstance(reply, BaseException):
            raise reply
        return io.BytesIO(reply)
