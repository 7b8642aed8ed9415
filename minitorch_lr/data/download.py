"""Download one file from the first mirror that serves it intact, written atomically.

Each mirror in turn: stream the response into a temporary file in the destination's own
folder, check it, and only then rename it onto the destination. A rename within one
folder is atomic, so the destination is either absent or complete and checked, never
half written; whatever fails, the temporary file is removed.

A server can fail slowly rather than loudly, so each mirror gets limits:

- a deadline for the whole file, not only for each read: a server that sends one byte
  every few seconds never trips a per-read timeout;
- a size cap, so that an endless or oversized response stops at the cap instead of
  filling the disk (and then the memory of the check);
- an HTML page (a login wall, a "not found" page served with status 200) is reported as
  such, not as a corrupt file.

A process killed mid-download (``SIGKILL``, a power cut) cannot remove its temporary file.
:func:`remove_stale_downloads` removes those older than the deadline, which no live
download can be; the Fashion-MNIST loader calls it each time it looks for the files.

Mirrors what torchvision's MNIST datasets do with their list of mirrors; left out:
resuming a partial download, progress bars, checksums of the compressed file (the
caller's ``check`` reads the content).
"""

import http.client
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = [
    "DEADLINE_SECONDS",
    "READ_TIMEOUT_SECONDS",
    "DownloadError",
    "download_file",
    "remove_stale_downloads",
]

READ_TIMEOUT_SECONDS = 30  # the longest wait for any one read
# The longest a file may take: Fashion-MNIST's largest file (26 MB) at 50 kB/s.
DEADLINE_SECONDS = 600
_CHUNK_BYTES = 1 << 16
_HTML_STARTS = (b"<!doctype html", b"<html")


class DownloadError(OSError):
    """No mirror served the file intact; ``failures`` lists ``(url, reason)`` per mirror."""

    def __init__(self, destination, failures):
        self.destination = destination
        self.failures = list(failures)
        reasons = "; ".join(f"{url}: {reason}" for url, reason in self.failures)
        super().__init__(f"could not download {Path(destination).name}: {reasons}")


def download_file(
    urls,
    destination,
    check,
    urlopen=None,
    quiet=False,
    *,
    max_bytes=None,
    deadline=DEADLINE_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
):
    """Fetch the first of ``urls`` that passes ``check`` into ``destination``.

    Args:
        urls: the mirrors' addresses of the same file, tried in order.
        destination: the file to create; its folder must exist.
        check: called with the path of the downloaded temporary file; it raises
            ``ValueError`` (or ``OSError``) when the content is not the expected one.
        urlopen: opens a URL, called as ``urlopen(url, timeout=seconds)``, and returns a
            binary file-like context manager with ``read1`` (and ``headers``, if it has
            any). ``None`` means ``urllib.request.urlopen``, looked up at call time (so
            that tests can replace it and never reach the network).
        quiet: do not print which mirror is being tried (on stderr).
        max_bytes: the most bytes a mirror may send (``None``: no cap).
        deadline: seconds one mirror may take for the whole file, from opening the
            connection to the last byte.
        read_timeout: seconds any one read may wait (never more than ``deadline``).

    Raises:
        DownloadError: every mirror failed; nothing is left behind.
    """
    urlopen = urllib.request.urlopen if urlopen is None else urlopen
    destination = Path(destination)
    failures = []
    for url in urls:
        if not quiet:
            print(f"Downloading {url}", file=sys.stderr)
        handle, temporary = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
        )
        temporary = Path(temporary)
        try:
            stop_at = time.monotonic() + deadline
            with (
                os.fdopen(handle, "wb") as file,
                urlopen(url, timeout=min(read_timeout, deadline)) as reply,
            ):
                _copy(reply, file, max_bytes, stop_at, deadline)
            check(temporary)
            os.replace(temporary, destination)
            return destination
        # HTTPException (a cut connection, a malformed reply) is not an OSError.
        except (OSError, ValueError, http.client.HTTPException) as error:
            failures.append((url, _reason(error)))
        finally:
            # Also on KeyboardInterrupt; after the rename the temporary name is gone.
            temporary.unlink(missing_ok=True)
    raise DownloadError(destination, failures)


def _copy(reply, file, max_bytes, stop_at, deadline):
    """Copy ``reply`` into ``file`` in chunks, within the size cap and the deadline."""
    headers = getattr(reply, "headers", None) or {}
    if headers.get("Content-Type", "").startswith("text/html"):
        raise ValueError("the server sent an HTML page, not the file")
    length = headers.get("Content-Length")
    if max_bytes is not None and length is not None and int(length) > max_bytes:
        raise ValueError(f"the server announced {length} bytes, over {max_bytes}: not the file")
    received = 0
    # read1: at most one read from the network, so that the deadline is checked between
    # reads even when the server sends a byte at a time.
    while chunk := reply.read1(_CHUNK_BYTES):
        if received == 0 and chunk.lstrip()[:14].lower().startswith(_HTML_STARTS):
            raise ValueError("the server sent an HTML page, not the file")
        received += len(chunk)
        if max_bytes is not None and received > max_bytes:
            raise ValueError(
                f"the server sent more than {max_bytes} bytes, more than the file can be"
            )
        if time.monotonic() > stop_at:
            raise TimeoutError(f"not complete after {deadline:g} s, the deadline for one file")
        file.write(chunk)
    # read1 ends quietly where a closed connection cuts the body short.
    if length is not None and received < int(length):
        raise ConnectionError(f"the connection was cut after {received} of {length} bytes")


def _reason(error):
    """How a mirror failed, in words (a cut connection's exception prints only bytes)."""
    if isinstance(error, http.client.IncompleteRead):
        expected = len(error.partial) + (error.expected or 0)
        return f"the connection was cut after {len(error.partial)} of {expected} bytes"
    return error


def remove_stale_downloads(destinations, older_than=DEADLINE_SECONDS):
    """Remove the temporary files left by killed downloads of ``destinations``.

    :func:`download_file` names its temporary file ``.NAME.XXXXXXXX.part`` beside the
    destination ``NAME``. One last written more than ``older_than`` seconds ago (the
    deadline) belongs to no live download, since a whole file takes less. Returns the
    paths removed; a folder that does not exist or cannot be written is left as it is.
    """
    removed = []
    now = time.time()
    for destination in map(Path, destinations):
        try:
            for path in destination.parent.glob(f".{destination.name}.*.part"):
                if now - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed.append(path)
        except OSError:
            pass  # a read-only or vanished folder: nothing to clean, nothing to report
    return removed
