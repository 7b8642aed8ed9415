"""verify's Linear properties on broken layers written here: each fails where it should,
with the cause its symptom suggests; options a layer does not take are skipped."""

import pytest

from minitorch_lr.testing.verify.report import FAIL, PASS, SKIP
from tests.testing.verify.helpers import Layer, broken, result_of

TARGET = "torch.nn.Linear"
FORWARD = "forward and backward equal torch's"


def test_a_right_layer_passes_everything_and_skips_what_it_does_not_take():
    assert result_of(Layer, TARGET, FORWARD).status == PASS
    assert result_of(Layer, TARGET, "bias=False").status == PASS
    assert result_of(Layer, TARGET, "dtype=").status == PASS
    skipped = result_of(Layer, TARGET, "device=")
    assert (skipped.status, skipped.detail) == (SKIP, "Layer takes no device= argument")


@pytest.mark.parametrize(
    ("methods", "cause"),
    [
        (
            {"__call__": lambda self, x: x @ self.weight.T},
            "without the bias: the bias is not added",
        ),
        (
            {"__call__": lambda self, x: x @ self.weight + self.bias},
            "with the weight transposed: a missing transpose",
        ),
        ({"__call__": lambda self, x: 2 * (x @ self.weight.T + self.bias)}, "exactly twice"),
    ],
    ids=["no-bias", "no-transpose", "doubled"],
)
def test_a_wrong_forward_is_diagnosed(methods, cause):
    result = result_of(broken(**methods), TARGET, FORWARD)
    assert result.status == FAIL
    assert cause in result.diagnosis


def test_a_weight_stored_transposed_is_named():
    class Transposed(Layer):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            self.weight = self.weight.detach().T.clone().requires_grad_()

        def __call__(self, x):
            return x @ self.weight + self.bias

    result = result_of(Transposed, TARGET, FORWARD)
    assert result.mismatch.what == "the shape of weight"
    assert "stored as (in_features, out_features)" in result.diagnosis


def test_a_weight_that_does_not_require_grad_is_named():
    class Frozen(Layer):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            self.weight = self.weight.detach()

    result = result_of(Frozen, TARGET, FORWARD)
    assert result.mismatch.what == "the gradients of weight"
    assert result.diagnosis.startswith("weight gets no gradient: it does not require grad")


def test_options_taken_but_not_applied_are_named():
    ignores_bias = broken(__init__=lambda self, i, o, bias=True: Layer.__init__(self, i, o))
    result = result_of(ignores_bias, TARGET, "bias=False")
    assert result.diagnosis == "bias=False is accepted, but the layer still makes a bias"
    ignores_dtype = broken(__init__=lambda self, i, o, dtype=None: Layer.__init__(self, i, o))
    result = result_of(ignores_dtype, TARGET, "dtype=")
    assert result.mismatch.what == "the dtype of weight"
