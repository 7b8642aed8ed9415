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
options by keyword. When a run differs, torch is run again with one option changed
(weight decay 0, no momentum, ...) or with a known mistake (weight decay outside the
momentum buffer, gradients never cleared): the one that matches the learner's run at
every step names the likely cause.

Left out: param groups, closures, state dicts, parameters without a gradient, and options
combined other than momentum with weight decay.
"""

from collections.abc import Iterator

import torch
from hypothesis import strategies as st

from ..optim_trajectories import trajectory, twin_params
from ..strategies import seeds, shapes
from .calling import Twin, needs_options
from .diagnoses import agrees, first_match
from .properties import Property, piece_name, piece_raised
from .report import Mismatch, describe

__all__ = ["STEPS", "properties"]

TWIN = Twin("torch.optim.SGD")
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
    theirs = _run_torch(shape_list, seed, hyperparameters)

    def make(params):
        # Torch's SGD takes any iterable of tensors: a list, or a generator used up by
        # the first loop over it.
        return piece(iter(params) if as_generator else params, **hyperparameters)

    try:
        ours = trajectory(make, shape_list, seed, STEPS)
    except Exception as error:
        return piece_raised(
            example,
            f"after step 1, parameter 0 = {describe(theirs[0][0])}",
            error,
            lambda error=error: _raised_cause(error),
        )
    for step, (our_params, their_params) in enumerate(zip(ours, theirs)):
        for index, (our_param, their_param) in enumerate(zip(our_params, their_params)):
            if not agrees(our_param, their_param):
                return Mismatch(
                    example,
                    f"parameter {index} after step {step + 1} of {STEPS}",
                    describe(their_param),
                    describe(our_param),
                    lambda: _diagnose(
                        ours, shape_list, seed, hyperparameters, _keeps_an_iterator(piece)
                    ),
                )
    return None


def _compare_given_generator(piece, case):
    return _compare(piece, case, as_generator=True)


def _keeps_an_iterator(piece):
    """Whether ``piece``, built from a generator, keeps an iterator (a generator, or
    ``iter(...)`` of the parameters) in an attribute: one loop over it uses it up."""
    params, _ = twin_params([(2,)], 0)
    try:
        optimizer = piece(iter(params), lr=0.1)
        attributes = vars(optimizer).values()
    except Exception:
        return False
    return any(isinstance(value, Iterator) for value in attributes)


def _run_torch(shape_list, seed, hyperparameters, zero_grad=True):
    def make(params):
        optimizer = TWIN.torch_object()(params, **hyperparameters)
        return optimizer if zero_grad else _KeepGradients(optimizer)

    return trajectory(make, shape_list, seed, STEPS)


class _DecoupledDecay:
    """Torch's optimizer without weight decay, the decay then taken straight off each
    parameter, ``p -= lr * weight_decay * p``: the weight decay kept out of the momentum
    buffer, as AdamW does (and as torch's SGD does not)."""

    def __init__(self, params, hyperparameters):
        self.params = params
        self.lr = hyperparameters["lr"]
        self.weight_decay = hyperparameters["weight_decay"]
        self.optimizer = TWIN.torch_object()(params, **{**hyperparameters, "weight_decay": 0})

    def zero_grad(self):
        self.optimizer.zero_grad()

    def step(self):
        before = [param.detach().clone() for param in self.params]
        self.optimizer.step()
        with torch.no_grad():
            for param, old in zip(self.params, before):
                param.sub_(self.lr * self.weight_decay * old)


class _KeepGradients:
    """Torch's optimizer whose ``zero_grad`` does nothing: gradients pile up."""

    def __init__(self, optimizer):
        self.optimizer = optimizer

    def zero_grad(self):
        pass

    def step(self):
        self.optimizer.step()


def _flat(snapshots):
    return torch.cat([param.flatten() for step in snapshots for param in step])


def _diagnose(ours, shape_list, seed, hyperparameters, keeps_an_iterator=False):
    start = [param.detach() for param in twin_params(shape_list, seed)[0]]
    if agrees(_flat(ours), _flat([start] * STEPS)):
        if keeps_an_iterator:
            return (
                "the parameters never move: the optimizer keeps an iterator of them (a "
                "generator such as net.parameters(), or iter(...)), which the first loop over "
                "it (here zero_grad's) uses up, so that step() sees no parameter; store "
                "list(params)"
            )
        return (
            "the parameters never move: step() must change each tensor in place (p -= lr * "
            "p.grad, or p.sub_(...), under torch.no_grad()); p = p - lr * p.grad only "
            "rebinds the loop's name"
        )
    changes = [
        ("weight_decay", 0.0, "the weight decay term is missing (grad + weight_decay * param)"),
        ("momentum", 0.0, "the momentum buffer is not used"),
        ("dampening", 0.0, "dampening is not applied (the buffer takes (1 - dampening) * grad)"),
        ("nesterov", False, "the Nesterov step (grad + momentum * buffer) is missing"),
        ("maximize", False, "maximize is not applied: the step goes down, not up"),
    ]
    candidates = [
        (
            f"the parameters move as torch's do with {option}={value!r}: {cause}",
            lambda option=option, value=value: _flat(
                _run_torch(shape_list, seed, {**hyperparameters, option: value})
            ),
        )
        for option, value, cause in changes
        if option in hyperparameters and hyperparameters[option] != value
    ]
    decay = hyperparameters.get("weight_decay")
    if decay:
        # torch adds weight_decay * p: the gradient of the penalty (weight_decay / 2) ||p||^2.
        candidates += [
            (
                f"the parameters move as torch's do with weight_decay={factor * decay!r}: the "
                f"term added is {words} * param; torch adds weight_decay * param, the gradient "
                "of the penalty (weight_decay / 2) * ||param||^2",
                lambda factor=factor: _flat(
                    _run_torch(
                        shape_list, seed, {**hyperparameters, "weight_decay": factor * decay}
                    )
                ),
            )
            for factor, words in ((0.5, "weight_decay / 2"), (2.0, "2 * weight_decay"))
        ]
    if hyperparameters.get("momentum") and decay:
        candidates.append(
            (
                "the weight decay is applied outside the momentum buffer (p -= lr * (buffer "
                "+ weight_decay * p)); torch adds weight_decay * p to the gradient first, and "
                "the buffer takes the sum",
                lambda: _flat(
                    trajectory(
                        lambda params: _DecoupledDecay(params, hyperparameters),
                        shape_list,
                        seed,
                        STEPS,
                    )
                ),
            )
        )
    candidates += [
        (
            "the gradients pile up from step to step: zero_grad() does not clear .grad",
            lambda: _flat(_run_torch(shape_list, seed, hyperparameters, zero_grad=False)),
        ),
        (
            "the step goes up the gradient: its sign is flipped",
            lambda: _flat(
                _run_torch(
                    shape_list,
                    seed,
                    {**hyperparameters, "maximize": not hyperparameters.get("maximize", False)},
                )
            ),
        ),
    ]
    return first_match(_flat(ours), candidates)


def _raised_cause(error):
    text = str(error)
    if "leaf Variable that requires grad" in text:
        return (
            "the update runs under autograd, which refuses to change a leaf in place: wrap "
            "it in `with torch.no_grad():`"
        )
    if isinstance(error, AttributeError) and "'NoneType'" in text:
        return (
            "a .grad is None: before the first backward(), and after torch's zero_grad(), "
            "a parameter has no gradient; zero it only where p.grad is not None, or set it "
            "to None"
        )
    if isinstance(error, TypeError) and "'lr'" in text:
        return "torch's SGD takes the learning rate as the keyword lr=: name the argument lr"
    return None


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
            example, "every .grad None", error, lambda error=error: _raised_cause(error)
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
