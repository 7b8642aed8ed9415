"""Download one file from the first mirror that serves it intact, written atomically.

Each mirror in turn: stream the response into a temporary file in the destination's own
folder, check it, and only then rename it onto the destination. A rename within one
folder is atomic, so the destination is either absent or complete and checked, never
half written; whatever fails, the temporary file is removed. Mirrors what torchvision's
MNIST datasets do with their list of mirrors; left out: resuming a partial download,
progress bars, checksums of the compressed file (the caller's ``check`` reads the content).
"""

import http.client
import os
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

__all__ = ["DownloadError", "download_file"]

TIMEOUT_SECONDS = 30


class DownloadError(OSError):
    """No mirror served the file intact; ``failures`` lists ``(url, reason)`` per mirror."""

    def __init__(self, destination, failures):
        self.destination = destination
        self.failures = list(failures)
        reasons = "; ".join(f"{url}: {reason}" for url, reason in self.failures)
        super().__init__(f"could not download {Path(destination).name}: {reasons}")


def download_file(urls, destination, check, urlopen=None, quiet=False):
    """Fetch the first of ``urls`` that passes ``check`` into ``destination``.

    Args:
        urls: the mirrors' addresses of the same file, tried in order.
        destination: the file to create; its folder must exist.
        check: called with the path of the downloaded temporary file; it raises
            ``ValueError`` (or ``OSError``) when the content is not the expected one.
        urlopen: opens a URL, called as ``urlopen(url, timeout=seconds)``, and returns a
            binary file-like context manager. ``None`` means ``urllib.request.urlopen``,
            looked up at call time (so that tests can replace it and never reach the
            network).
        quiet: do not print which mirror is being tried (on stderr).

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
            with os.fdopen(handle, "wb") as file, urlopen(url, timeout=TIMEOUT_SECONDS) as reply:
                shutil.copyfileobj(reply, file, length=1 << 20)
            check(temporary)
            os.replace(temporary, destination)
            return destination
        # HTTPException (a cut connection, a malformed reply) is not an OSError.
        except (OSError, ValueError, http.client.HTTPException) as error:
            failures.append((url, error))
        finally:
            # Also on KeyboardInterrupt; after the rename the temporary name is gone.
            temporary.unlink(missing_ok=True)
    raise DownloadError(destination, failures)
