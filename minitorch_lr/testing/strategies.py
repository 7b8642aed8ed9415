"""Hypothesis strategies for tensors, shapes and module trees.

Tensors are drawn as a shape plus a seed for a ``torch.Generator``, which keeps examples
small to print and reproducible. Module trees are drawn as nested descriptions and built
with whichever ``nn`` is passed to :func:`build_tree` (``minitorch_lr.nn`` or
``torch.nn``), so this module imports neither.

Left out: strategies for images and real data (the tests draw small synthetic tensors).
"""

import torch
from hypothesis import strategies as st

__all__ = [
    "build_tree",
    "dtypes",
    "features",
    "flatten_cases",
    "make_tensor",
    "module_trees",
    "seeds",
    "shapes",
    "tensor_and_dim",
    "tensors",
    "training_problems",
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


@st.composite
def tensor_and_dim(draw, dtype=torch.float64, scales=(1.0, 30.0)):
    """A tensor with at least one dim and a valid (possibly negative) dim; sides may be 0."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return make_tensor(shape, draw(seeds), dtype, draw(st.sampled_from(scales))), dim


@st.composite
def flatten_cases(draw):
    """A shape and (start_dim, end_dim), some of them out of range or in the wrong order."""
    shape = draw(shapes(max_dims=4))
    ndim = max(len(shape), 1)
    dims = st.integers(-ndim - 1, ndim)
    return shape, draw(dims), draw(dims)


# (task, seed, num_examples, batch_size): a small training problem, "classify" or
# "regress", for comparing training loops.
training_problems = st.tuples(
    st.sampled_from(["classify", "regress"]), seeds, st.integers(1, 20), st.integers(1, 8)
)
