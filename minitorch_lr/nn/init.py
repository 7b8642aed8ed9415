"""Initialisation functions, in place and without autograd. Mirrors ``torch.nn.init``.

Each function fills a tensor with values and returns it. The ones that draw random
numbers take a ``generator`` so the caller decides where randomness comes from; with
none they use torch's global generator, exactly as torch does, so the same
``torch.manual_seed`` gives the same values as ``torch.nn.init``.

Left out: xavier, orthogonal, sparse, trunc_normal and the other schemes chapter 3
does not use.
"""

import math
import warnings

import torch

__all__ = [
    "calculate_gain",
    "kaiming_uniform_",
    "normal_",
    "uniform_",
    "zeros_",
]


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill ``tensor`` with draws from the uniform distribution U(a, b)."""
    with torch.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill ``tensor`` with draws from the normal distribution N(mean, std^2)."""
    with torch.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def zeros_(tensor):
    """Fill ``tensor`` with zeros."""
    with torch.no_grad():
        return tensor.zero_()


def calculate_gain(nonlinearity, param=None):
    """The factor that keeps activations' variance steady through a nonlinearity.

    ``linear``/``sigmoid``: 1; ``tanh``: 5/3; ``relu``: sqrt(2);
    ``leaky_relu`` with negative slope a: sqrt(2 / (1 + a^2)).
    """
    if nonlinearity in ("linear", "sigmoid"):
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else param
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)):
            raise ValueError(f"negative_slope {negative_slope} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = math.prod(tensor.shape[2:])
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill ``tensor`` from U(-bound, bound), bound = gain * sqrt(3 / fan).

    ``fan`` is the number of inputs (``mode='fan_in'``) or outputs (``'fan_out'``) of
    each unit; for a Linear weight of shape (out, in), fan_in = in. The sqrt(3) turns a
    standard deviation into the half-width of a uniform distribution with that std.
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator=generator)
