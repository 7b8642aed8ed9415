"""Hypothesis strategies shared by every test: shapes, tensors, module trees.

Tensors are drawn as a shape plus a seed for a ``torch.Generator``, which keeps examples
small to print and reproducible.
"""

import torch
from hypothesis import strategies as st

__all__ = [
    "build_tree",
    "dtypes",
    "features",
    "make_tensor",
    "module_trees",
    "seeds",
    "shapes",
    "tensors",
]

seeds = st.integers(min_value=0, max_value=2**32 - 1)
dtypes = st.sampled_from([torch.float32, torch.float64])
features = st.integers(min_value=1, max_value=8)


def shapes(min_dims=0, max_dims=4, min_side=0, max_side=5):
    """Tensor shapes as tuples; sides may be 0 (empty tensors) unless ``min_side`` says."""
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(
        tuple
    )


def make_tensor(shape, seed, dtype=torch.float64, scale=1.0, device="cpu"):
    """A reproducible tensor of normal draws times ``scale``."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=generator, dtype=dtype) * scale).to(device)


@st.composite
def tensors(draw, shape=None, dtype=torch.float64, scales=(1.0,), device="cpu"):
    """A tensor of normal draws times a drawn scale; ``shape`` is a tuple, a strategy of
    shapes, or None for any small shape."""
    if shape is None:
        shape = draw(shapes())
    elif isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    scale = draw(st.sampled_from(scales))
    return make_tensor(shape, draw(seeds), dtype, scale, device)


@st.composite
def module_trees(draw, max_depth=3):
    """A nested description of a module tree, built into either library by the tests.

    A node is ``("linear", in, out, bias)``, ``("flatten",)``, or
    ``("seq", [children...])``. Depth and width stay small so trees print readably.
    """
    leaf = st.one_of(
        st.tuples(st.just("linear"), features, features, st.booleans()),
        st.tuples(st.just("flatten")),
    )
    tree = st.recursive(
        leaf,
        lambda children: st.tuples(st.just("seq"), st.lists(children, max_size=3)),
        max_leaves=6,
    )
    return draw(tree)


def build_tree(spec, nn):
    """Build a ``module_trees`` spec with ``nn`` (torch.nn or minitorch_lr.nn)."""
    kind = spec[0]
    if kind == "linear":
        return nn.Linear(spec[1], spec[2], bias=spec[3])
    if kind == "flatten":
        return nn.Flatten()
    return nn.Sequential(*[build_tree(child, nn) for child in spec[1]])


# --- optimizers -----------------------------------------------------------------------


@st.composite
def sgd_hyperparameters(draw):
    """Keyword arguments for SGD: each option off (exactly 0 or False) about half the
    time, so that every branch of the update runs, alone and combined. Nesterov comes
    only with momentum and zero dampening, as SGD requires."""
    momentum = draw(st.one_of(st.just(0.0), st.floats(0.05, 0.95)))
    nesterov = momentum > 0 and draw(st.booleans())
    dampening = 0.0 if nesterov else draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0)))
    return {
        "lr": draw(st.floats(0.0, 0.5)),
        "momentum": momentum,
        "dampening": dampening,
        "weight_decay": draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5))),
        "nesterov": nesterov,
        "maximize": draw(st.booleans()),
    }


__all__ += ["sgd_hyperparameters"]
