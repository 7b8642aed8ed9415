"""Running ``python -m minitorch_lr`` in a subprocess, as a user would, but hermetically.

:func:`run_command` gives the command its own home, cache and matplotlib folders under a
test's ``tmp_path``, unsets ``$MINITORCH_LR_DATA`` and sends any download to a closed
port on 127.0.0.1, so that no test reads the machine's data or reaches the network by
accident. With ``stand_in=True`` the command runs on a small stand-in for Fashion-MNIST
(:data:`STAND_IN`: 96 training and 32 test images of 28 x 28), whose digests replace the
real ones, and the system folder is moved under ``tmp_path``; that is this file run as
``python -m tests.command SYSTEM_FOLDER ARGS...``, which patches exactly those two
names and then runs ``minitorch_lr``'s ``__main__`` unchanged.

:func:`without_root_override` runs the command as root without root's power to read
and write every file, so that permission tests mean something in a container.
"""

import os
import runpy
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.data.fake_files import FakeFashionMNIST

__all__ = [
    "STAND_IN",
    "Result",
    "command_env",
    "files_under",
    "run_command",
    "run_commands",
    "start_command",
    "without_root_override",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
STAND_IN = FakeFashionMNIST(seed=0, n_train=96, n_test=32, side=28)
# A port nothing listens on: a download through this proxy is refused at once.
CLOSED_PROXY = "http://127.0.0.1:9"


@dataclass
class Result:
    """How a run ended: the exit code, the lines of stdout, all of stderr."""

    code: int
    lines: list
    err: str

    @property
    def last(self):
        return self.lines[-1] if self.lines else ""


def command_env(tmp_path, **variables):
    """The environment of a hermetic run (see the module docstring), plus ``variables``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "MINITORCH_LR_DATA" and "proxy" not in key.lower()
    }
    home = tmp_path / "home"
    for folder in (home, tmp_path / "mpl"):
        folder.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        MPLCONFIGDIR=str(tmp_path / "mpl"),
        PYTHONPATH=str(REPO_ROOT),
        http_proxy=CLOSED_PROXY,
        https_proxy=CLOSED_PROXY,
        no_proxy="",
    )
    env.update(variables)
    return env


def _argv(args, tmp_path, stand_in, prefix):
    if stand_in:
        module = ["-m", "tests.command", str(tmp_path / "system")]
    else:
        module = ["-m", "minitorch_lr"]
    return [*prefix, sys.executable, *module, *map(str, args)]


def run_command(
    args, tmp_path, *, stand_in=False, env=None, prefix=(), preexec_fn=None, timeout=120
):
    """Run the command with ``args`` in ``tmp_path``; return its :class:`Result`."""
    completed = subprocess.run(
        _argv(args, tmp_path, stand_in, prefix),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=command_env(tmp_path, **(env or {})),
        preexec_fn=preexec_fn,
        timeout=timeout,
        check=False,
    )
    return Result(completed.returncode, completed.stdout.splitlines(), completed.stderr)


def run_commands(jobs):
    """Run several commands at once, one per CPU: ``{name: (args, tmp_path, options)}``
    to ``{name: Result}``. Most of each run is importing torch, which runs in parallel."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(run_command, args, tmp_path, **options)
            for name, (args, tmp_path, options) in jobs.items()
        }
        return {name: future.result() for name, future in futures.items()}


def files_under(folder):
    """Every path under ``folder``, relative, as a set; but the run's home and matplotlib
    folders (``command_env`` makes them, matplotlib writes its cache there)."""
    return {
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.relative_to(folder).parts[0] not in ("home", "mpl")
    }


def start_command(args, tmp_path, *, stand_in=False, env=None):
    """Start the command in the background; stdout is a pipe read line by line. Ctrl-C
    (SIGINT) reaches it as it would at a terminal, however the tests were started."""
    return subprocess.Popen(
        _argv(args, tmp_path, stand_in, ()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=command_env(tmp_path, **(env or {})),
        preexec_fn=_default_sigint,
    )


def _default_sigint():
    # A shell starts a background job with SIGINT ignored, and a child inherits that; a
    # Python that starts with SIGINT ignored never raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def without_root_override():
    """The prefix that runs a command without the right to ignore file permissions.

    Root may read and write any file; as root, the command runs under ``setpriv`` without
    the two capabilities that grant it. Any other user needs no prefix.
    """
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        import pytest  # here: the command's own runs (see below) need no pytest

        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    capabilities = "-dac_override,-dac_read_search"
    return ("setpriv", f"--inh-caps={capabilities}", f"--bounding-set={capabilities}")


if __name__ == "__main__":
    from minitorch_lr.data import fashion_mnist_files

    fashion_mnist_files.FILES = STAND_IN.files
    fashion_mnist_files.SYSTEM_FOLDER = Path(sys.argv[1])
    sys.argv = ["minitorch-lr", *sys.argv[2:]]
    runpy.run_module("minitorch_lr", run_name="__main__", alter_sys=True)
