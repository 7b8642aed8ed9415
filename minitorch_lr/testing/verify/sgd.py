r"""verify's properties for ``torch.optim.SGD``: a learner's class ``SGD(params, lr=...,
...)`` with ``step()`` and ``zero_grad()``.

Both optimizers take :data:`STEPS` steps on the objective of
:mod:`~minitorch_lr.testing.optim_trajectories`, :math:`\sum_i \langle t_i, \tanh(p_i)
\rangle`, from equal float64 parameters; after every step the parameters must equal
torch's (momentum and dampening only show from the second step on). Plain steps come
first, then the parameters handed over as a generator, as ``net.parameters()`` is, then
each option the class takes, on its own: ``momentum``, ``dampening``, ``nesterov``,
``weight_decay``, ``maximize``, and last momentum and weight decay together, where the
order of the two terms shows. The class is built as torch's is, with ``lr`` and the
options by keyword. When a run differs, the mistakes of
:mod:`~minitorch_lr.testing.verify.sgd_mistakes` (torch run again with one option changed,
or with a known mistake) are tried: the one that matches the learner's run at every step
names the likely cause.

Left out: param groups, closures, state dicts, parameters without a gradient, and options
combined other than momentum with weight decay.
"""

import torch
from hypothesis import strategies as st

from ..optim_trajectories import trajectory, twin_params
from ..strategies import seeds, shapes
from .calling import needs_options
from .diagnoses import agrees
from .properties import Property, piece_name, piece_raised
from .report import Mismatch, describe
from .sgd_mistakes import diagnose, keeps_an_iterator, raised_cause, run_torch

__all__ = ["STEPS", "properties"]

STEPS = 10
# Values rather than ranges, so that a failing case reads plainly.
_OPTIONS = {
    "momentum": {"momentum": [0.5, 0.9]},
    "dampening": {"momentum": [0.5, 0.9], "dampening": [0.1, 0.5]},
    "nesterov": {"momentum": [0.5, 0.9], "nesterov": [True]},
    "weight_decay": {"weight_decay": [0.01, 0.1, 0.5]},
    "maximize": {"maximize": [True]},
}
# Options whose interplay one option alone cannot show: torch adds the weight decay to the
# gradient *before* the momentum buffer.
_TOGETHER = {"momentum": [0.5, 0.9], "weight_decay": [0.1, 0.5]}


def _cases(options=None):
    """(parameter shapes, seed, hyperparameters): lr and the values of ``options`` (a
    dict from each option to its values) drawn."""
    drawn = {"lr": st.sampled_from([0.01, 0.1, 0.5])}
    for name, values in (options or {}).items():
        drawn[name] = st.sampled_from(values)
    shape_lists = st.lists(shapes(max_dims=2, min_side=1, max_side=3), min_size=1, max_size=3)
    return st.tuples(shape_lists, seeds, st.fixed_dictionaries(drawn))


def properties():
    """The checks of an SGD class, in the order they are reported."""
    checks = [
        Property(
            f"plain steps (lr only): parameters equal torch's after each of {STEPS} steps",
            _compare,
            _cases(),
        ),
        Property(
            "params given as a generator, as net.parameters() is: parameters equal torch's",
            _compare_given_generator,
            _cases(),
        ),
    ]
    for option, values in _OPTIONS.items():
        checks.append(
            Property(
                f"{option}=: parameters equal torch's after each of {STEPS} steps",
                _compare,
                _cases(values),
                needs_options(*values),
            )
        )
    checks.append(
        Property(
            "together, momentum= and weight_decay=: parameters equal torch's after each step",
            _compare,
            _cases(_TOGETHER),
            needs_options(*_TOGETHER),
        )
    )
    checks.append(Property("zero_grad() clears every gradient", _zero_grad))
    return checks


def _compare(piece, case, as_generator=False):
    shape_list, seed, hyperparameters = case
    arguments = ", ".join(f"{key}={value!r}" for key, value in hyperparameters.items())
    params = "(p for p in params)" if as_generator else "params"
    example = (
        f"{piece_name(piece)}({params}, {arguments}), parameters of shapes {shape_list} "
        f"(seed {seed}), {STEPS} steps"
    )
    theirs = run_torch(shape_list, seed, hyperparameters, STEPS)

    def make(params):
        # Torch's SGD takes any iterable of tensors: a list, or a generator used up by
        # the first loop over it.
        if as_generator:
            params = (param for param in params)
        return piece(params, **hyperparameters)

    try:
        ours = trajectory(make, shape_list, seed, STEPS)
    except Exception as error:
        return piece_raised(
            example,
            f"after step 1, parameter 0 = {describe(theirs[0][0])}",
            error,
            lambda error=error: raised_cause(error),
        )
    for step, (our_params, their_params) in enumerate(zip(ours, theirs)):
        for index, (our_param, their_param) in enumerate(zip(our_params, their_params)):
            if not agrees(our_param, their_param):
                return Mismatch(
                    example,
                    f"parameter {index} after step {step + 1} of {STEPS}",
                    describe(their_param),
                    describe(our_param),
                    lambda: diagnose(
                        ours, shape_list, seed, hyperparameters, keeps_an_iterator(piece)
                    ),
                )
    return None


def _compare_given_generator(piece, case):
    return _compare(piece, case, as_generator=True)


def _zero_grad(piece, case):
    example = (
        f"{piece_name(piece)}(params, lr=0.1) with params of shapes [(2, 3), (3,)], each "
        ".grad ones"
    )
    params, _ = twin_params([(2, 3), (3,)], seed=0)
    for param in params:
        param.grad = torch.ones_like(param)
    try:
        piece(params, lr=0.1).zero_grad()
    except Exception as error:
        return piece_raised(
            example, "every .grad None", error, lambda error=error: raised_cause(error)
        )
    for index, param in enumerate(params):
        if param.grad is not None and bool(param.grad.ne(0).any()):
            return Mismatch(
                example,
                f"parameter {index}'s .grad after zero_grad()",
                "None (torch's default; zeros would do as well)",
                describe(param.grad),
                lambda: (
                    "zero_grad() leaves .grad as it was: set each parameter's .grad to "
                    "None, or zero it in place"
                ),
            )
    return None
