"""A property of a torch target, and how one is run on a learner's piece.

A :class:`Property` says what must hold and how to compare: ``compare(piece, case)``
returns a :class:`~minitorch_lr.testing.verify.report.Mismatch` or None for one input
``case``, drawn by Hypothesis from ``cases``. :func:`run_property` asks Hypothesis to
*find* an input where the comparison fails (``hypothesis.find``), which also shrinks it
to the smallest such input; only then is the failure diagnosed. The search is bounded
(:data:`MAX_EXAMPLES` inputs, no deadline, no example database, derandomized so that
the same piece always gives the same report), so that one piece is verified in seconds.

An :class:`Information` is a finding reported without a verdict (``INFO``).

Mirrors no torch function; it plays the part of Hypothesis's ``@given`` for one piece.
Left out: parallel runs, timeouts for a piece that never returns.
"""

from dataclasses import dataclass

import torch
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis.errors import Flaky, NoSuchExample

from ..assertions import forward_backward_difference
from .diagnoses import dtype_cause
from .report import FAIL, INFO, PASS, SKIP, Mismatch, Result, describe

__all__ = [
    "MAX_EXAMPLES",
    "Information",
    "Property",
    "forward_backward_mismatch",
    "loss_mismatch",
    "piece_name",
    "piece_raised",
    "run_property",
]

# Inputs tried per property: enough to meet every branch of the strategies (empty
# batches, one class, each option on and off) in about a second or less per property on
# a 2-core CPU.
MAX_EXAMPLES = 40


@dataclass(frozen=True)
class Property:
    """What must hold for a piece, checked on inputs drawn from ``cases`` (a Hypothesis
    strategy), or once with ``case=None`` when ``cases`` is None.

    ``skip(piece)`` gives the reason the property cannot run on this piece (an option it
    does not take), or None.
    """

    name: str
    compare: object
    cases: object = None
    skip: object = None


@dataclass(frozen=True)
class Information:
    """A finding about a piece that is no verdict: ``describe(piece)`` returns its text."""

    name: str
    describe: object


def piece_raised(example, torch_value, error, diagnose=None):
    """The mismatch of a piece that raised ``error`` where torch gave ``torch_value``."""
    return Mismatch(
        example, "your piece raised an error", describe(torch_value), describe(error), diagnose
    )


def forward_backward_mismatch(
    example, piece_call, torch_call, inputs, parameters=(), diagnose=None, **tolerance
):
    """Compare a forward and backward pass of the piece with torch's on ``inputs`` (see
    :func:`~minitorch_lr.testing.assertions.forward_backward_difference`): None if they
    agree, else the :class:`Mismatch`.

    ``diagnose(observed)`` gets the
    :class:`~minitorch_lr.testing.assertions.Difference`, or the exception the piece
    raised, and returns the likely cause or None.
    """

    def cause(observed):
        def likely():
            return dtype_cause(observed) or (
                diagnose(observed) if diagnose is not None else None
            )

        return likely

    try:
        difference = forward_backward_difference(
            piece_call, torch_call, inputs, parameters, **tolerance
        )
    except Exception as error:  # torch's side runs on valid inputs: the piece raised
        return piece_raised(example, torch_call(*inputs), error, cause(error))
    if difference is None:
        return None
    return Mismatch(
        example,
        difference.what,
        describe(difference.theirs),
        describe(difference.ours),
        cause(difference),
    )


def loss_mismatch(twin, piece, options, input, target, names, diagnose, target_has_grad=True):
    """Call ``piece`` as the loss ``twin`` (a :class:`~.calling.Twin`) with ``options`` on
    ``(input, target)`` and compare it with torch's: None, or the :class:`Mismatch`.

    Args:
        names: what to call input and target in the report, e.g. ``("logits", "target")``.
        diagnose: ``diagnose(loss, observed)``, given the piece bound to the options and
            what :func:`forward_backward_mismatch` observed.
        target_has_grad: compare the target's gradient too (False for class indices).
    """
    input_name, target_name = names
    example = (
        f"{twin.call_text(piece, options, f'{input_name}, {target_name}')} with "
        f"{input_name} {describe(input)}, {target_name} {describe(target)}"
    )
    torch_loss = twin.torch_callable(options)
    try:
        loss = twin.bind(piece, options)
    except Exception as error:
        return piece_raised(example, torch_loss(input, target), error)
    if target_has_grad:
        ours, theirs, inputs = loss, torch_loss, [input, target]
    else:
        inputs = [input]

        def ours(x):
            return loss(x, target)

        def theirs(x):
            return torch_loss(x, target)

    return forward_backward_mismatch(
        example, ours, theirs, inputs, diagnose=lambda observed: diagnose(loss, observed)
    )


def piece_name(piece):
    """The name a report uses for a piece: its class or function name."""
    return getattr(piece, "__qualname__", type(piece).__name__)


def _search_settings(max_examples):
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        # Generate, then shrink; Hypothesis's "explain" phase would trace every call to
        # say which lines a failure runs, which the report does not use.
        phases=[Phase.generate, Phase.shrink],
    )


def run_property(piece, check, max_examples=MAX_EXAMPLES):
    """Run one :class:`Property` or :class:`Information` on ``piece``; return its
    :class:`~minitorch_lr.testing.verify.report.Result`.

    Torch runs on one thread meanwhile, and is set back after: the tensors are tiny, and
    spreading each operation over threads costs far more than it saves.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _run(piece, check, max_examples)
    finally:
        torch.set_num_threads(threads)


def _run(piece, check, max_examples):
    if isinstance(check, Information):
        return Result(INFO, check.name, check.describe(piece))
    reason = check.skip(piece) if check.skip is not None else None
    if reason is not None:
        return Result(SKIP, check.name, reason)
    case = None
    if check.cases is not None:
        try:
            case = find(
                check.cases,
                lambda drawn: check.compare(piece, drawn) is not None,
                settings=_search_settings(max_examples),
            )
        except NoSuchExample:
            return Result(PASS, check.name)
        except Flaky:
            return _changing(check.name, "an input Hypothesis tried twice")
    mismatch = check.compare(piece, case)
    if mismatch is None:
        return Result(PASS, check.name) if case is None else _changing(check.name, repr(case))
    diagnosis = mismatch.diagnose() if mismatch.diagnose is not None else None
    return Result(FAIL, check.name, mismatch=mismatch, diagnosis=diagnosis)


def _changing(name, example):
    mismatch = Mismatch(
        example,
        "the result of one input, computed twice",
        "the same result every time",
        "a mismatch once, none the next time",
    )
    diagnosis = "the result changes from call to call (random draws, or state kept between calls)"
    return Result(FAIL, name, mismatch=mismatch, diagnosis=diagnosis)
