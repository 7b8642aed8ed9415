"""The check that a function's tensor argument is a tensor, with torch's error.

torch's functions are written in C++ and refuse anything but a tensor with a
``TypeError`` that names the function, the argument and its position:
``linear(): argument 'input' (position 1) must be Tensor, not list``. Written in Python,
our functions would instead fail later with an ``AttributeError`` (a list has no
``dim``); this check gives the learner torch's message at the call.

Left out: torch's full overload matching (the message lists one expected type).
"""

import torch

__all__ = ["check_tensor"]


def check_tensor(value, function, argument, position):
    """Raise torch's ``TypeError`` unless ``value`` is a tensor."""
    if not isinstance(value, torch.Tensor):
        # torch.typename names a type as torch's message does: "list", "numpy.ndarray".
        raise TypeError(
            f"{function}(): argument '{argument}' (position {position}) must be Tensor, "
            f"not {torch.typename(value)}"
        )
