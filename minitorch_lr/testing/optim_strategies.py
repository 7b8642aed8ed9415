"""Hypothesis strategies for optimizers: hyperparameters, param groups, trajectories.

Left out: strategies for optimizers other than SGD.
"""

import torch
from hypothesis import strategies as st

from .strategies import make_tensor, seeds, shapes

__all__ = [
    "checkpoints",
    "grouped_params",
    "groups_with_state",
    "leaf_tensors",
    "sgd_hyperparameters",
    "trajectories",
]


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


def leaf_tensors(shape_list, seed, dtype=torch.float64):
    """One leaf tensor (``requires_grad``) per shape, each from its own seed."""
    return [
        make_tensor(shape, seed + index, dtype).requires_grad_()
        for index, shape in enumerate(shape_list)
    ]


@st.composite
def grouped_params(draw):
    """Tensors split into 1 to 3 groups, some groups overriding a default ``lr``."""
    shape_list = draw(st.lists(shapes(max_dims=2, max_side=3), min_size=1, max_size=6))
    params = leaf_tensors(shape_list, draw(seeds))
    cuts = sorted(draw(st.lists(st.integers(1, len(params)), max_size=2, unique=True)))
    bounds = [0, *[cut for cut in cuts if cut < len(params)], len(params)]
    groups = []
    for start, stop in zip(bounds, bounds[1:]):
        group = {"params": params[start:stop]}
        if draw(st.booleans()):
            group["lr"] = draw(st.floats(0, 1))
        groups.append(group)
    return groups


@st.composite
def groups_with_state(draw):
    """Grouped tensors, and for some of them a hand-written momentum buffer."""
    groups = draw(grouped_params())
    params = [param for group in groups for param in group["params"]]
    with_state = draw(st.lists(st.sampled_from(range(len(params))), unique=True))
    seed = draw(seeds)
    state = {
        params[index]: {"momentum_buffer": make_tensor(params[index].shape, seed + index)}
        for index in with_state
    }
    return groups, state


@st.composite
def trajectories(draw, steps):
    """(parameter shapes, a seed, which parameters have a gradient at each of ``steps``)."""
    shape_list = draw(st.lists(shapes(max_dims=2, max_side=4), min_size=1, max_size=4))
    present = draw(
        st.lists(
            st.lists(st.booleans(), min_size=len(shape_list), max_size=len(shape_list)),
            min_size=steps,
            max_size=steps,
        )
    )
    return shape_list, draw(seeds), present


@st.composite
def checkpoints(draw, steps):
    """(SGD hyperparameters, a trajectory of ``steps``, the step at which to save)."""
    return (
        draw(sgd_hyperparameters()),
        draw(trajectories(steps)),
        draw(st.integers(1, steps - 1)),
    )
