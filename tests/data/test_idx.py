"""The IDX reader on files the tests write: good ones read back exactly, bad ones raise
``IDXError`` (or ``FileNotFoundError``) naming the file."""

import gzip
import hashlib
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.data.idx import IDXError, parse_idx, read_gzip, read_idx
from minitorch_lr.testing.strategies import seeds
from tests.data.fake_files import idx_bytes, write_gz

idx_shapes = st.lists(st.integers(0, 5), min_size=1, max_size=3).map(tuple)


def random_array(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@given(shape=idx_shapes, seed=seeds)
def test_read_idx_reads_back_the_written_array(tmp_path_factory, shape, seed):
    array = random_array(shape, seed)
    path = write_gz(tmp_path_factory.mktemp("idx") / "a.gz", idx_bytes(array))
    result = read_idx(path, shape=shape)
    assert result.dtype == np.uint8
    assert result.flags.writeable
    np.testing.assert_array_equal(result, array)


def test_read_idx_accepts_the_sha256_of_the_decompressed_bytes(tmp_path):
    raw = idx_bytes(random_array((3, 2, 2), 0))
    path = write_gz(tmp_path / "a.gz", raw)
    np.testing.assert_array_equal(
        read_idx(path, sha256=hashlib.sha256(raw).hexdigest()), parse_idx(raw)
    )


def test_read_idx_rejects_other_content_and_shows_both_digests(tmp_path):
    raw = idx_bytes(random_array((3, 2, 2), 0))
    path = write_gz(tmp_path / "a.gz", raw)
    other = hashlib.sha256(b"other content").hexdigest()
    with pytest.raises(IDXError, match="SHA-256") as error:
        read_idx(path, sha256=other)
    assert str(path) in str(error.value)
    assert other in str(error.value)
    assert hashlib.sha256(raw).hexdigest() in str(error.value)


def test_missing_file_raises_file_not_found_naming_it(tmp_path):
    path = tmp_path / "absent-idx1-ubyte.gz"
    with pytest.raises(FileNotFoundError, match="absent-idx1-ubyte.gz"):
        read_idx(path)


def test_empty_file_is_reported_as_empty(tmp_path):
    path = tmp_path / "empty.gz"
    path.write_bytes(b"")
    with pytest.raises(IDXError, match="empty file") as error:
        read_gzip(path)
    assert str(path) in str(error.value)


@given(data=st.data())
def test_every_truncated_gzip_file_raises_naming_the_file(tmp_path_factory, data):
    compressed = gzip.compress(idx_bytes(random_array((4, 3, 3), data.draw(seeds))))
    cut = data.draw(st.integers(1, len(compressed) - 1), label="bytes kept")
    path = tmp_path_factory.mktemp("idx") / "cut.gz"
    path.write_bytes(compressed[:cut])
    with pytest.raises(IDXError, match="truncated|not a valid gzip") as error:
        read_idx(path)
    assert str(path) in str(error.value)


@given(data=st.data())
def test_a_changed_byte_in_the_compressed_stream_is_caught(tmp_path_factory, data):
    compressed = bytearray(gzip.compress(idx_bytes(random_array((4, 3, 3), data.draw(seeds)))))
    # Bytes 0-9 are the gzip header (a time stamp among them, which nothing checks), and
    # the last deflate byte, just before the 8-byte trailer, may end in unused padding bits.
    position = data.draw(
        st.integers(10, len(compressed) - 1).filter(lambda p: p != len(compressed) - 9),
        label="changed byte",
    )
    compressed[position] ^= data.draw(st.integers(1, 255), label="xor mask")
    path = tmp_path_factory.mktemp("idx") / "corrupt.gz"
    path.write_bytes(bytes(compressed))
    with pytest.raises(IDXError) as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_a_file_that_is_not_gzip_is_reported(tmp_path):
    path = tmp_path / "plain.gz"
    path.write_bytes(idx_bytes(random_array((2, 2), 0)))
    with pytest.raises(IDXError, match="not a valid gzip file") as error:
        read_idx(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "header, expected_shape",
    [
        (struct.pack(">HBB", 0, 0x0D, 1), None),  # item type float instead of ubyte
        (struct.pack(">HBB", 1, 0x08, 1), None),  # first two bytes not zero
        (struct.pack(">HBB", 0, 0x08, 1), (1, 1, 1)),  # a label file where images belong
        (struct.pack(">HBB", 0, 0x08, 3), (1,)),  # an image file where labels belong
    ],
)
def test_wrong_magic_number_is_reported(tmp_path, header, expected_shape):
    ndim = header[3]
    raw = header + struct.pack(f">{ndim}I", *([1] * ndim)) + b"\x07"
    path = write_gz(tmp_path / "magic.gz", raw)
    with pytest.raises(IDXError, match="wrong magic number") as error:
        read_idx(path, shape=expected_shape)
    assert str(path) in str(error.value)
    assert f"{int.from_bytes(header, 'big'):#010x}" in str(error.value)


def test_other_sizes_than_expected_are_reported_with_both_shapes(tmp_path):
    path = write_gz(tmp_path / "dims.gz", idx_bytes(random_array((3, 28, 27), 0)))
    with pytest.raises(IDXError, match=r"shape \(3, 28, 27\), expected \(3, 28, 28\)"):
        read_idx(path, shape=(3, 28, 28))


@pytest.mark.parametrize("change", [-1, +1])
def test_data_shorter_or_longer_than_the_header_says_is_reported(tmp_path, change):
    raw = idx_bytes(random_array((3, 4, 4), 0))
    raw = raw[:change] if change < 0 else raw + b"\x00" * change
    path = write_gz(tmp_path / "size.gz", raw)
    with pytest.raises(IDXError, match=f"needs 48 data bytes, but the file holds {48 + change}"):
        read_idx(path, shape=(3, 4, 4))


def test_a_header_cut_within_the_sizes_is_reported(tmp_path):
    path = write_gz(tmp_path / "header.gz", struct.pack(">HBBI", 0, 0x08, 3, 60000))
    with pytest.raises(IDXError, match="lists 3 dims but the file ends within it"):
        read_idx(path)


def test_source_names_the_file_in_messages(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(IDXError, match="^https://mirror/x.gz: "):
        read_idx(path, source="https://mirror/x.gz")
