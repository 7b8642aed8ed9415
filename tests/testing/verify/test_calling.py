"""How a piece is called: which options it declares, how many positional arguments it
takes, and the torch twin found by name and called the same way."""

import pytest
import torch

from minitorch_lr.testing.verify.calling import Twin, accepts, needs_options, positional_count


def by_keyword(input, target, *, reduction="mean"):
    return input


def any_keyword(input, **options):
    return input


class Loss:
    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def __call__(self, input, target):
        return (input - target).abs().sum() if self.reduction == "sum" else input


def test_accepts_reads_the_signature_of_a_function_or_a_constructor():
    assert accepts(by_keyword, "reduction") and not accepts(by_keyword, "weight")
    assert accepts(any_keyword, "weight")
    assert accepts(Loss, "reduction") and not accepts(Loss, "delta")


def test_positional_count_counts_what_can_be_passed_by_position():
    assert positional_count(by_keyword) == 2
    assert positional_count(any_keyword) == 1
    assert positional_count(lambda *inputs: None) >= 2


def test_needs_options_names_each_missing_option():
    assert needs_options("reduction")(by_keyword) is None
    reason = needs_options("momentum", "dampening")(Loss)
    assert reason == "Loss takes no momentum= or dampening= argument"


def test_a_twin_is_a_module_or_a_function_by_its_name_and_binds_options_alike():
    module, function = Twin("torch.nn.L1Loss"), Twin("torch.nn.functional.l1_loss")
    assert (module.is_module, function.is_module) == (True, False)
    assert module.torch_object() is torch.nn.L1Loss
    x, y = torch.tensor([1.0, -2.0]), torch.zeros(2)
    assert module.bind(Loss, {"reduction": "sum"})(x, y) == 3.0
    assert function.torch_callable({"reduction": "sum"})(x, y) == 3.0
    assert module.torch_callable({"reduction": "sum"})(x, y) == 3.0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("torch.nn.CrossEntropyLoss", "Loss(reduction='sum')(logits, target)"),
        ("torch.nn.functional.cross_entropy", "Loss(logits, target, reduction='sum')"),
    ],
)
def test_call_text_says_how_the_piece_is_called(path, expected):
    assert Twin(path).call_text(Loss, {"reduction": "sum"}, "logits, target") == expected
