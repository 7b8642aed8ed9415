"""Fashion-MNIST as the chapter uses it: tensors, minibatch loaders and text labels.

28 x 28 grayscale pictures of clothes in 10 classes, 60,000 to train on and 10,000 to
test on. Mirrors ``torchvision.datasets.FashionMNIST`` and the chapter's
``load_data_fashion_mnist`` and ``get_fashion_mnist_labels``; where the files are looked
for is in :mod:`minitorch_lr.data.fashion_mnist_places`, how they are fetched and checked
in :mod:`minitorch_lr.data.fashion_mnist_files`.

Left out: torchvision and PIL (the files are read with numpy), transforms other than
``ToTensor`` (scaling to [0, 1]) and ``Resize``.
"""

import operator

import torch
import torch.nn.functional as F

from .._checks import positive_int
from .array_loader import ArrayLoader
from .fashion_mnist_files import read_fashion_mnist
from .fashion_mnist_places import fashion_mnist_folder

__all__ = [
    "TEXT_LABELS",
    "get_fashion_mnist_labels",
    "load_data_fashion_mnist",
    "load_fashion_mnist",
]

TEXT_LABELS = (
    "t-shirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)
"""The chapter's names of classes 0 .. 9."""


def _read_checked(root, download):
    """The cached, checked uint8 tensors (shared: not to be changed in place)."""
    return read_fashion_mnist(fashion_mnist_folder(root, download))


def load_fashion_mnist(root=None, download=True):
    """Fashion-MNIST as tensors ``(X_train, y_train, X_test, y_test)``.

    Every file is checked when read: gzip integrity, magic number, sizes and the SHA-256
    of its content. The checked tensors stay in memory while the files are unchanged, so
    a second call costs a copy (tens of milliseconds) instead of decompressing again
    (most of a second).

    Args:
        root: the folder to read from (or its ``fashion-mnist`` subfolder), and the only
            place looked at; ``~`` is expanded. ``None``: ``$MINITORCH_LR_DATA`` if set,
            else the per-user cache, then the system folder (see
            :func:`~minitorch_lr.data.fashion_mnist_folder`, which says which folder it is).
        download: when the files are not there, download them: into ``root`` (or
            ``$MINITORCH_LR_DATA``) when one is named, else into the per-user cache.

    Shape:
        - ``X_train``: (60000, 28, 28) uint8; ``y_train``: (60000,) int64 in 0 .. 9.
        - ``X_test``: (10000, 28, 28) uint8; ``y_test``: (10000,) int64 in 0 .. 9.

    Raises:
        FashionMNISTNotFoundError: no complete copy where it looked, and the download was
            off or failed. The message says where it looked, what it found there and
            how to get the data.
        IDXError: a file found is truncated, corrupt or not the expected content; the
            message names the file and says what to do.
    """
    X_train, y_train, X_test, y_test = _read_checked(root, download)
    # New tensors: a caller changing them cannot change the cached ones.
    return X_train.clone(), y_train.long(), X_test.clone(), y_test.long()


def _check_resize(resize):
    """``resize`` as ``(height, width)``, or ``None``."""
    if resize is None:
        return None
    sides = tuple(resize) if isinstance(resize, (tuple, list)) else (resize, resize)
    valid = len(sides) == 2 and all(
        isinstance(side, int) and not isinstance(side, bool) and side > 0 for side in sides
    )
    if not valid:
        raise ValueError(
            f"resize should be None, a positive int or a pair of them, but got {resize!r}"
        )
    return sides


def _to_images(pixels, size, device):
    """uint8 (N, 28, 28) -> float32 (N, 1, H, W) in [0, 1] on ``device``."""
    # Move the uint8 bytes, a quarter of the float32 size, then convert on the device.
    images = pixels.to(device).unsqueeze(1).to(torch.float32).div_(255)
    if size is not None:
        # Bilinear with antialiasing, as torchvision's Resize does (the chapter resizes
        # PIL images, which always antialias); the clamp removes rounding outside [0, 1].
        images = F.interpolate(images, size=size, mode="bilinear", antialias=True)
        images = images.clamp_(0, 1)
    return images


def load_data_fashion_mnist(
    batch_size, resize=None, root=None, device=None, generator=None, download=True
):
    """The chapter's loaders: ``(train_iter, test_iter)`` of Fashion-MNIST minibatches.

    Images are scaled from 0 .. 255 to [0, 1] (the chapter's ``ToTensor``) and, when
    asked, resized. Both sets are moved to ``device`` once, so that every minibatch is
    cut there. The training loader draws a new order every epoch; the test loader keeps
    the stored order.

    Args:
        batch_size: examples per minibatch, a positive int.
        resize: ``None``, or the new side (an int) or ``(height, width)``.
        root, download: where to read from, and whether to download what is missing
            (see :func:`load_fashion_mnist`).
        device: where the tensors live (default: the CPU).
        generator: the ``torch.Generator`` for the training order (see
            :class:`~minitorch_lr.data.ArrayLoader`).

    Shape:
        - Each batch: images :math:`(N, 1, H, W)` float32 in [0, 1], with H = W = 28
          unless resized, and labels :math:`(N,)` int64 in 0 .. 9.

    Example::

        >>> train_iter, test_iter = load_data_fashion_mnist(256)  # doctest: +SKIP
        >>> X, y = next(iter(train_iter))  # doctest: +SKIP
        >>> X.shape, y.shape, len(train_iter)  # doctest: +SKIP
        (torch.Size([256, 1, 28, 28]), torch.Size([256]), 235)
    """
    positive_int(batch_size, "batch_size")
    size = _check_resize(resize)
    X_train, y_train, X_test, y_test = _read_checked(root, download)
    train = (_to_images(X_train, size, device), y_train.to(device).long())
    test = (_to_images(X_test, size, device), y_test.to(device).long())
    return (
        ArrayLoader(train, batch_size, shuffle=True, generator=generator),
        ArrayLoader(test, batch_size, shuffle=False),
    )


def get_fashion_mnist_labels(labels):
    """The text labels of class indices, e.g. ``[0, 9] -> ['t-shirt', 'ankle boot']``.

    Args:
        labels: an integer tensor of any shape (read in row-major order) or an iterable
            of ints, each in 0 .. 9.
    """
    if isinstance(labels, torch.Tensor):
        if labels.is_floating_point() or labels.is_complex():
            raise TypeError(f"labels should hold integers, but got a {labels.dtype} tensor")
        labels = labels.reshape(-1).tolist()
    # operator.index accepts ints (numpy's too) and rejects floats such as 3.7.
    indices = [operator.index(label) for label in labels]
    for index in indices:
        if not 0 <= index < len(TEXT_LABELS):
            raise ValueError(f"label {index} is out of range: Fashion-MNIST classes are 0 .. 9")
    return [TEXT_LABELS[index] for index in indices]
