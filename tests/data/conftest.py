"""Fixtures that keep the data tests off the network and out of the real data folders."""

import urllib.error
import urllib.request

import pytest

from minitorch_lr.data import fashion_mnist_files
from minitorch_lr.data.fashion_mnist_places import ENV_VAR
from tests.data.fake_files import FakeFashionMNIST


def _no_network(url, timeout=None):
    raise urllib.error.URLError(f"tests never reach the network (asked for {url})")


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Every place the loader searches, moved under ``tmp_path`` and empty at first.

    ``$MINITORCH_LR_DATA`` is unset, the per-user cache and the system folder are
    folders under ``tmp_path`` that do not exist yet, the in-memory cache is empty and
    ``urllib.request.urlopen`` fails as without network. ``root`` and ``env`` are where
    tests put a folder to name (as ``root=`` or in the variable), also not there yet.
    """
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    system = tmp_path / "usr-share-datasets" / "fashion-mnist"
    monkeypatch.setattr(fashion_mnist_files, "SYSTEM_FOLDER", system)
    monkeypatch.setattr(fashion_mnist_files, "_last_read", {})
    monkeypatch.setattr(urllib.request, "urlopen", _no_network)
    return {
        "root": tmp_path / "root",
        "env": tmp_path / "env",
        "cache": tmp_path / "xdg-cache" / "minitorch_lr" / "fashion-mnist",
        "system": system,
    }


@pytest.fixture
def fake(places, monkeypatch):
    """A tiny Fashion-MNIST stand-in whose shapes and digests replace the real ones."""
    dataset = FakeFashionMNIST()
    monkeypatch.setattr(fashion_mnist_files, "FILES", dataset.files)
    return dataset
