"""Where Fashion-MNIST is looked for, how it is downloaded and how a bad copy is reported.

All but the last tests run on a tiny stand-in (``fake``) in folders under ``tmp_path``
(``places``), with a stub in place of the network; the last check the real files.
"""

import gzip
import hashlib
import itertools
import struct

import numpy as np
import pytest

from minitorch_lr.data import FashionMNISTNotFoundError, IDXError
from minitorch_lr.data.fashion_mnist_files import (
    FILES,
    MIRRORS,
    cache_folder,
    fetch_fashion_mnist,
    find_fashion_mnist,
    read_fashion_mnist,
)
from tests.data.fake_files import StubOpener

ORDER = ["root", "env", "cache", "system"]


def all_files_in(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "present", [c for c in itertools.product([False, True], repeat=4) if any(c)], ids=str
)
def test_the_first_complete_place_in_search_order_wins(places, fake, monkeypatch, present):
    for place, is_present in zip(ORDER, present):
        if is_present:
            fake.write(places[place])
    monkeypatch.setenv("MINITORCH_LR_DATA", str(places["env"]))
    folder, _ = find_fashion_mnist(root=places["root"])
    assert folder == places[ORDER[present.index(True)]]


@pytest.mark.parametrize("place", ["root", "env"])
def test_root_and_the_variable_may_name_a_parent_of_fashion_mnist(places, fake, monkeypatch, place):
    fake.write(places[place] / "fashion-mnist")
    monkeypatch.setenv("MINITORCH_LR_DATA", str(places["env"]))
    assert find_fashion_mnist(root=places["root"])[0] == places[place] / "fashion-mnist"


def test_an_incomplete_folder_is_skipped_and_its_missing_files_noted(places, fake):
    names = list(fake.files)
    fake.write(places["root"], names[:3])
    fake.write(places["system"])
    folder, notes = find_fashion_mnist(root=places["root"])
    assert folder == places["system"]
    assert any(str(places["root"]) in note and names[3] in note for note in notes)


def test_an_empty_variable_counts_as_unset(places, fake, monkeypatch):
    monkeypatch.setenv("MINITORCH_LR_DATA", "")
    folder, notes = find_fashion_mnist()
    assert folder is None
    assert "$MINITORCH_LR_DATA: not given" in notes


def test_the_cache_follows_xdg_cache_home_else_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "minitorch_lr" / "fashion-mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "minitorch_lr" / "fashion-mnist"


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


def test_fetch_without_network_leaves_no_folder_and_lists_what_failed(places, fake, tmp_path):
    before = all_files_in(tmp_path)
    with pytest.raises(FashionMNISTNotFoundError) as error:
        fetch_fashion_mnist(["root argument: not given"], urlopen=StubOpener())
    message = str(error.value)
    assert "root argument: not given" in message
    assert all(mirror in message for mirror in MIRRORS)
    assert not (tmp_path / "xdg-cache").exists()
    assert all_files_in(tmp_path) == before


def test_fetch_keeps_checked_files_and_resumes_with_the_missing_ones(places, fake):
    names = list(fake.files)
    partly = StubOpener({MIRRORS[0] + name: fake.gz[name] for name in names[:2]})
    with pytest.raises(FashionMNISTNotFoundError):
        fetch_fashion_mnist(urlopen=partly)
    assert all_files_in(places["cache"]) == sorted(names[:2])
    opener = StubOpener(serve(fake))
    fetch_fashion_mnist(urlopen=opener)
    assert opener.calls == [MIRRORS[0] + name for name in names[2:]]
    assert all_files_in(places["cache"]) == sorted(names)


def test_fetch_into_a_cache_that_cannot_be_created_is_one_clear_error(places, fake, tmp_path):
    (tmp_path / "xdg-cache").write_bytes(b"a file where the cache folder should be")
    with pytest.raises(FashionMNISTNotFoundError, match="download into"):
        fetch_fashion_mnist(urlopen=StubOpener(serve(fake)))


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


@pytest.mark.parametrize("place", ORDER)
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
