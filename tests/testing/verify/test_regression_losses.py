"""verify's regression-loss properties on broken losses written here: the chapter's halved
squared loss, a sum for a mean, an ignored option, a gradient twice torch's."""

import pytest
import torch

from minitorch_lr.testing.verify.report import FAIL, PASS, SKIP
from tests.testing.verify.helpers import result_of

DEFAULT = "default options"


def halved_mse(input, target, reduction="mean"):
    # The chapter's squared_loss halves the square.
    losses = (input - target) ** 2 / 2
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


def summing_mse(input, target):
    return ((input - target) ** 2).sum()


class L1Squared:
    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def __call__(self, input, target):
        return torch.nn.functional.mse_loss(input, target, reduction=self.reduction)


class HuberNoDelta:
    def __init__(self, delta=1.0):
        pass

    def __call__(self, input, target):
        return torch.nn.functional.huber_loss(input, target)


class HuberAsSmoothL1:
    def __init__(self, reduction="mean", delta=1.0):
        self.reduction, self.delta = reduction, delta

    def __call__(self, input, target):
        return torch.nn.functional.smooth_l1_loss(
            input, target, reduction=self.reduction, beta=self.delta
        )


class Twice(torch.autograd.Function):
    """The mean squared error, with a backward twice torch's."""

    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        return ((input - target) ** 2).mean()

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        difference = 4 * (input - target) / max(input.numel(), 1) * grad
        return difference, -difference


@pytest.mark.parametrize(
    ("piece", "target", "name", "cause"),
    [
        (halved_mse, "torch.nn.functional.mse_loss", DEFAULT, "like the chapter's squared_loss"),
        (summing_mse, "torch.nn.functional.mse_loss", DEFAULT, "with reduction='sum'"),
        (L1Squared, "torch.nn.L1Loss", DEFAULT, "that is MSELoss"),
        (HuberNoDelta, "torch.nn.HuberLoss", "delta=", "delta is not used"),
        (HuberAsSmoothL1, "torch.nn.HuberLoss", "delta=", "SmoothL1Loss(beta=delta)"),
        (
            Twice.apply,
            "torch.nn.functional.mse_loss",
            DEFAULT,
            "the values are right but the gradients of input 0 are exactly twice torch's",
        ),
    ],
    ids=["halved", "sum-for-mean", "l1-squares", "huber-ignores-delta", "smooth-l1", "grad-x2"],
)
def test_a_wrong_loss_is_diagnosed(piece, target, name, cause):
    result = result_of(piece, target, name)
    assert result.status == FAIL
    assert cause in result.diagnosis


def test_torchs_loss_passes_and_options_not_taken_are_skipped():
    assert result_of(torch.nn.HuberLoss, "torch.nn.HuberLoss", "delta=").status == PASS
    skipped = result_of(summing_mse, "torch.nn.functional.mse_loss", "reduction='sum'")
    assert (skipped.status, skipped.detail) == (SKIP, "summing_mse takes no reduction= argument")
