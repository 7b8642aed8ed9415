"""predict: the first images of a test set, titled with true and predicted classes."""

import pytest
import torch

from minitorch_lr.train import predict
from minitorch_lr.train.predict import IMAGES_PER_ROW


def test_predict_names_true_and_predicted_classes_and_saves_the_grid(tmp_path):
    images = torch.rand((8, 1, 28, 28), generator=torch.Generator().manual_seed(0))
    labels = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7])
    # A "model" that always predicts class 9 (ankle boot), in training mode beforehand.
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10)).train()
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].bias.copy_(torch.arange(10.0))
    path = tmp_path / "predictions.png"
    trues, preds = predict(model, [(images, labels)], n=6, path=path)
    assert trues == ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal"]
    assert preds == ["ankle boot"] * 6
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert model.training


@pytest.mark.parametrize("n", [0, 1.5])
def test_predict_rejects_a_bad_count(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        predict(lambda X: X, [], n=n)


def test_predict_rejects_an_empty_iterable():
    with pytest.raises(ValueError, match="no batches"):
        predict(lambda X: X, [])


def png_size(path):
    """(width, height) in pixels, from the PNG header."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


@pytest.mark.parametrize("n", [6, 20])
def test_predict_wraps_its_images_into_rows_of_at_most_eight(tmp_path, n):
    images = torch.rand((n, 1, 28, 28), generator=torch.Generator().manual_seed(0))
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    path = tmp_path / "predictions.png"
    trues, _ = predict(model, [(images, torch.zeros(n, dtype=torch.long))], n=n, path=path)
    assert len(trues) == n
    width, height = png_size(path)
    columns, rows = min(n, IMAGES_PER_ROW), -(-n // IMAGES_PER_ROW)
    # Each cell is scale=1.5 inches at matplotlib's 100 dpi: 150 pixels a side, give or
    # take the tight layout. One row of 20 would be 3000 pixels wide.
    assert width <= columns * 150 and height <= rows * 150
    assert width > (columns - 1) * 150 and height > (rows - 1) * 150


def test_each_title_says_which_line_is_the_true_class_and_which_the_prediction(monkeypatch):
    from minitorch_lr import plot

    drawn = {}
    monkeypatch.setattr(
        plot, "show_images", lambda images, rows, cols, titles, path: drawn.update(titles=titles)
    )
    images = torch.zeros((2, 1, 28, 28))
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].bias.copy_(torch.arange(10.0))  # always class 9
    predict(model, [(images, torch.tensor([0, 9]))], n=2)
    assert drawn["titles"] == [
        "true: t-shirt\npred: ankle boot",
        "true: ankle boot\npred: ankle boot",
    ]
