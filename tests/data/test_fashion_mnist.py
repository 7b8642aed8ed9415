"""load_fashion_mnist, load_data_fashion_mnist and get_fashion_mnist_labels.

Most tests run on a tiny stand-in (``fake``) found in, or downloaded into, folders under
``tmp_path`` (``places``), never the network; those marked ``fashion_mnist`` read the
real files where they are installed.
"""

import urllib.request

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minitorch_lr.data import (
    TEXT_LABELS,
    FashionMNISTNotFoundError,
    get_fashion_mnist_labels,
    load_data_fashion_mnist,
    load_fashion_mnist,
)
from minitorch_lr.data.fashion_mnist_files import MIRRORS
from minitorch_lr.data.fashion_mnist_places import find_fashion_mnist
from tests.data.fake_files import StubOpener
from tests.helpers import DEVICES

NAMES = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
]


def assert_same_as_fake(loaded, fake):
    for tensor, name in zip(loaded, NAMES):
        expected = torch.from_numpy(fake.arrays[name])
        expected = expected.long() if "labels" in name else expected
        torch.testing.assert_close(tensor, expected, rtol=0, atol=0)


def test_load_returns_uint8_images_and_int64_labels(places, fake):
    fake.write(places["system"])
    assert_same_as_fake(load_fashion_mnist(), fake)


def test_load_returns_copies_that_the_caller_may_change(places, fake):
    fake.write(places["root"])
    X_train, y_train, _, _ = load_fashion_mnist(root=places["root"])
    X_train.zero_()
    y_train.fill_(-1)
    assert_same_as_fake(load_fashion_mnist(root=places["root"]), fake)


def test_without_a_copy_and_without_download_one_error_says_where_and_how(places, fake, tmp_path):
    with pytest.raises(FashionMNISTNotFoundError) as error:
        load_fashion_mnist(download=False)
    message = str(error.value)
    assert isinstance(error.value, FileNotFoundError)
    for place in ["cache", "system"]:
        assert str(places[place]) in message
    for hint in ["MINITORCH_LR_DATA", "download=False", "dataset-fashion-mnist", "root="]:
        assert hint in message
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_named_root_without_a_copy_is_an_error_naming_it_not_another_copy(places, fake):
    fake.write(places["system"])
    with pytest.raises(FashionMNISTNotFoundError, match="root .*/root: no such folder"):
        load_fashion_mnist(root=places["root"], download=False)


def test_without_a_copy_and_without_network_one_error_and_no_files_left(places, fake, tmp_path):
    with pytest.raises(FashionMNISTNotFoundError) as error:
        load_fashion_mnist()
    assert all(mirror in str(error.value) for mirror in MIRRORS)
    assert "tests never reach the network" in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_download_fills_the_cache_and_later_loads_need_no_network(places, fake, monkeypatch):
    opener = StubOpener({MIRRORS[1] + name: fake.gz[name] for name in NAMES})
    monkeypatch.setattr(urllib.request, "urlopen", opener)
    assert_same_as_fake(load_fashion_mnist(), fake)
    assert sorted(p.name for p in places["cache"].iterdir()) == sorted(NAMES)
    monkeypatch.setattr(urllib.request, "urlopen", StubOpener())
    assert_same_as_fake(load_fashion_mnist(), fake)
    assert len(opener.calls) == 2 * len(NAMES)  # each file: first mirror fails, second serves


def test_download_false_still_finds_the_cache(places, fake):
    fake.write(places["cache"])
    assert_same_as_fake(load_fashion_mnist(download=False), fake)


def examples(images, labels):
    """(pixels, label) of every example, to compare sets of examples in any order."""
    return [(tuple(x.flatten().tolist()), int(label)) for x, label in zip(images, labels)]


def fake_data(fake, **kwargs):
    return load_data_fashion_mnist(root=fake.write(fake.folder), **kwargs)


@pytest.fixture
def fake_root(places, fake):
    fake.folder = places["root"]
    return fake


@pytest.mark.parametrize("device", DEVICES)
def test_loaders_yield_images_in_unit_range_with_their_labels(fake_root, device):
    fake = fake_root
    train_iter, test_iter = fake_data(fake, batch_size=3, device=device)
    for loader, prefix in [(train_iter, "train"), (test_iter, "t10k")]:
        pixels = torch.from_numpy(fake.arrays[f"{prefix}-images-idx3-ubyte.gz"])
        labels = torch.from_numpy(fake.arrays[f"{prefix}-labels-idx1-ubyte.gz"]).long()
        # torchvision's ToTensor: float(pixel) / 255, with a channel dim.
        images = pixels.unsqueeze(1).float() / 255
        batches = list(loader)  # one epoch: a second pass would draw a new order
        for X, y in batches:
            assert X.dtype == torch.float32 and y.dtype == torch.int64
            assert X.device.type == y.device.type == device
            assert X.shape[1:] == (1, 4, 4)
        X = torch.cat([X.cpu() for X, _ in batches])
        y = torch.cat([y.cpu() for _, y in batches])
        if loader is test_iter:
            torch.testing.assert_close(X, images)
            torch.testing.assert_close(y, labels)
        else:
            # Shuffled: the same examples, each once, each image still with its label.
            assert sorted(examples(X, y)) == sorted(examples(images, labels))


def test_the_training_set_is_shuffled_in_the_generators_order(fake_root):
    train_iter, _ = fake_data(fake_root, batch_size=2, generator=torch.Generator().manual_seed(3))
    labels = torch.from_numpy(fake_root.arrays["train-labels-idx1-ubyte.gz"]).long()
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(3))
    assert not torch.equal(order, torch.arange(len(labels)))  # seed 3 moves examples
    torch.testing.assert_close(torch.cat([y for _, y in train_iter]), labels[order])


@pytest.mark.parametrize("resize, size", [(8, (8, 8)), ((6, 2), (6, 2)), (4, (4, 4))])
def test_resize_is_bilinear_with_antialiasing(fake_root, resize, size):
    _, test_iter = fake_data(fake_root, batch_size=100, resize=resize)
    ((X, _),) = list(test_iter)
    images = torch.from_numpy(fake_root.arrays["t10k-images-idx3-ubyte.gz"]).unsqueeze(1) / 255
    expected = F.interpolate(images, size=size, mode="bilinear", antialias=True).clamp(0, 1)
    assert X.shape == (len(images), 1, *size)
    torch.testing.assert_close(X, expected)
    assert X.min() >= 0 and X.max() <= 1


@pytest.mark.parametrize("resize", [0, -28, 2.5, True, (28,), (28, 0), (28, 28, 1), "28"])
def test_a_bad_resize_is_refused_before_any_data_is_read(places, resize):
    with pytest.raises(ValueError, match="resize should be"):
        load_data_fashion_mnist(256, resize=resize, download=False)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, None])
def test_a_bad_batch_size_is_refused_before_any_data_is_read(places, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        load_data_fashion_mnist(batch_size, download=False)


def test_labels_become_the_chapters_text_labels():
    assert get_fashion_mnist_labels([0, 9, 5]) == ["t-shirt", "ankle boot", "sandal"]
    assert get_fashion_mnist_labels(torch.arange(10)) == list(TEXT_LABELS)
    assert get_fashion_mnist_labels(torch.tensor([[1, 2], [3, 4]])) == [
        "trouser",
        "pullover",
        "dress",
        "coat",
    ]
    assert get_fashion_mnist_labels(np.array([8, 7], dtype=np.uint8)) == ["bag", "sneaker"]
    assert get_fashion_mnist_labels([]) == []


@pytest.mark.parametrize("labels", [[10], [-1], torch.tensor([3, 12])])
def test_labels_out_of_range_are_refused_naming_the_value(labels):
    with pytest.raises(ValueError, match="label (10|-1|12) is out of range"):
        get_fashion_mnist_labels(labels)


@pytest.mark.parametrize("labels", [[2.0], torch.tensor([1.5])])
def test_labels_must_be_integers(labels):
    with pytest.raises(TypeError):
        get_fashion_mnist_labels(labels)


# The real files, where present (Debian/Ubuntu: sudo apt install dataset-fashion-mnist).

needs_real_files = pytest.mark.skipif(
    find_fashion_mnist()[0] is None,
    reason="Fashion-MNIST not found (install dataset-fashion-mnist or set MINITORCH_LR_DATA)",
)


@pytest.mark.fashion_mnist
@needs_real_files
def test_real_data_has_fashion_mnists_shapes_dtypes_and_balanced_classes():
    X_train, y_train, X_test, y_test = load_fashion_mnist(download=False)
    assert X_train.shape == (60000, 28, 28) and X_train.dtype == torch.uint8
    assert X_test.shape == (10000, 28, 28) and X_test.dtype == torch.uint8
    assert y_train.shape == (60000,) and y_train.dtype == torch.int64
    assert y_test.shape == (10000,) and y_test.dtype == torch.int64
    # Fashion-MNIST has 6,000 training and 1,000 test pictures of each of its 10 classes.
    assert torch.bincount(y_train).tolist() == [6000] * 10
    assert torch.bincount(y_test).tolist() == [1000] * 10
    assert X_train.max() == 255 and X_train.min() == 0


@pytest.mark.fashion_mnist
@needs_real_files
def test_real_loaders_have_the_chapters_batches():
    train_iter, test_iter = load_data_fashion_mnist(256, download=False)
    assert (len(train_iter), len(test_iter)) == (235, 40)  # ceil(60000/256), ceil(10000/256)
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == torch.float32
    assert y.shape == (256,) and 0 <= y.min() and y.max() <= 9
    assert 0 <= X.min() and X.max() <= 1
