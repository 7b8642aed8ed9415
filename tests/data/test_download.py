"""download_file against a stub opener (never the network): mirror fallback, the check
before the rename, and nothing left behind on failure."""

import http.client
import io
import urllib.error

import pytest

from minitorch_lr.data.download import DownloadError, download_file
from tests.data.fake_files import StubOpener

MIRRORS = ["https://first.example/file.gz", "http://second.example/file.gz"]


def check_starts_with_good(path):
    if not path.read_bytes().startswith(b"good"):
        raise ValueError(f"{path}: bad content")


def download(tmp_path, opener, check=check_starts_with_good):
    return download_file(MIRRORS, tmp_path / "file.gz", check, urlopen=opener, quiet=True)


def test_the_first_working_mirror_is_used_and_only_the_file_remains(tmp_path):
    opener = StubOpener({MIRRORS[0]: b"good from first", MIRRORS[1]: b"good from second"})
    assert download(tmp_path, opener) == tmp_path / "file.gz"
    assert (tmp_path / "file.gz").read_bytes() == b"good from first"
    assert opener.calls == MIRRORS[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.gz"]


@pytest.mark.parametrize(
    "first_reply",
    [
        urllib.error.URLError("unreachable"),
        urllib.error.HTTPError(MIRRORS[0], 404, "Not Found", {}, io.BytesIO()),
        TimeoutError("timed out"),
        http.client.IncompleteRead(b"go"),
        b"bad content",
    ],
    ids=["unreachable", "404", "timeout", "cut-connection", "content-fails-check"],
)
def test_a_failing_mirror_falls_back_to_the_next(tmp_path, first_reply):
    opener = StubOpener({MIRRORS[0]: first_reply, MIRRORS[1]: b"good from second"})
    download(tmp_path, opener)
    assert (tmp_path / "file.gz").read_bytes() == b"good from second"
    assert opener.calls == MIRRORS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.gz"]


def test_the_check_sees_a_temporary_file_beside_the_destination_before_it_exists(tmp_path):
    seen = []

    def check(path):
        seen.append((path.parent, path.name, (tmp_path / "file.gz").exists(), path.read_bytes()))

    download(tmp_path, StubOpener({MIRRORS[0]: b"payload"}), check)
    ((parent, name, destination_existed, content),) = seen
    # Same folder, so the rename is atomic; the destination only appears after the check.
    assert parent == tmp_path
    assert name != "file.gz"
    assert not destination_existed
    assert content == b"payload"
    assert (tmp_path / "file.gz").read_bytes() == b"payload"


def test_when_every_mirror_fails_the_error_lists_each_and_nothing_is_left(tmp_path):
    opener = StubOpener({MIRRORS[1]: b"bad content"})  # MIRRORS[0]: no network
    with pytest.raises(DownloadError) as error:
        download(tmp_path, opener)
    assert [url for url, _ in error.value.failures] == MIRRORS
    assert "no network" in str(error.value)
    assert "bad content" in str(error.value)
    assert isinstance(error.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_download_keeps_an_existing_destination_unchanged(tmp_path):
    (tmp_path / "file.gz").write_bytes(b"good old copy")
    with pytest.raises(DownloadError):
        download(tmp_path, StubOpener({MIRRORS[0]: b"bad", MIRRORS[1]: b"bad"}))
    assert (tmp_path / "file.gz").read_bytes() == b"good old copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.gz"]


def test_an_interrupt_mid_download_removes_the_temporary_file(tmp_path):
    class Interrupted(io.BytesIO):
        def read(self, size=-1):
            raise KeyboardInterrupt

    def opener(url, timeout=None):
        return Interrupted(b"never read")

    with pytest.raises(KeyboardInterrupt):
        download(tmp_path, opener)
    assert list(tmp_path.iterdir()) == []


def test_the_opener_gets_a_timeout(tmp_path):
    timeouts = []

    def opener(url, timeout=None):
        timeouts.append(timeout)
        return io.BytesIO(b"good")

    download(tmp_path, opener)
    assert timeouts and timeouts[0] is not None and timeouts[0] > 0
