"""Where Fashion-MNIST is looked for: a named folder alone, else the search order; what
each place holds; the one-line error in either wording; downloads into the right folder.

All run on a tiny stand-in (``fake``) in folders under ``tmp_path`` (``places``), with a
stub in place of the network.
"""

import itertools
import os
import time

import pytest

from minitorch_lr.data import FashionMNISTNotFoundError, fashion_mnist_folder
from minitorch_lr.data.fashion_mnist_files import MIRRORS
from minitorch_lr.data.fashion_mnist_places import (
    PYTHON_WORDING,
    Wording,
    find_fashion_mnist,
)
from tests.data.fake_files import StubOpener

COMMAND_LINE = Wording("--data-dir", "pass --data-dir DIR", "--no-download", "run without it")


def serve(fake):
    return StubOpener({MIRRORS[0] + name: fake.gz[name] for name in fake.files})


# --- the search order, when no folder is named ---------------------------------------


@pytest.mark.parametrize("present", list(itertools.product([False, True], repeat=2)), ids=str)
def test_without_a_named_folder_the_cache_comes_before_the_system_folder(places, fake, present):
    order = ["cache", "system"]
    for place, here in zip(order, present):
        if here:
            fake.write(places[place])
    first = next((place for place, here in zip(order, present) if here), None)
    folder, findings = find_fashion_mnist()
    assert folder == (places[first] if first else None)
    looked_at_before = order[: order.index(first)] if first else order
    assert [finding.place for finding in findings] == looked_at_before


def test_an_empty_variable_counts_as_unset(places, fake, monkeypatch):
    fake.write(places["system"])
    monkeypatch.setenv("MINITORCH_LR_DATA", "")
    assert find_fashion_mnist()[0] == places["system"]


# --- a named folder is the only place --------------------------------------------------


@pytest.fixture(params=["root", "env"])
def name_it(request, monkeypatch):
    """Name a folder as ``root=`` or in ``$MINITORCH_LR_DATA``; returns the ``root``
    argument to pass (``None`` when the variable names it)."""

    def name(folder):
        if request.param == "env":
            monkeypatch.setenv("MINITORCH_LR_DATA", str(folder))
            return None
        return folder

    name.place = request.param
    return name


def test_a_named_folder_with_the_files_is_used(places, fake, name_it):
    fake.write(places["system"])
    root = name_it(fake.write(places["root"]))
    assert find_fashion_mnist(root) == (places["root"], [])


def test_a_named_folder_may_hold_them_in_its_fashion_mnist_subfolder(places, fake, name_it):
    root = name_it(places["root"])
    fake.write(places["root"] / "fashion-mnist")
    assert find_fashion_mnist(root)[0] == places["root"] / "fashion-mnist"


def test_the_root_argument_comes_before_the_variable(places, fake, monkeypatch):
    monkeypatch.setenv("MINITORCH_LR_DATA", str(fake.write(places["env"])))
    folder, [finding] = find_fashion_mnist(places["root"])
    assert folder is None and finding.place == "root" and finding.folder == places["root"]


def _names(fake):
    return list(fake.files)


BAD_FOLDERS = {
    "missing": (lambda folder, fake: None, "no such folder"),
    "empty": (lambda folder, fake: folder.mkdir(), "lacks train-images-idx3-ubyte.gz, "),
    "a-file": (lambda folder, fake: folder.write_text(""), "a file, not a folder"),
    "one-missing": (
        lambda folder, fake: fake.write(folder, _names(fake)[:3]),
        "lacks t10k-labels-idx1-ubyte.gz",
    ),
    "gunzipped": (
        lambda folder, fake: [
            folder.mkdir(),
            *[(folder / n.removesuffix(".gz")).write_bytes(fake.raw[n]) for n in fake.raw],
        ],
        "holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
        "t10k-labels-idx1-ubyte uncompressed, but the files are read gzip-compressed",
    ),
    "dangling-link": (
        lambda folder, fake: folder.symlink_to(folder.parent / "gone"),
        "a link to ",
    ),
}


@pytest.mark.parametrize("case", BAD_FOLDERS)
def test_a_named_folder_without_the_files_is_not_replaced_by_another_copy(
    places, fake, name_it, case
):
    make, problem = BAD_FOLDERS[case]
    fake.write(places["cache"])
    fake.write(places["system"])
    make(places["root"], fake)
    root = name_it(places["root"])
    folder, [finding] = find_fashion_mnist(root)
    assert folder is None
    assert (finding.place, finding.folder) == (name_it.place, places["root"])
    assert problem in finding.problem
    with pytest.raises(FashionMNISTNotFoundError) as error:
        fashion_mnist_folder(root, download=False)
    assert str(places["root"]) in str(error.value) and problem in str(error.value)


@pytest.mark.parametrize("what", ["folder", "files"])
def test_a_named_folder_that_may_not_be_read_says_so(places, fake, monkeypatch, what):
    # os.access is asked; root may read anything, so its "no" is stood in for here (the
    # command's tests take the real permissions away).
    folder = fake.write(places["root"])
    locked = {str(folder)} if what == "folder" else {str(folder / name) for name in fake.files}
    real_access = os.access

    def access(path, mode):
        return str(path) not in locked and real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    _, [finding] = find_fashion_mnist(folder)
    expected = "cannot be read" if what == "folder" else "cannot read train-images-idx3"
    assert expected in finding.problem and "(permission denied)" in finding.problem


@pytest.mark.parametrize("how", ["root", "env"])
def test_a_tilde_in_a_named_folder_is_the_home_folder(places, fake, monkeypatch, tmp_path, how):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    fake.write(tmp_path / "home" / "data")
    if how == "env":
        monkeypatch.setenv("MINITORCH_LR_DATA", "~/data")
        root = None
    else:
        root = "~/data"
    assert fashion_mnist_folder(root, download=False) == tmp_path / "home" / "data"


# --- downloads go into the named folder, or the cache ----------------------------------


def test_missing_files_are_downloaded_into_the_named_folder(places, fake, name_it):
    fake.write(places["cache"])  # complete, and not used
    root = name_it(places["root"] / "new")
    assert fashion_mnist_folder(root, urlopen=serve(fake)) == places["root"] / "new"
    assert sorted(p.name for p in (places["root"] / "new").iterdir()) == sorted(fake.files)


def test_without_a_named_folder_the_download_goes_into_the_cache(places, fake):
    assert fashion_mnist_folder(urlopen=serve(fake)) == places["cache"]


def test_a_failed_download_into_a_named_folder_leaves_nothing_and_says_why(places, fake, tmp_path):
    with pytest.raises(FashionMNISTNotFoundError) as error:
        fashion_mnist_folder(places["root"] / "new", urlopen=StubOpener())
    assert f"downloading into {places['root'] / 'new'} failed: could not download" in str(
        error.value
    )
    assert error.value.download_failure is not None
    assert list(tmp_path.iterdir()) == []


def test_a_named_file_is_not_downloaded_into(places, fake):
    places["root"].write_text("")
    with pytest.raises(FashionMNISTNotFoundError, match="a file, not a folder; downloading"):
        fashion_mnist_folder(places["root"], urlopen=serve(fake))
    assert places["root"].read_text() == ""


# --- the error, in one line and in the caller's words ---------------------------------


def test_the_error_speaks_pythons_words_by_default_and_the_command_lines_when_asked(places, fake):
    with pytest.raises(FashionMNISTNotFoundError) as error:
        fashion_mnist_folder(download=False)
    python, command_line = str(error.value), error.value.message(COMMAND_LINE)
    assert python == error.value.message(PYTHON_WORDING)
    for text in (python, command_line):
        assert "\n" not in text
        assert str(places["cache"]) in text and str(places["system"]) in text
        assert "sudo apt install dataset-fashion-mnist" in text
    assert "(download=False)" in python and "pass root=FOLDER" in python
    assert "(--no-download)" in command_line and "pass --data-dir DIR" in command_line
    assert "root=" not in command_line and "download=" not in command_line


def test_the_error_of_a_named_folder_says_how_to_fill_it_or_leave_it_out(places, fake, name_it):
    with pytest.raises(FashionMNISTNotFoundError) as error:
        fashion_mnist_folder(name_it(places["root"]), download=False)
    message = error.value.message(COMMAND_LINE)
    label = "--data-dir" if name_it.place == "root" else "$MINITORCH_LR_DATA"
    assert message.startswith(f"Fashion-MNIST not found: {label} {places['root']}: no such")
    assert f"put its four files ({', '.join(fake.files)}) in {places['root']}" in message
    assert "run without it to download them into it" in message
    leave = "leave out --data-dir" if name_it.place == "root" else "unset MINITORCH_LR_DATA"
    assert leave in message


# --- the leftovers of killed downloads ---------------------------------------------------


@pytest.mark.parametrize("found", [True, False], ids=["data-found", "data-missing"])
def test_looking_removes_stale_part_files_of_killed_downloads_but_not_fresh_ones(
    places, fake, found
):
    if found:
        fake.write(places["cache"])
    places["cache"].mkdir(parents=True, exist_ok=True)
    stale = places["cache"] / ".train-images-idx3-ubyte.gz.k1lled.part"
    fresh = places["cache"] / ".train-images-idx3-ubyte.gz.l1ve.part"
    for path in (stale, fresh):
        path.write_bytes(b"half a download")
    long_ago = time.time() - 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    if found:
        assert fashion_mnist_folder(download=False) == places["cache"]
    else:
        with pytest.raises(FashionMNISTNotFoundError):
            fashion_mnist_folder(download=False)
    assert not stale.exists() and fresh.exists()
