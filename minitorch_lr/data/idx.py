"""IDX files: the plain array format of MNIST and Fashion-MNIST, read with numpy.

An IDX file is a four-byte magic number, one size per dim, then the items::

    bytes 0-1   zero
    byte  2     item type; 0x08 = unsigned byte, the only type these datasets use
    byte  3     number of dims d
    4 d bytes   the d sizes, big-endian uint32
    the rest    prod(sizes) items, row-major (the last dim varies fastest)

Read as one big-endian integer the magic number is 0x0801 = 2049 for a label file (one
dim: N) and 0x0803 = 2051 for an image file (three dims: N, rows, columns). The files
travel gzip-compressed (``.gz``).

Mirrors the reading half of torchvision's ``read_sn3_pascalvincent_tensor``. Left out: the
other item types (signed byte, short, int, float, double) and uncompressed files.
"""

import gzip
import hashlib
import math
import zlib

import numpy as np

__all__ = ["IDXError", "parse_idx", "read_idx", "read_gzip"]

UNSIGNED_BYTE = 0x08


class IDXError(ValueError):
    """An IDX file that cannot be used: not gzip, cut short, or not the expected array.

    The message names the file and what is wrong with it.
    """


def read_gzip(path, source=None):
    """The decompressed bytes of the gzip file at ``path``.

    ``source`` names the file in error messages (default: the path). A missing file
    raises ``FileNotFoundError``; a file that is not gzip, is cut short or is corrupt
    raises :class:`IDXError`.
    """
    source = str(path) if source is None else source
    with open(path, "rb") as file:
        compressed = file.read()
    if not compressed:
        raise IDXError(f"{source}: empty file (0 bytes), as after a failed copy")
    try:
        return gzip.decompress(compressed)
    except EOFError:
        problem = (
            f"truncated: the gzip stream ends early ({len(compressed)} compressed bytes "
            "on disk), as after an interrupted copy or download"
        )
    except (gzip.BadGzipFile, zlib.error) as error:
        problem = f"not a valid gzip file ({error})"
    raise IDXError(f"{source}: {problem}")


def parse_idx(raw, source="<bytes>", shape=None):
    """The array held by the IDX bytes ``raw``, as a new writable numpy uint8 array.

    Checks the magic number, that the data is exactly as long as the sizes in the header
    say and, when ``shape`` is given, that the array has that shape (which fixes the
    expected magic number too: 0x0800 plus the number of dims). ``source`` names the
    file in error messages.
    """
    if len(raw) < 4:
        raise IDXError(f"{source}: {len(raw)} bytes, too short to hold an IDX magic number")
    magic = int.from_bytes(raw[:4], "big")
    zero, item_type, ndim = int.from_bytes(raw[:2], "big"), raw[2], raw[3]
    if shape is None:
        valid = zero == 0 and item_type == UNSIGNED_BYTE
        wanted = "0x000008NN (unsigned bytes, NN dims)"
    else:
        expected_magic = (UNSIGNED_BYTE << 8) | len(shape)
        valid = magic == expected_magic
        wanted = f"{expected_magic:#010x} (unsigned bytes, {len(shape)} dims)"
    if not valid:
        raise IDXError(
            f"{source}: wrong magic number {magic:#010x}, expected {wanted}; "
            "this is not the IDX file it should be"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise IDXError(f"{source}: the header lists {ndim} dims but the file ends within it")
    sizes = tuple(int.from_bytes(raw[4 + 4 * k : 8 + 4 * k], "big") for k in range(ndim))
    if shape is not None and sizes != tuple(shape):
        raise IDXError(f"{source}: array of shape {sizes}, expected {tuple(shape)}")
    data_size = len(raw) - header_size
    if data_size != math.prod(sizes):
        raise IDXError(
            f"{source}: the header's shape {sizes} needs {math.prod(sizes)} data bytes, "
            f"but the file holds {data_size}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(sizes).copy()


def read_idx(path, shape=None, sha256=None, source=None):
    """Read the gzip-compressed IDX file at ``path`` into a numpy uint8 array.

    Args:
        path: the ``.gz`` file.
        shape: the array's expected shape, checked against the header.
        sha256: the expected SHA-256 hex digest of the *decompressed* bytes. Hashing the
            content rather than the ``.gz`` file accepts any faithful copy, whatever its
            gzip header (name, time stamp) says.
        source: how error messages name the file (default: the path).

    Raises:
        FileNotFoundError: no file at ``path``.
        IDXError: not gzip, truncated, corrupt, wrong magic number, sizes that do not
            match the data or ``shape``, or content that does not match ``sha256``.
    """
    source = str(path) if source is None else source
    raw = read_gzip(path, source)
    array = parse_idx(raw, source, shape)
    if sha256 is not None:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != sha256:
            raise IDXError(
                f"{source}: content differs from the known file (SHA-256 of the "
                f"decompressed bytes is {digest}, expected {sha256})"
            )
    return array
