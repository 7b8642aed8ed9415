"""download_file against a stub opener and against a real HTTP server on 127.0.0.1 (never
the network): mirror fallback, the check before the rename, the limits on a slow, endless
or wrong reply, and what is left behind on failure, on an interrupt and after a kill."""

import http.client
import io
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from minitorch_lr.data import download as download_module
from minitorch_lr.data.download import (
    DownloadError,
    download_file,
    remove_stale_downloads,
)
from tests.data.fake_files import StubOpener
from tests.data.local_server import HTML_PAGE, local_server

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
        HTML_PAGE,
    ],
    ids=["unreachable", "404", "timeout", "cut-connection", "content-fails-check", "html"],
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
        def read1(self, size=-1):
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


# --- against a real server on 127.0.0.1 ----------------------------------------------

# No proxy from the environment: the server is on this machine.
OPEN_DIRECTLY = urllib.request.build_opener(urllib.request.ProxyHandler({})).open
GOOD = b"good content, served in full"


def download_from(tmp_path, base, paths, **limits):
    """Download ``file.gz`` from ``base + path`` for each path in turn."""
    return download_file(
        [base + path for path in paths],
        tmp_path / "file.gz",
        check_starts_with_good,
        urlopen=OPEN_DIRECTLY,
        quiet=True,
        **limits,
    )


def only_failure(error_info):
    [(_, reason)] = error_info.value.failures
    return str(reason)


@pytest.mark.parametrize(
    ("path", "limits", "reason"),
    [
        # A byte every 50 ms: no read waits long, but the whole file would take 1.4 s.
        ("drip/50", {"deadline": 0.3, "read_timeout": 5}, "not complete after 0.3 s"),
        ("endless", {"max_bytes": 1 << 20}, f"sent more than {1 << 20} bytes"),
        ("huge", {"max_bytes": 1 << 20}, f"announced {300 << 20} bytes"),
        ("html", {}, "the server sent an HTML page, not the file"),
        ("html-bare", {}, "the server sent an HTML page, not the file"),
        ("cut", {}, "the connection was cut after 100 of 1000 bytes"),
    ],
    ids=["slow-drip", "endless-stream", "huge-announced", "html", "html-unlabelled", "cut"],
)
def test_a_misbehaving_server_is_stopped_named_and_leaves_nothing(tmp_path, path, limits, reason):
    with local_server({"drip": GOOD}) as base:
        with pytest.raises(DownloadError) as error:
            download_from(tmp_path, base, [path], **limits)
    assert reason in only_failure(error)
    assert list(tmp_path.iterdir()) == []


def test_within_the_limits_a_slow_server_is_waited_for(tmp_path):
    with local_server({"drip": GOOD}) as base:
        download_from(tmp_path, base, ["drip/1"], deadline=30, max_bytes=len(GOOD))
    assert (tmp_path / "file.gz").read_bytes() == GOOD


def test_after_a_misbehaving_mirror_the_next_one_serves_the_file(tmp_path):
    with local_server({"good": GOOD}) as base:
        download_from(tmp_path, base, ["html", "file/good"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.gz"]


# --- what a killed download leaves, and who removes it --------------------------------

# download.py needs only the standard library: run on its own, it starts at once.
KILLED_DOWNLOAD = """
import runpy, sys, urllib.request
download_file = runpy.run_path(sys.argv[3])["download_file"]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({})).open
download_file([sys.argv[1]], sys.argv[2], lambda path: None, urlopen=opener, quiet=True)
"""


@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_download_leaves_its_part_file_which_the_next_run_removes_once_stale(
    tmp_path, kill
):
    destination = tmp_path / "file.gz"
    with local_server({"drip": GOOD * 100}) as base:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                KILLED_DOWNLOAD,
                base + "drip/20",
                destination,
                download_module.__file__,
            ]
        )
        try:
            stop_at = time.monotonic() + 60
            while not list(tmp_path.glob(".file.gz.*.part")) and time.monotonic() < stop_at:
                time.sleep(0.05)
        finally:
            process.send_signal(kill)
            process.wait(timeout=30)
    [left] = list(tmp_path.glob(".file.gz.*.part"))  # a kill runs no clean-up
    # A later run keeps it while it could be a live download, removes it once it is older
    # than the deadline, and touches nothing else.
    (tmp_path / ".other.gz.1234.part").write_bytes(b"not ours to remove")
    assert remove_stale_downloads([destination], older_than=60) == []
    an_hour_ago = time.time() - 3600
    for path in tmp_path.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert remove_stale_downloads([destination], older_than=60) == [left]
    assert [path.name for path in tmp_path.iterdir()] == [".other.gz.1234.part"]


def test_removing_stale_downloads_of_a_folder_that_is_not_there_is_nothing(tmp_path):
    assert remove_stale_downloads([tmp_path / "absent" / "file.gz"]) == []
