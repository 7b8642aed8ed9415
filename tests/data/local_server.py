"""A real HTTP server on 127.0.0.1, in a thread of the test process, that fails on request.

Each path is a way for a mirror to misbehave. The server only ever slows down or stops
by itself within seconds, so that a test of old code that lacks a limit still ends.

=============  ===========================================================================
``/file/NAME`` ``served[NAME]``, with its length
``/drip/N``    ``served["drip"]`` one byte every ``N`` milliseconds, with its length
``/endless``   zeros in 64 KiB chunks, no length, for 64 MiB (as good as endless here)
``/huge``      announces 300 MiB, then sends zeros until the client hangs up
``/html``      an HTML page, served as ``text/html`` (a mirror's error page with status 200)
``/html-bare`` the same page, served as ``application/octet-stream``
``/cut``       announces 1000 bytes, sends 100, then closes the connection
=============  ===========================================================================
"""

import http.server
import threading
import time
from contextlib import contextmanager

__all__ = ["HTML_PAGE", "local_server"]

HTML_PAGE = b"<!DOCTYPE html>\n<html><body>Rate limit exceeded</body></html>\n"
_ZEROS = bytes(1 << 16)


class _Handler(http.server.BaseHTTPRequestHandler):
    served = {}

    def log_message(self, *args):  # quiet: pytest shows stderr of failing tests
        pass

    def _head(self, content_type="application/octet-stream", length=None):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self):
        try:
            self._serve(self.path.strip("/").split("/"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _serve(self, parts):
        kind = parts[0]
        if kind == "file":
            body = self.served[parts[1]]
            self._head(length=len(body))
            self.wfile.write(body)
        elif kind == "drip":
            body, pause = self.served["drip"], int(parts[1]) / 1000
            self._head(length=len(body))
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(pause)
        elif kind == "endless":
            self._head()
            for _ in range(1024):
                self.wfile.write(_ZEROS)
        elif kind == "huge":
            self._head(length=300 << 20)
            for _ in range(300 << 4):
                self.wfile.write(_ZEROS)
        elif kind in ("html", "html-bare"):
            content_type = "text/html; charset=utf-8" if kind == "html" else None
            self._head(content_type or "application/octet-stream", len(HTML_PAGE))
            self.wfile.write(HTML_PAGE)
        elif kind == "cut":
            self._head(length=1000)
            self.wfile.write(bytes(100))
            self.wfile.flush()
            self.close_connection = True
        else:
            self.send_error(404)


@contextmanager
def local_server(served=None):
    """Serve on a free port of 127.0.0.1 for the ``with`` block; yield its base URL."""
    handler = type("Handler", (_Handler,), {"served": dict(served or {})})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits for the next poll.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
