"""The supported targets: those the command promises, each with properties of distinct
names, none of which fails on torch's own piece or on minitorch_lr's."""

import importlib

import pytest

import minitorch_lr
from minitorch_lr.testing.verify import verify
from minitorch_lr.testing.verify.properties import Information, Property
from minitorch_lr.testing.verify.targets import SUPPORTED_TARGETS, properties_for

# torch's name -> minitorch_lr's twin, by attribute path.
OURS = {
    "torch.nn.Linear": "nn.Linear",
    "torch.nn.Flatten": "nn.Flatten",
    "torch.nn.MSELoss": "nn.MSELoss",
    "torch.nn.L1Loss": "nn.L1Loss",
    "torch.nn.HuberLoss": "nn.HuberLoss",
    "torch.nn.CrossEntropyLoss": "nn.CrossEntropyLoss",
    "torch.nn.functional.softmax": "nn.functional.softmax",
    "torch.nn.functional.log_softmax": "nn.functional.log_softmax",
    "torch.nn.functional.cross_entropy": "nn.functional.cross_entropy",
    "torch.nn.functional.mse_loss": "nn.functional.mse_loss",
    "torch.optim.SGD": "optim.SGD",
}


def resolve(root, path):
    for name in path.split("."):
        root = getattr(root, name)
    return root


def test_the_supported_targets_are_those_the_command_promises():
    assert set(SUPPORTED_TARGETS) == set(OURS)


@pytest.mark.parametrize("target", SUPPORTED_TARGETS)
def test_each_target_has_properties_of_distinct_names(target):
    checks = properties_for(target)
    assert checks and all(isinstance(check, (Property, Information)) for check in checks)
    assert len({check.name for check in checks}) == len(checks)


@pytest.mark.parametrize("target", SUPPORTED_TARGETS)
@pytest.mark.parametrize("library", ["torch", "minitorch_lr"])
def test_no_property_fails_on_torchs_piece_or_ours(target, library):
    if library == "torch":
        module, _, name = target.rpartition(".")
        piece = getattr(importlib.import_module(module), name)
    else:
        piece = resolve(minitorch_lr, OURS[target])
    # Fewer inputs than the command tries: this runs 22 pieces, and each input is cheap
    # to find wrong when a property is wrong for torch itself.
    report = verify(piece, target, max_examples=10)
    assert report.ok, str(report)
    assert not [result for result in report.results if result.status == "SKIP"]
