r"""Initialisation functions, in place and without autograd. Mirrors ``torch.nn.init``.

Each function fills a tensor with values and returns it. The ones that draw random
numbers take a ``generator`` so the caller decides where randomness comes from; with
none they use torch's global generator, exactly as torch does, so the same
``torch.manual_seed`` gives the same values as ``torch.nn.init``.

The scaled schemes keep the variance of activations steady from layer to layer. A
weight of shape (out, in) has :math:`\text{fan\_in} = \text{in}` inputs and
:math:`\text{fan\_out} = \text{out}` outputs per unit (times the kernel size for
convolution weights), and ``calculate_gain`` corrects for what a nonlinearity does to
the variance:

- Xavier (Glorot & Bengio, 2010): :math:`\sigma = \text{gain} \sqrt{2 / (\text{fan\_in} +
  \text{fan\_out})}`, a compromise between the forward and the backward pass;
- Kaiming (He et al., 2015): :math:`\sigma = \text{gain} / \sqrt{\text{fan}}`, with
  ``fan`` the inputs (``mode='fan_in'``) or the outputs (``'fan_out'``).

A uniform draw :math:`U(-b, b)` has standard deviation :math:`b / \sqrt{3}`, so each
uniform scheme uses the bound :math:`b = \sqrt{3}\,\sigma`.

Left out: orthogonal, sparse, trunc_normal, eye and dirac, which chapter 3 does not use.
"""

import math
import warnings

import torch

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

# Nonlinearities that do not change the variance, as torch lists them.
_LINEAR = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill ``tensor`` with draws from the uniform distribution U(a, b).

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> g = torch.Generator().manual_seed(0)
        >>> w = init.uniform_(torch.empty(2, 3), -1, 1, generator=g)
        >>> bool((w >= -1).all() and (w < 1).all())
        True
    """
    with torch.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill ``tensor`` with draws from the normal distribution N(mean, std^2).

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> g = torch.Generator().manual_seed(0)
        >>> w = init.normal_(torch.empty(784, 10), std=0.01, generator=g)
        >>> round(float(w.std()), 3)
        0.01
    """
    with torch.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def constant_(tensor, val):
    """Fill ``tensor`` with the value ``val``.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> init.constant_(torch.empty(3), 0.5)
        tensor([0.5000, 0.5000, 0.5000])
    """
    with torch.no_grad():
        return tensor.fill_(val)


def ones_(tensor):
    """Fill ``tensor`` with ones.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> init.ones_(torch.empty(2))
        tensor([1., 1.])
    """
    return constant_(tensor, 1.0)


def zeros_(tensor):
    """Fill ``tensor`` with zeros.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> init.zeros_(torch.empty(2))
        tensor([0., 0.])
    """
    with torch.no_grad():
        return tensor.zero_()


def calculate_gain(nonlinearity, param=None):
    r"""The factor that keeps activations' variance steady through a nonlinearity.

    ``linear``, the convolutions and ``sigmoid``: 1; ``tanh``: 5/3; ``relu``:
    :math:`\sqrt{2}`; ``leaky_relu`` with negative slope ``param`` (default 0.01):
    :math:`\sqrt{2 / (1 + \text{slope}^2)}`; ``selu``: 3/4 (found empirically, as in
    torch).

    Raises:
        ValueError: an unknown nonlinearity, or a slope that is not a number.

    Example::

        >>> from minitorch_lr.nn import init
        >>> init.calculate_gain("relu"), init.calculate_gain("leaky_relu", 1.0)
        (1.4142135623730951, 1.0)
    """
    if nonlinearity in _LINEAR:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else param
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)):
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = math.prod(tensor.shape[2:])
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def _fan(tensor, mode):
    mode = mode.lower()  # torch accepts 'FAN_OUT' as well
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor, gain=1.0, generator=None):
    r"""Fill ``tensor`` from :math:`U(-b, b)`, :math:`b = \text{gain}
    \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}` (Xavier/Glorot, uniform).

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> g = torch.Generator().manual_seed(0)
        >>> w = init.xavier_uniform_(torch.empty(10, 30), generator=g)
        >>> bool(w.abs().max() <= (6 / (30 + 10)) ** 0.5)  # fan_in 30, fan_out 10
        True
    """
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator=generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    r"""Fill ``tensor`` from :math:`\mathcal{N}(0, \sigma^2)`, :math:`\sigma = \text{gain}
    \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}` (Xavier/Glorot, normal).

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> g = torch.Generator().manual_seed(0)
        >>> w = init.xavier_normal_(torch.empty(300, 500), generator=g)
        >>> round(float(w.std()), 3), round((2 / (500 + 300)) ** 0.5, 3)
        (0.05, 0.05)
    """
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator=generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    r"""Fill ``tensor`` from :math:`U(-b, b)`, :math:`b = \text{gain} \sqrt{3 / \text{fan}}`.

    ``fan`` is the number of inputs (``mode='fan_in'``) or outputs (``'fan_out'``) of
    each unit; for a Linear weight of shape (out, in), fan_in = in. The sqrt(3) turns a
    standard deviation into the half-width of a uniform distribution with that std.
    ``a`` is the negative slope of a following ``leaky_relu``.

    Example::

        >>> import math, torch
        >>> from minitorch_lr.nn import init
        >>> w = init.kaiming_uniform_(torch.empty(10, 784), a=math.sqrt(5))  # Linear's init
        >>> bool(w.abs().max() <= 1 / math.sqrt(784))
        True
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator=generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    r"""Fill ``tensor`` from :math:`\mathcal{N}(0, \sigma^2)`, :math:`\sigma = \text{gain} /
    \sqrt{\text{fan}}`, with ``fan`` and ``a`` as in :func:`kaiming_uniform_`.

    Example::

        >>> import torch
        >>> from minitorch_lr.nn import init
        >>> g = torch.Generator().manual_seed(0)
        >>> w = init.kaiming_normal_(torch.empty(500, 400), nonlinearity="relu", generator=g)
        >>> round(float(w.std()), 3), round((2 / 400) ** 0.5, 3)  # gain sqrt(2), fan_in 400
        (0.071, 0.071)
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0, std, generator=generator)
