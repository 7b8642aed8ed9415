"""How a run of ``minitorch-lr`` reports: lines as they come, one-line errors, the JSON
line and the exit code. Only the command line (:mod:`minitorch_lr.cli`,
:mod:`minitorch_lr.cli_programs`) imports this file.

Every run ends in one of four ways, each with its exit code:

- 0: success;
- 1: a failure outside the arguments that the user can act on (data missing or corrupt,
  a file that cannot be read or written, a full disk, the network, training that
  diverged): one line on stderr naming the thing and what to do;
- 2: a usage error (bad arguments), as argparse reports it;
- 130: interrupted (Ctrl-C), after saying how many epochs were completed.

With ``--json`` the last line of stdout is one JSON object, on each of these exits. It
always holds ``"exit"`` (the exit code) and ``"error"`` (``null``, or the message printed
on stderr); a run that got as far as training adds its results, ``null`` where there is
no value (never ``NaN`` or ``Infinity``, which strict parsers reject), and ``"diverged"``.

Nothing here parses arguments or computes anything.
"""

import errno
import json
import math
import sys

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Report",
    "asks_for_json",
    "describe_os_error",
    "json_line",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a program stopped by Ctrl-C

# What to do about the errors a user meets most, by errno.
_ADVICE = {
    errno.ENOSPC: "free some space, or choose another place",
    errno.EDQUOT: "free some space, or choose another place",
    errno.EFBIG: "the file grew past the size allowed here (ulimit -f); choose another place",
    errno.EACCES: "check its permissions, or choose another place",
    errno.EPERM: "check its permissions, or choose another place",
    errno.EROFS: "the disk is read-only; choose another place",
}


def asks_for_json(argv):
    """Whether ``argv`` holds ``--json`` (or a prefix that argparse takes for it), before
    a lone ``--``: known before parsing, so that a usage error can end in JSON too."""
    for token in argv:
        if token == "--":
            return False
        option = token.split("=", 1)[0]
        if len(option) > 2 and "--json".startswith(option):
            return True
    return False


def _finite(value):
    """``value`` with every NaN or infinite float, also inside lists and dicts, as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def json_line(fields):
    """``fields`` as one line of strict JSON: non-finite numbers become ``null``."""
    return json.dumps(_finite(fields), allow_nan=False)


def describe_os_error(error):
    """An ``OSError`` in one line: the file, what went wrong and, where known, what to do.

    An error raised with a whole sentence as its message (no ``errno``) is that sentence.
    """
    if error.errno is None:
        return str(error)
    text = error.strerror or str(error)
    if error.filename is not None:
        text = f"{error.filename}: {text}"
    advice = _ADVICE.get(error.errno)
    return f"{text}; {advice}" if advice else text


class Report:
    """What one run prints: lines on stdout as they come, notes and one error on stderr,
    and under ``--json`` the closing JSON line.

    Attributes:
        prog: how messages on stderr start, e.g. ``"minitorch-lr softmax"``.
        as_json: end with the JSON line.
        fields: the results so far, which the JSON line holds besides the exit code
            and the error.
    """

    def __init__(self, prog, as_json):
        self.prog = prog
        self.as_json = as_json
        self.fields = {}

    def say(self, line):
        """Print a line of results on stdout now (flushed, so a pipe sees it at once)."""
        print(line, flush=True)

    def note(self, line):
        """Print a line about the run on stderr, e.g. where the data came from."""
        print(f"{self.prog}: {line}", file=sys.stderr, flush=True)

    def fail(self, exit_code, message):
        """End with ``message`` on stderr; return ``exit_code``."""
        self.note(message)
        return self.end(exit_code, message)

    def end(self, exit_code, error=None):
        """Print the JSON line if asked for; return ``exit_code``."""
        if self.as_json:
            print(json_line({**self.fields, "error": error, "exit": exit_code}), flush=True)
        return exit_code
