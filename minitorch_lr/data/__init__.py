"""minitorch_lr.data: minibatches from tensors, and the Fashion-MNIST dataset.

``load_array`` / ``ArrayLoader`` cut minibatches out of tensors wherever they live (the
chapter's ``load_array`` over ``TensorDataset`` and ``DataLoader``); ``load_fashion_mnist``
finds, checks (or downloads) and reads Fashion-MNIST, from the folder that
``fashion_mnist_folder`` names; ``load_data_fashion_mnist`` turns it into the chapter's two
loaders. This package knows no layers and no training loops.
"""

from .array_loader import ArrayLoader, load_array
from .fashion_mnist import (
    TEXT_LABELS,
    get_fashion_mnist_labels,
    load_data_fashion_mnist,
    load_fashion_mnist,
)
from .fashion_mnist_places import FashionMNISTNotFoundError, fashion_mnist_folder
from .idx import IDXError

__all__ = [
    "TEXT_LABELS",
    "ArrayLoader",
    "FashionMNISTNotFoundError",
    "IDXError",
    "fashion_mnist_folder",
    "get_fashion_mnist_labels",
    "load_array",
    "load_data_fashion_mnist",
    "load_fashion_mnist",
]
