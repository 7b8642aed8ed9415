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


# --- losses ---------------------------------------------------------------------------

reductions = st.sampled_from(["mean", "sum", "none"])


@st.composite
def regression_pairs(draw, dtype=torch.float64):
    """(input, target) of one shape, at a drawn scale: at 0.1 almost every error is below
    the default Huber delta, at 10 almost none is, at 1 both kinds are common."""
    shape = draw(shapes(max_dims=3, max_side=4))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
    return (
        make_tensor(shape, draw(seeds), dtype, scale),
        make_tensor(shape, draw(seeds), dtype, scale),
    )


@st.composite
def class_logit_shapes(draw, max_batch=4, max_classes=5):
    """Logit shapes for cross-entropy: unbatched (C,), (N, C) or (N, C, d1, ..., dK),
    with C >= 1; N and the d's may be 0 (empty batches)."""
    classes = draw(st.integers(1, max_classes))
    layout = draw(st.sampled_from(["unbatched", "batched", "k-dim"]))
    if layout == "unbatched":
        return (classes,)
    batch = draw(st.integers(0, max_batch))
    extra = draw(shapes(min_dims=1, max_dims=2, max_side=3)) if layout == "k-dim" else ()
    return (batch, classes, *extra)


@st.composite
def class_weights(draw, classes, dtype=torch.float64, weighted=None):
    """A positive weight per class, or None; ``weighted`` (a strategy of booleans) says
    which, drawn half and half if not given."""
    if not draw(st.booleans() if weighted is None else weighted):
        return None
    generator = torch.Generator().manual_seed(draw(seeds))
    return torch.rand(classes, generator=generator, dtype=dtype) + 0.1


label_smoothings = st.one_of(st.just(0.0), st.floats(0.0, 1.0))


@st.composite
def class_index_cases(
    draw, dtype=torch.float64, scales=(1.0, 10.0), weighted=None, reduction=reductions
):
    """(logits, target, kwargs) for cross_entropy with class-index targets.

    Every option is drawn: weights, reduction, label smoothing and ``ignore_index``,
    with a drawn share of the targets (none, some or all) set to it. ``ignore_index`` is
    -100 (the default), -1, or 0, a real class that is then left out. A test can fix
    ``weighted`` and ``reduction`` (e.g. ``st.just(True)``) to cover each combination.
    """
    shape = draw(class_logit_shapes())
    class_dim = 0 if len(shape) == 1 else 1
    classes = shape[class_dim]
    logits = make_tensor(shape, draw(seeds), dtype, draw(st.sampled_from(scales)))
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    generator = torch.Generator().manual_seed(draw(seeds))
    target = torch.randint(0, classes, target_shape, generator=generator)
    ignore_index = draw(st.sampled_from([-100, -1, 0]))
    ignored_share = draw(st.sampled_from([0.0, 0.3, 1.0]))
    target[torch.rand(target_shape, generator=generator) < ignored_share] = ignore_index
    kwargs = {
        "weight": draw(class_weights(classes, dtype, weighted)),
        "ignore_index": ignore_index,
        "reduction": draw(reduction),
        "label_smoothing": draw(label_smoothings),
    }
    return logits, target, kwargs


@st.composite
def probability_target_cases(draw, dtype=torch.float64, reduction=reductions):
    """(logits, target, kwargs) for cross_entropy with class-probability targets (each
    row a distribution over the classes), weights, reduction and label smoothing."""
    shape = draw(class_logit_shapes())
    class_dim = 0 if len(shape) == 1 else 1
    logits = make_tensor(shape, draw(seeds), dtype, draw(st.sampled_from([1.0, 10.0])))
    target = make_tensor(shape, draw(seeds), dtype, 3.0).softmax(class_dim)
    kwargs = {
        "weight": draw(class_weights(shape[class_dim], dtype)),
        "reduction": draw(reduction),
        "label_smoothing": draw(label_smoothings),
    }
    return logits, target, kwargs


__all__ += [
    "class_index_cases",
    "class_logit_shapes",
    "class_weights",
    "label_smoothings",
    "probability_target_cases",
    "reductions",
    "regression_pairs",
]
