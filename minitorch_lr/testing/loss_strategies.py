"""Hypothesis strategies for losses: regression pairs, logits with class-index or
probability targets, and every option of cross-entropy.

Left out: targets for losses beyond the chapter's.
"""

import torch
from hypothesis import strategies as st

from .strategies import make_tensor, seeds, shapes

__all__ = [
    "class_index_batches",
    "class_index_cases",
    "class_logit_shapes",
    "class_weights",
    "label_smoothings",
    "probability_target_cases",
    "reductions",
    "regression_pairs",
    "teaching_cases",
]

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
def class_index_batches(draw, scales=(1.0, 10.0), dtype=torch.float64, max_batch=4, max_classes=5):
    """(logits, target): (N, C) logits at a drawn scale and N class indices, N >= 1; the
    layout of the chapter's softmax regression, with no option drawn."""
    batch, classes = draw(st.integers(1, max_batch)), draw(st.integers(1, max_classes))
    seed = draw(seeds)
    logits = make_tensor((batch, classes), seed, dtype, draw(st.sampled_from(scales)))
    generator = torch.Generator().manual_seed(seed)
    return logits, torch.randint(0, classes, (batch,), generator=generator)


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


@st.composite
def teaching_cases(draw):
    """(N, C) logits, class indices with some ignored (at least one counted), weights and
    a reduction: the inputs :class:`~minitorch_lr.nn.softmax_cross_entropy.SoftmaxCrossEntropy`
    takes."""
    batch, classes = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    seed = draw(seeds)
    generator = torch.Generator().manual_seed(seed)
    logits = make_tensor((batch, classes), seed, scale=draw(st.sampled_from([1.0, 10.0])))
    target = torch.randint(0, classes, (batch,), generator=generator)
    ignored = torch.rand(batch, generator=generator) < draw(st.sampled_from([0.0, 0.4]))
    ignored[0] = False
    target[ignored] = -100
    weight = None
    if draw(st.booleans()):
        weight = torch.rand(classes, generator=generator, dtype=torch.float64) + 0.1
    return logits, target, weight, draw(reductions)
