"""Fashion-MNIST's files: downloaded into a folder, read, and a bad copy reported.

All but the last tests run on a tiny stand-in (``fake``) in folders under ``tmp_path``
(``places``), with a stub in place of the network; the last check the real files. Where
the files are looked for is tested in ``test_fashion_mnist_places.py``.
"""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from minitorch_lr.data import IDXError
from minitorch_lr.data.download import DownloadError
from minitorch_lr.data.fashion_mnist_files import (
    FILES,
    MIRRORS,
    fetch_fashion_mnist,
    max_download_bytes,
    read_fashion_mnist,
)
from minitorch_lr.data.fashion_mnist_places import find_fashion_mnist
from tests.data.fake_files import StubOpener


def all_files_in(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def serve(fake, mirror=MIRRORS[0]):
    return {mirror + name: fake.gz[name] for name in fake.files}


def test_fetch_downloads_checked_files_into_the_cache(places, fake):
    opener = StubOpener(serve(fake))
    assert fetch_fashion_mnist(urlopen=opener) == places["cache"]
    assert all_files_in(places["cache"]) == sorted(fake.files)
    for name in fake.files:
        assert (places["cache"] / name).read_bytes() == fake.gz[name]


def test_fetch_falls_back_to_the_second_mirror(places, fake):
    broken = {url: b"\x1f\x8b truncated" for url in serve(fake)}
    opener = StubOpener({**broken, **serve(fake, MIRRORS[1])})
    fetch_fashion_mnist(urlopen=opener)
    assert all_files_in(places["cache"]) == sorted(fake.files)
    assert len(opener.calls) == 2 * len(fake.files)


def test_fetch_into_a_folder_given_creates_it(places, fake, tmp_path):
    folder = tmp_path / "mine" / "data"
    assert fetch_fashion_mnist(folder, urlopen=StubOpener(serve(fake))) == folder
    assert all_files_in(tmp_path) == sorted(fake.files)


def test_fetch_without_network_leaves_no_folder_and_lists_what_failed(places, fake, tmp_path):
    before = all_files_in(tmp_path)
    with pytest.raises(DownloadError) as error:
        fetch_fashion_mnist(urlopen=StubOpener())
    message = str(error.value)
    assert all(mirror in message for mirror in MIRRORS)
    assert not (tmp_path / "xdg-cache").exists()
    assert all_files_in(tmp_path) == before


def test_a_bad_download_is_named_by_its_file_not_by_the_temporary_one(places, fake):
    name = next(iter(fake.files))  # the first one fetched
    with pytest.raises(DownloadError) as error:
        fetch_fashion_mnist(urlopen=StubOpener({MIRRORS[0] + name: b"\x1f\x8b cut"}))
    message = str(error.value)
    assert f"{MIRRORS[0] + name}: downloaded {name}: " in message
    assert ".part" not in message


def test_fetch_keeps_checked_files_and_resumes_with_the_missing_ones(places, fake):
    names = list(fake.files)
    partly = StubOpener({MIRRORS[0] + name: fake.gz[name] for name in names[:2]})
    with pytest.raises(DownloadError):
        fetch_fashion_mnist(urlopen=partly)
    assert all_files_in(places["cache"]) == sorted(names[:2])
    opener = StubOpener(serve(fake))
    fetch_fashion_mnist(urlopen=opener)
    assert opener.calls == [MIRRORS[0] + name for name in names[2:]]
    assert all_files_in(places["cache"]) == sorted(names)


def test_fetch_into_a_cache_that_cannot_be_created_is_an_os_error(places, fake, tmp_path):
    (tmp_path / "xdg-cache").write_bytes(b"a file where the cache folder should be")
    with pytest.raises(OSError, match="xdg-cache"):
        fetch_fashion_mnist(urlopen=StubOpener(serve(fake)))


@pytest.mark.parametrize("shape", [(7, 4, 4), (1000, 28, 28), (60000,)], ids=str)
def test_the_download_cap_holds_any_gzip_of_the_content_even_incompressible(shape):
    header = struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    noise = np.random.default_rng(0).integers(0, 256, int(np.prod(shape)), dtype=np.uint8)
    worst = gzip.compress(header + noise.tobytes())  # random bytes do not compress
    assert len(worst) > len(header) + noise.size
    assert len(worst) <= max_download_bytes(shape)


def test_the_download_cap_of_the_largest_file_is_a_little_above_its_content():
    # The real download is 26,421,880 bytes; its content 47,040,016; a 300 MB reply stops
    # at the cap.
    assert 47_040_016 < max_download_bytes(FILES["train-images-idx3-ubyte.gz"][0]) < 48_000_000


def test_read_returns_the_arrays_as_uint8_tensors(places, fake):
    tensors = read_fashion_mnist(fake.write(places["root"]))
    for tensor, (name, array) in zip(tensors, fake.arrays.items()):
        np.testing.assert_array_equal(tensor.numpy(), array, err_msg=name)


# What each place's message tells the user to do about a bad file found there.
ADVICE = {
    "root": "Replace it with a good copy",
    "env": "Replace it with a good copy",
    "cache": "Delete it; the next load downloads a fresh copy.",
    "system": "Reinstall the package: sudo apt install --reinstall dataset-fashion-mnist.",
}


@pytest.mark.parametrize("place", ["root", "env", "cache", "system"])
def test_a_corrupt_file_is_named_with_what_to_do_where_it_was_found(places, fake, place):
    name = "t10k-images-idx3-ubyte.gz"
    fake.write(places[place])
    (places[place] / name).write_bytes(fake.gz[name][:-20])
    with pytest.raises(IDXError, match="truncated") as error:
        read_fashion_mnist(places[place])
    message = str(error.value)
    assert str(places[place] / name) in message
    assert ADVICE[place] in message
    for other_place, other_advice in ADVICE.items():
        if other_advice != ADVICE[place]:
            assert other_advice not in message, other_place


def test_a_file_with_other_content_fails_its_digest(places, fake):
    name = "train-labels-idx1-ubyte.gz"
    fake.write(places["root"])
    other = bytearray(fake.raw[name])
    other[-1] = (other[-1] + 1) % 10
    (places["root"] / name).write_bytes(gzip.compress(bytes(other)))
    with pytest.raises(IDXError, match="SHA-256") as error:
        read_fashion_mnist(places["root"])
    assert name in str(error.value)


def test_a_file_changed_on_disk_is_read_and_checked_again(places, fake):
    folder = fake.write(places["root"])
    read_fashion_mnist(folder)
    name = "train-images-idx3-ubyte.gz"
    (folder / name).write_bytes(fake.gz[name][:-20])
    with pytest.raises(IDXError, match="truncated"):
        read_fashion_mnist(folder)


# The real files, where present (Debian/Ubuntu: sudo apt install dataset-fashion-mnist).

REAL_FOLDER = find_fashion_mnist()[0]
needs_real_files = pytest.mark.skipif(
    REAL_FOLDER is None,
    reason="Fashion-MNIST not found (install dataset-fashion-mnist or set MINITORCH_LR_DATA)",
)

# Published by Zalando Research for its .gz files, and the time stamps their gzip headers
# carry (compressed on 2017-08-31); the stream after the header is what Debian ships.
UPSTREAM_GZ = {
    "train-images-idx3-ubyte.gz": ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", 1504176606),
    "train-labels-idx1-ubyte.gz": ("25c81989df183df01b3e8a0aad5dffbe", 1504176606),
    "t10k-images-idx3-ubyte.gz": ("bef4ecab320f06d8554ea6380940ec79", 1504176627),
    "t10k-labels-idx1-ubyte.gz": ("bb300cfdad3c16e7a12a480ee83cd310", 1504176627),
}
FNAME_FLAG = 0x08


@pytest.mark.fashion_mnist
@needs_real_files
@pytest.mark.parametrize("name", list(FILES))
def test_real_files_match_their_digests_and_magic_numbers(name):
    shape, sha256 = FILES[name]
    raw = gzip.decompress((REAL_FOLDER / name).read_bytes())
    assert hashlib.sha256(raw).hexdigest() == sha256
    assert raw[:4] == struct.pack(">HBB", 0, 0x08, len(shape))


def _as_upstream_published(name, compressed):
    """The .gz file as upstream published it: a header without the file name (Debian's)
    gets upstream's back, the file name and time stamp; the compressed stream stays."""
    if compressed[3] & FNAME_FLAG:
        return compressed
    _, mtime = UPSTREAM_GZ[name]
    # magic 1f 8b, method 8 (deflate), flags, time stamp, then Debian's own XFL and OS bytes.
    header = struct.pack("<4BI2B", 0x1F, 0x8B, 8, FNAME_FLAG, mtime, *compressed[8:10])
    return header + name.removesuffix(".gz").encode() + b"\0" + compressed[10:]


@pytest.mark.fashion_mnist
@needs_real_files
@pytest.mark.parametrize("name", list(FILES))
def test_real_gz_streams_are_upstreams_published_files(name):
    upstream = _as_upstream_published(name, (REAL_FOLDER / name).read_bytes())
    assert hashlib.md5(upstream).hexdigest() == UPSTREAM_GZ[name][0]
