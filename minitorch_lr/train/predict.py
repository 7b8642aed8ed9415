"""Predictions of a trained classifier beside the true labels. Mirrors d2l's ``predict_ch3``.

The chapter ends by showing a few test images titled with their true and predicted
classes. :func:`predict` does that for Fashion-MNIST, with
:func:`minitorch_lr.plot.show_images`, imported only when called so that training never
needs matplotlib.

Left out: other datasets' class names (the titles come from
:func:`~minitorch_lr.data.get_fashion_mnist_labels`).
"""

import math

from .._checks import positive_int
from ..data import get_fashion_mnist_labels
from .metrics import evaluation_mode

__all__ = ["predict", "prediction_titles"]

# The chapter draws its predictions in one row; past this many images, the row wraps, so
# that a large n draws a grid rather than an image thousands of pixels wide.
IMAGES_PER_ROW = 8


def predict(net, test_iter, n=6, path=None):
    """Compare true and predicted labels of the first ``n`` images of ``test_iter``.

    Draws the images in rows of up to :data:`IMAGES_PER_ROW`, each titled ``true: ...``
    above ``pred: ...``, using :func:`minitorch_lr.plot.show_images`, and saves the grid to
    ``path`` if given.

    Returns:
        ``(true_labels, predicted_labels)``: two lists of ``n`` Fashion-MNIST class names
        (fewer if the first batch is smaller).

    Shape:
        - X of the first batch: :math:`(N, 1, H, W)` or :math:`(N, H, W)` images.
    """
    positive_int(n, "n")
    from ..plot import show_images  # imported here: see the module docstring

    first_batch = next(iter(test_iter), None)
    if first_batch is None:
        raise ValueError("predict: test_iter yielded no batches")
    X, y = first_batch[0][:n], first_batch[1][:n]
    with evaluation_mode(net):
        predicted = net(X).argmax(dim=1)
    true_labels = get_fashion_mnist_labels(y)
    predicted_labels = get_fashion_mnist_labels(predicted)
    titles = prediction_titles(true_labels, predicted_labels)
    num_cols = min(len(X), IMAGES_PER_ROW)
    show_images(X, math.ceil(len(X) / num_cols), num_cols, titles=titles, path=path)
    return true_labels, predicted_labels


def prediction_titles(true_labels, predicted_labels):
    """One title per image: the true class over the predicted one, each line saying which."""
    return [f"true: {true}\npred: {guess}" for true, guess in zip(true_labels, predicted_labels)]
