r"""The mistakes a learner's SGD is diagnosed with, each as a run of torch's SGD that
makes it: :func:`diagnose` names the first whose parameters equal the learner's after
every step.

torch's update, for a parameter :math:`p` with gradient :math:`g`, is

.. math:: g \leftarrow g + \lambda p, \quad b \leftarrow \mu b + (1 - \tau) g, \quad
   p \leftarrow p - \eta\, b

(:math:`\lambda` weight decay, :math:`\mu` momentum, :math:`\tau` dampening, :math:`\eta`
the learning rate; the buffer :math:`b` starts as :math:`g`). A mistake is torch's run
with one option changed (weight decay 0, or half or twice its value; no momentum, no
dampening, no Nesterov; maximize flipped), or one of two optimizers written here:
:class:`KeepGradients` (``zero_grad()`` does nothing) and :class:`DecoupledDecay`
(:math:`p \leftarrow p - \eta (b + \lambda p)`, the decay kept out of the buffer).
Parameters that never move, and errors raised, are told from what they are.

Mirrors no torch function. Left out: mistakes that need more than one input to tell.
"""

from collections.abc import Iterator

import torch

from ..optim_trajectories import trajectory, twin_params
from .calling import Twin
from .diagnoses import agrees, first_match

__all__ = [
    "DecoupledDecay",
    "KeepGradients",
    "diagnose",
    "keeps_an_iterator",
    "raised_cause",
    "run_torch",
]

TWIN = Twin("torch.optim.SGD")


def run_torch(shape_list, seed, hyperparameters, steps, mistake=None):
    """The parameters after each of ``steps`` steps of torch's SGD with ``hyperparameters``
    (see :func:`~minitorch_lr.testing.optim_trajectories.trajectory`), or of
    ``mistake(params, hyperparameters)`` when given."""

    def make(params):
        if mistake is not None:
            return mistake(params, hyperparameters)
        return TWIN.torch_object()(params, **hyperparameters)

    return trajectory(make, shape_list, seed, steps)


class KeepGradients:
    """Torch's SGD whose ``zero_grad`` does nothing: gradients pile up."""

    def __init__(self, params, hyperparameters):
        self.optimizer = TWIN.torch_object()(params, **hyperparameters)

    def zero_grad(self):
        """Leave every ``.grad`` as it is (the mistake)."""

    def step(self):
        """Torch's step, on the gradients piled up so far."""
        self.optimizer.step()


class DecoupledDecay:
    """Torch's SGD without weight decay, the decay then taken straight off each
    parameter, ``p -= lr * weight_decay * p``: the weight decay kept out of the momentum
    buffer, as AdamW does (and as torch's SGD does not). Without momentum the two agree."""

    def __init__(self, params, hyperparameters):
        self.params = params
        self.lr = hyperparameters["lr"]
        self.weight_decay = hyperparameters["weight_decay"]
        self.optimizer = TWIN.torch_object()(params, **{**hyperparameters, "weight_decay": 0})

    def zero_grad(self):
        """Torch's ``zero_grad()``."""
        self.optimizer.zero_grad()

    def step(self):
        """Torch's step without decay, then ``p -= lr * weight_decay * p`` with each
        parameter as it was before the step."""
        before = [param.detach().clone() for param in self.params]
        self.optimizer.step()
        with torch.no_grad():
            for param, old in zip(self.params, before):
                param.sub_(self.lr * self.weight_decay * old)


def keeps_an_iterator(piece):
    """Whether ``piece``, built from a generator, keeps an iterator (a generator, or
    ``iter(...)`` of the parameters) in an attribute: one loop over it uses it up."""
    params, _ = twin_params([(2,)], 0)
    try:
        optimizer = piece((param for param in params), lr=0.1)
        attributes = vars(optimizer).values()
    except Exception:
        return False
    return any(isinstance(value, Iterator) for value in attributes)


def _flat(snapshots):
    return torch.cat([param.flatten() for step in snapshots for param in step])


def _changes(hyperparameters):
    """(cause, hyperparameters changed) for each option torch's run may be rerun with."""
    decay = hyperparameters.get("weight_decay")
    changes = [
        ("weight_decay", 0.0, "the weight decay term is missing (grad + weight_decay * param)"),
        ("momentum", 0.0, "the momentum buffer is not used"),
        ("dampening", 0.0, "dampening is not applied (the buffer takes (1 - dampening) * grad)"),
        ("nesterov", False, "the Nesterov step (grad + momentum * buffer) is missing"),
        ("maximize", False, "maximize is not applied: the step goes down, not up"),
    ]
    found = [
        (f"the parameters move as torch's do with {option}={value!r}: {cause}", {option: value})
        for option, value, cause in changes
        if option in hyperparameters and hyperparameters[option] != value
    ]
    if decay:
        # torch adds weight_decay * p: the gradient of the penalty (weight_decay / 2) ||p||^2.
        found += [
            (
                f"the parameters move as torch's do with weight_decay={factor * decay!r}: the "
                f"term added is {words} * param; torch adds weight_decay * param, the gradient "
                "of the penalty (weight_decay / 2) * ||param||^2",
                {"weight_decay": factor * decay},
            )
            for factor, words in ((0.5, "weight_decay / 2"), (2.0, "2 * weight_decay"))
        ]
    return found


def diagnose(ours, shape_list, seed, hyperparameters, keeps_iterator=False):
    """The likely cause of a learner's run ``ours`` (the parameters after each step, from
    the start ``twin_params(shape_list, seed)``), or None.

    ``keeps_iterator``: what :func:`keeps_an_iterator` says of the learner's class.
    """
    steps = len(ours)
    start = [param.detach() for param in twin_params(shape_list, seed)[0]]
    if agrees(_flat(ours), _flat([start] * steps)):
        if keeps_iterator:
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

    def run(changed=None, mistake=None):
        return lambda: _flat(
            run_torch(shape_list, seed, {**hyperparameters, **(changed or {})}, steps, mistake)
        )

    candidates = [(cause, run(changed)) for cause, changed in _changes(hyperparameters)]
    if hyperparameters.get("momentum") and hyperparameters.get("weight_decay"):
        candidates.append(
            (
                "the weight decay is applied outside the momentum buffer (p -= lr * (buffer "
                "+ weight_decay * p)); torch adds weight_decay * p to the gradient first, and "
                "the buffer takes the sum",
                run(mistake=DecoupledDecay),
            )
        )
    candidates += [
        (
            "the gradients pile up from step to step: zero_grad() does not clear .grad",
            run(mistake=KeepGradients),
        ),
        (
            "the step goes up the gradient: its sign is flipped",
            run({"maximize": not hyperparameters.get("maximize", False)}),
        ),
    ]
    return first_match(_flat(ours), candidates)


def raised_cause(error):
    """The likely cause of an error a learner's SGD raised, or None."""
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
