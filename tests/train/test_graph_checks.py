"""What a static epoch cannot record is refused, by StaticEpoch and GraphedEpoch alike,
before any parameter, gradient, optimizer state or generator changes."""

import pytest
import torch

import minitorch_lr.nn
from minitorch_lr import scratch
from minitorch_lr.train.graph import GraphedEpoch
from minitorch_lr.train.static_epoch import StaticEpoch
from tests.train.epoch_problems import (
    assert_untouched,
    generator_on,
    make_data,
    make_model,
    snapshot,
)


def sgd_updater(params):
    def updater(batch_size):
        scratch.sgd(params, 0.1, batch_size)

    return updater


# Each case: the arguments it replaces, made from the good net and data (X, y), then the
# exception and its message.
BAD_ARGUMENTS = {
    "custom updater": (
        lambda net, X, y: {"optimizer": sgd_updater(list(net.parameters()))},
        TypeError,
        "torch.optim.SGD.*got updater",
    ),
    "another optimizer": (
        lambda net, X, y: {"optimizer": torch.optim.Adam(net.parameters())},
        TypeError,
        "got Adam",
    ),
    "tensor learning rate": (
        lambda net, X, y: {"optimizer": torch.optim.SGD(net.parameters(), lr=torch.tensor(0.1))},
        TypeError,
        "param group 0 has a tensor lr",
    ),
    "loss function": (
        lambda net, X, y: {"loss": scratch.cross_entropy},
        TypeError,
        "loss module with a reduction.*got cross_entropy",
    ),
    "unknown reduction": (
        lambda net, X, y: {"loss": minitorch_lr.nn.CrossEntropyLoss(reduction="batchmean")},
        ValueError,
        "batchmean is not a valid value for reduction",
    ),
    "zero batch size": (
        lambda net, X, y: {"batch_size": 0},
        ValueError,
        "batch_size must be a positive integer, got 0",
    ),
    "bool batch size": (
        lambda net, X, y: {"batch_size": True},
        ValueError,
        "batch_size must be a positive integer, got True",
    ),
    "features not a tensor": (
        lambda net, X, y: {"features": X.tolist()},
        TypeError,
        "features must be a torch.Tensor, got list",
    ),
    "0-d labels": (lambda net, X, y: {"labels": y[0]}, ValueError, "labels is 0-d"),
    "fewer labels": (
        lambda net, X, y: {"labels": y[:-1]},
        ValueError,
        "features hold 10 examples but labels hold 9",
    ),
    "no examples": (
        lambda net, X, y: {"features": X[:0], "labels": y[:0]},
        ValueError,
        r"shape \(0, 4\) hold no examples",
    ),
    "labels on another device": (
        lambda net, X, y: {"labels": y.to("meta")},
        ValueError,
        "labels are on meta but features on cpu",
    ),
}


@pytest.mark.parametrize("epoch_class", [StaticEpoch, GraphedEpoch])
@pytest.mark.parametrize("case", BAD_ARGUMENTS)
def test_epoch_refuses_what_it_cannot_record_before_anything_changes(epoch_class, case):
    """For GraphedEpoch these checks come before the one for CUDA, so they run here too."""
    make_bad, error, message = BAD_ARGUMENTS[case]
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    generator = generator_on("cpu", 0)
    arguments = {
        "net": net,
        "loss": minitorch_lr.nn.CrossEntropyLoss(),
        "optimizer": optimizer,
        "features": features,
        "labels": labels,
        "batch_size": 4,
    }
    arguments.update(make_bad(net, features, labels))
    before = snapshot(net, optimizer, generator)
    with pytest.raises(error, match=message):
        epoch_class(**arguments, generator=generator)
    assert_untouched(before, net, optimizer, generator)


def test_static_epoch_refuses_parameters_on_another_device_than_the_data():
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1}, device="meta")
    with pytest.raises(ValueError, match=r"shape \(3, 4\) is on meta but the data are on cpu"):
        StaticEpoch(net, minitorch_lr.nn.CrossEntropyLoss(), optimizer, features, labels, 4)
