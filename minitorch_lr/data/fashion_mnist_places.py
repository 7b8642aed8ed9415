"""Where Fashion-MNIST is looked for, and the error that says where it looked.

A folder you name is the only place looked at: the ``root`` argument (``--data-dir`` on
the command line), else ``$MINITORCH_LR_DATA``, with ``~`` expanded; the folder itself or
its ``fashion-mnist`` subfolder. If it lacks files they are downloaded into it, unless
downloads are off; it is never replaced by another copy found elsewhere, which would
hide a typo. Only when no folder is named are the usual places searched, the first
complete one winning: the per-user cache, then the system folder of the Debian/Ubuntu
package; if neither is complete, the files are downloaded into the per-user cache.

:func:`fashion_mnist_folder` returns the folder the data comes from, found or just
filled, so that a caller can say where it came from. When there is none,
:class:`FashionMNISTNotFoundError` says in one line where it looked, what it found
there and what to do, naming the options of whoever asked (``root=`` and
``download=False`` from Python, ``--data-dir`` and ``--no-download`` on the command line).

Mirrors the ``root`` and ``download`` arguments of ``torchvision.datasets.FashionMNIST``;
left out: torchvision's ``raw``/``processed`` subfolders.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from . import fashion_mnist_files as files
from .download import remove_stale_downloads

__all__ = [
    "ENV_VAR",
    "PYTHON_WORDING",
    "FashionMNISTNotFoundError",
    "Finding",
    "Wording",
    "fashion_mnist_folder",
    "find_fashion_mnist",
]

ENV_VAR = "MINITORCH_LR_DATA"
"""The environment variable that names a folder holding the files."""
_NAMED = ("root", "env")  # places a user names; the others are searched


@dataclass(frozen=True)
class Wording:
    """How an error's advice names the caller's options (see ``PYTHON_WORDING``)."""

    folder: str  # the option that names a folder, e.g. "root" or "--data-dir"
    pass_folder: str  # how to give it one, e.g. "pass root=FOLDER"
    no_download: str  # the option that turns downloads off
    allow_download: str  # how to turn them on


PYTHON_WORDING = Wording("root", "pass root=FOLDER", "download=False", "pass download=True")


@dataclass(frozen=True)
class Finding:
    """What one place looked at held: ``place`` is ``"root"``, ``"env"``, ``"cache"`` or
    ``"system"``; ``problem`` says what keeps ``folder`` from holding the four files."""

    place: str
    folder: Path
    problem: str

    def describe(self, wording):
        """``"LABEL FOLDER: PROBLEM"``, the place named in ``wording``'s words."""
        label = {
            "root": wording.folder,
            "env": f"${ENV_VAR}",
            "cache": "per-user cache",
            "system": "system folder",
        }[self.place]
        return f"{label} {self.folder}: {self.problem}"


class FashionMNISTNotFoundError(FileNotFoundError):
    """No complete copy of Fashion-MNIST where it was looked for, and none downloaded.

    Attributes:
        findings: one :class:`Finding` per folder looked at.
        download_failure: why the download failed, or ``None`` when downloads were off.

    ``str(error)`` is :meth:`message` in Python's words.
    """

    def __init__(self, findings, download_failure=None):
        self.findings = list(findings)
        self.download_failure = download_failure
        super().__init__(self.message())

    def message(self, wording=PYTHON_WORDING):
        """The error in one line: each place and what was wrong there, then what to do."""
        named = self.findings[0].place in _NAMED
        destination = self.findings[0].folder if named else files.cache_folder()
        found = "; ".join(finding.describe(wording) for finding in self.findings)
        if self.download_failure is None:
            download = f"downloads are off ({wording.no_download})"
        else:
            download = f"downloading into {destination} failed: {self.download_failure}"
        names = ", ".join(files.FILES)
        if named:
            leave_out = (
                f"unset {ENV_VAR}"
                if self.findings[0].place == "env"
                else (f"leave out {wording.folder}")
            )
            fixes = [f"put its four files ({names}) in {destination}"]
            if self.download_failure is None:
                fixes.append(f"{wording.allow_download} to download them into it")
            fixes.append(f"{leave_out} to search the per-user cache and the system folder")
        else:
            fixes = [
                "install the Debian/Ubuntu package (sudo apt install dataset-fashion-mnist)",
                f"put its four files ({names}) in a folder and {wording.pass_folder} or set "
                f"{ENV_VAR} to that folder",
            ]
            if self.download_failure is None:
                fixes.append(f"{wording.allow_download} to download them into {destination}")
        return f"Fashion-MNIST not found: {found}; {download}. To fix: {', or '.join(fixes)}."


def _places(root):
    """``(place, folder)`` pairs to look at, in order: a named folder alone, else the
    per-user cache and the system folder."""
    if root is not None and str(root):
        return [("root", Path(root).expanduser())]
    if value := os.environ.get(ENV_VAR):
        return [("env", Path(value).expanduser())]
    return [("cache", files.cache_folder()), ("system", files.SYSTEM_FOLDER)]


def _problem(folder):
    """What keeps ``folder`` from holding the four files, or ``None`` when it holds them.

    ``os.path`` answers "no" where ``pathlib`` would raise on a folder it may not read.
    """
    if os.path.islink(folder) and not os.path.exists(folder):
        return f"a link to {os.readlink(folder)}, which does not exist"
    if not os.path.exists(folder):
        return "no such folder"
    if not os.path.isdir(folder):
        return "a file, not a folder"
    if not os.access(folder, os.R_OK | os.X_OK):
        return "cannot be read (permission denied)"
    problems = []
    missing = [name for name in files.FILES if not os.path.isfile(folder / name)]
    if missing:
        problems.append(f"lacks {', '.join(missing)}")
        uncompressed = [
            name.removesuffix(".gz")
            for name in missing
            if os.path.isfile(folder / name.removesuffix(".gz"))
        ]
        if uncompressed:
            problems.append(
                f"holds {', '.join(uncompressed)} uncompressed, but the files are read "
                "gzip-compressed (gzip them)"
            )
    unreadable = [
        name
        for name in files.FILES
        if name not in missing and not os.access(folder / name, os.R_OK)
    ]
    if unreadable:
        problems.append(f"cannot read {', '.join(unreadable)} (permission denied)")
    return " and ".join(problems) or None


def find_fashion_mnist(root=None):
    """The folder holding all four files, and what each place looked at held.

    A named folder (``root``, else ``$MINITORCH_LR_DATA``) is the only place looked at,
    as given or its ``fashion-mnist`` subfolder; otherwise the per-user cache, then the
    system folder.

    Returns:
        ``(folder, findings)``: ``folder`` is a ``Path``, or ``None`` when no place looked
        at is complete; ``findings`` holds a :class:`Finding` for each place that is not.
    """
    findings = []
    for place, folder in _places(root):
        candidates = [folder]
        if place in _NAMED and os.path.isdir(folder / "fashion-mnist"):
            candidates.append(folder / "fashion-mnist")
        for candidate in candidates:
            problem = _problem(candidate)
            if problem is None:
                return candidate, findings
            findings.append(Finding(place, candidate, problem))
    return None, findings


def fashion_mnist_folder(root=None, download=True, urlopen=None):
    """The folder Fashion-MNIST is read from: where it was found, or downloaded to.

    Looks as :func:`find_fashion_mnist` does. When nothing is complete and ``download``
    is true, downloads the missing files into the named folder, or else into the per-user
    cache (:func:`~minitorch_lr.data.fashion_mnist_files.fetch_fashion_mnist`;
    ``urlopen`` as there). First, the temporary files that killed downloads left in that
    folder are removed once they are older than a download's deadline.

    Raises:
        FashionMNISTNotFoundError: no complete copy where it looked, and the download
            was off or failed; nothing is left behind.
    """
    places = _places(root)
    place, folder = places[0]
    destination = folder if place in _NAMED else files.cache_folder()
    remove_stale_downloads([destination / name for name in files.FILES])
    found, findings = find_fashion_mnist(root)
    if found is not None:
        return found
    if not download:
        raise FashionMNISTNotFoundError(findings)
    try:
        return files.fetch_fashion_mnist(destination, urlopen=urlopen)
    # DownloadError is an OSError, as is a folder that cannot be created or written.
    except OSError as error:
        raise FashionMNISTNotFoundError(findings, download_failure=error) from error
