"""Checking a state dict before ``Module.load_state_dict`` copies anything from it, and
assigning its tensors when the caller asks for that instead of a copy.

``load_state_dict`` compares the loaded ``{dotted_name: tensor}`` with the module's own,
key by key and shape by shape, and reports every problem at once in torch's words. Here
everything is checked before the first tensor is copied, so a failed load leaves the
module as it was (torch's may have copied some tensors before it fails).

Left out: torch's ``_metadata`` versions and the per-module ``_load_from_state_dict`` hook.
"""

from collections import namedtuple

import torch

from .parameter import Parameter, is_lazy

__all__ = ["IncompatibleKeys", "assign_entry", "check_state_dict"]



class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it lacked and the keys it did not know.

    Printed as torch prints it, ``<All keys matched successfully>`` when both are empty.
    """

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


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
        elif is_lazy(target):
            continue  # a placeholder takes whatever shape is loaded into it
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


def assign_entry(root, key, tensor, current):
    """Make ``tensor`` the entry ``key`` (``"0.weight"``) of the module tree ``root``,
    replacing ``current``: ``load_state_dict(assign=True)``.

    A parameter stays a Parameter (the tensor is wrapped, sharing its storage) and keeps
    ``current``'s ``requires_grad``, as in torch; a buffer takes the tensor as it is.
    """
    module_path, _, name = key.rpartition(".")
    module = root.get_submodule(module_path)
    if name in module._parameters:
        if isinstance(tensor, Parameter):
            tensor.requires_grad_(current.requires_grad)
        else:
            tensor = Parameter(tensor, requires_grad=current.requires_grad)
    setattr(module, name, tensor)


def _quoted(keys):
    return ", ".join(f'"{key}"' for key in keys)
