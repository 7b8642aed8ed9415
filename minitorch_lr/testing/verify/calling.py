"""How verify calls a learner's piece and its torch twin.

A **module** target (``torch.nn.Linear``, ``torch.nn.MSELoss``, ...) is a class: the
learner's class is built with the options the check draws, passed by keyword as torch's
are, and the object is called on the inputs. A **function** target
(``torch.nn.functional.cross_entropy``, ...) is called with torch's positional arguments
(input, target) and the options as keywords. Either way only options the piece declares
are passed: :func:`accepts` reads its signature, and a check that needs an option the
piece does not take is skipped, with the reason (:func:`needs_options`).

The torch twin is looked up by name when a check runs (:class:`Twin`), so that loading
verify imports no ``torch.nn``.

Mirrors no torch function. Left out: pieces whose options are set after construction.
"""

import importlib
import inspect
from dataclasses import dataclass

import torch

from .report import describe

__all__ = ["Twin", "accepts", "needs_options", "positional_count"]

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _parameters(piece):
    try:
        return inspect.signature(piece).parameters.values()
    except (TypeError, ValueError):
        return None  # no signature to read (some built-ins): assume it takes anything


def accepts(piece, option):
    """Whether ``piece`` (a class: its constructor) takes the keyword ``option``."""
    parameters = _parameters(piece)
    if parameters is None:
        return True
    return any(
        parameter.kind == inspect.Parameter.VAR_KEYWORD
        or (parameter.name == option and parameter.kind in _NAMED)
        for parameter in parameters
    )


def positional_count(piece):
    """How many positional arguments ``piece`` takes (a large number for ``*args``)."""
    parameters = _parameters(piece)
    if parameters is None or any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return 1_000
    return sum(parameter.kind in _POSITIONAL for parameter in parameters)


def needs_options(*options):
    """A skip rule for checks that pass ``options``: the reason a piece cannot take them,
    or None."""

    def reason(piece):
        missing = [option for option in options if not accepts(piece, option)]
        if not missing:
            return None
        listed = " or ".join(f"{option}=" for option in missing)
        return f"{_name(piece)} takes no {listed} argument"

    return reason


def _name(piece):
    return getattr(piece, "__name__", type(piece).__name__)


def _option_text(value):
    return describe(value) if isinstance(value, torch.Tensor) else repr(value)


@dataclass(frozen=True)
class Twin:
    """A torch piece named by its dotted path, e.g. ``"torch.nn.MSELoss"``: a module
    (class) if its last part is capitalised, else a function."""

    path: str

    @property
    def short_name(self):
        """The last part of the path: ``MSELoss``, ``cross_entropy``."""
        return self.path.rpartition(".")[2]

    @property
    def is_module(self):
        """A class whose objects are called, not a function."""
        return self.short_name[:1].isupper()

    def torch_object(self):
        """The torch class or function itself, imported now."""
        module, _, name = self.path.rpartition(".")
        return getattr(importlib.import_module(module), name)

    def bind(self, piece, options):
        """A callable of the inputs: ``piece(**options)`` for a module, or ``piece`` with
        the options as keywords for a function."""
        if self.is_module:
            return piece(**options)
        return lambda *inputs: piece(*inputs, **options)

    def call_text(self, piece, options, inputs):
        """How the piece is called, in words: ``Loss(reduction='sum')(input, target)`` or
        ``loss(input, target, reduction='sum')``, tensors in options described."""
        arguments = ", ".join(f"{key}={_option_text(value)}" for key, value in options.items())
        if self.is_module:
            return f"{_name(piece)}({arguments})({inputs})"
        return f"{_name(piece)}({inputs}{', ' if arguments else ''}{arguments})"

    def torch_callable(self, options):
        """The torch twin bound to ``options`` the same way."""
        return self.bind(self.torch_object(), options)
