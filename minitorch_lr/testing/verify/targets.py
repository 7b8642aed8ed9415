"""The torch targets verify knows, and the properties it checks for each.

Each kind of piece has its file (``linear.py`` and ``linear_init.py``, ``flatten.py``,
``regression_losses.py``, ``cross_entropy.py``, ``softmax.py``, ``sgd.py``); a loss and
its function form share one, told apart by the target's name (a class is built with the
options, a function takes them as keywords).

Mirrors no torch function. Left out: every torch piece the chapter does not use.
"""

import inspect
from functools import partial

from . import cross_entropy, flatten, linear, linear_init, regression_losses, sgd, softmax
from .calling import Twin
from .loading import VerifyUsageError

__all__ = ["SUPPORTED_TARGETS", "check_kind", "properties_for"]

_PROPERTIES = {
    "torch.nn.Linear": lambda: [*linear.properties(), *linear_init.properties()],
    "torch.nn.Flatten": flatten.properties,
    "torch.nn.MSELoss": partial(regression_losses.properties, "torch.nn.MSELoss"),
    "torch.nn.L1Loss": partial(regression_losses.properties, "torch.nn.L1Loss"),
    "torch.nn.HuberLoss": partial(regression_losses.properties, "torch.nn.HuberLoss"),
    "torch.nn.CrossEntropyLoss": partial(cross_entropy.properties, "torch.nn.CrossEntropyLoss"),
    "torch.nn.functional.softmax": partial(softmax.properties, "torch.nn.functional.softmax"),
    "torch.nn.functional.log_softmax": partial(
        softmax.properties, "torch.nn.functional.log_softmax"
    ),
    "torch.nn.functional.cross_entropy": partial(
        cross_entropy.properties, "torch.nn.functional.cross_entropy"
    ),
    "torch.nn.functional.mse_loss": partial(
        regression_losses.properties, "torch.nn.functional.mse_loss"
    ),
    "torch.optim.SGD": sgd.properties,
}

#: The torch names ``verify`` accepts as ``against``.
SUPPORTED_TARGETS = tuple(_PROPERTIES)


def properties_for(target):
    """The properties checked against the torch piece named ``target``.

    Raises:
        VerifyUsageError: verify does not know ``target``; the message lists the
            supported targets.
    """
    if target not in _PROPERTIES:
        raise VerifyUsageError(
            f"unsupported target {target!r}; supported: {', '.join(SUPPORTED_TARGETS)}"
        )
    return _PROPERTIES[target]()


def check_kind(piece, target):
    """Raise unless ``piece`` is the kind of thing ``target`` is: a class for a class (a
    layer, a loss module, an optimizer), anything callable but a class for a function.

    Raises:
        VerifyUsageError: naming both kinds, and the torch name that would fit.
    """
    name = getattr(piece, "__name__", type(piece).__name__)
    if Twin(target).is_module:
        if not inspect.isclass(piece):
            function = _FUNCTION_OF_CLASS.get(target)
            also = f"; a function is checked against {function}" if function else ""
            raise VerifyUsageError(
                f"{target} is a class, and {name} is not a class: give the class itself, "
                f"not an object of it{also}"
            )
        return
    if inspect.isclass(piece):
        module = {function: module for module, function in _FUNCTION_OF_CLASS.items()}.get(target)
        also = f"; a class is checked against {module}" if module else ""
        raise VerifyUsageError(
            f"{target} is a function, and {name} is a class: give a function, or an object "
            f"of the class if calling it computes the result{also}"
        )
    if not callable(piece):
        raise VerifyUsageError(f"{target} is a function, and {name} cannot be called")


# The loss classes whose function form verify knows too.
_FUNCTION_OF_CLASS = {
    "torch.nn.CrossEntropyLoss": "torch.nn.functional.cross_entropy",
    "torch.nn.MSELoss": "torch.nn.functional.mse_loss",
}
