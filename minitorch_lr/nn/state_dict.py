"""Checking a state dict before ``Module.load_state_dict`` copies anything from it.

``load_state_dict`` compares the loaded ``{dotted_name: tensor}`` with the module's own,
key by key and shape by shape, and reports every problem at once in torch's words. Here
everything is checked before the first tensor is copied, so a failed load leaves the
module as it was (torch's may have copied some tensors before it fails).

Left out: torch's ``_metadata`` versions and the per-module ``_load_from_state_dict`` hook.
"""

from collections import namedtuple

import torch

__all__ = ["IncompatibleKeys", "check_state_dict"]

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def check_state_dict(own, state_dict, strict, module_name):
    """The missing and unexpected keys of ``state_dict`` against ``own``.

    Args:
        own: the module's ``state_dict(keep_vars=True)``.
        state_dict: the mapping being loaded.
        strict: whether missing and unexpected keys are errors.
        module_name: the class name, for the message.

    Returns:
        ``IncompatibleKeys(missing_keys, unexpected_keys)``.

    Raises:
        TypeError: ``state_dict`` is not a dict.
        RuntimeError: a value that is not a tensor, a shape mismatch, or (``strict``)
            missing or unexpected keys; one message lists them all.
    """
    if not isinstance(state_dict, dict):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    errors = []
    if strict and missing:
        errors.append("Missing key(s) in state_dict: " + _quoted(missing) + ". ")
    if strict and unexpected:
        errors.append("Unexpected key(s) in state_dict: " + _quoted(unexpected) + ". ")
    for key, target in own.items():
        if key not in state_dict:
            continue
        source = state_dict[key]
        if not isinstance(source, torch.Tensor):
            errors.append(
                f'While copying the parameter named "{key}", expected torch.Tensor '
                f"or Tensor-like object from checkpoint but received {type(source)}"
            )
        elif source.shape != target.shape:
            errors.append(
                f"size mismatch for {key}: copying a param with shape {source.shape} "
                f"from checkpoint, the shape in current model is {target.shape}."
            )
    if errors:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {module_name}:\n\t" + "\n\t".join(errors)
        )
    return IncompatibleKeys(missing, unexpected)


def _quoted(keys):
    return ", ".join(f'"{key}"' for key in keys)
