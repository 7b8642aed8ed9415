"""Optimizer: the bookkeeping every optimizer shares. Mirrors ``torch.optim.Optimizer``.

An optimizer holds

* ``param_groups``: a list of dicts, each with the tensors to update under ``'params'``
  and the hyperparameters for them (``'lr'``, ...), filled in from ``defaults`` where a
  group does not name its own;
* ``state``: per-tensor memory between steps (SGD's momentum buffer), keyed by the tensor.

A subclass writes ``step`` and reads both. Everything else lives here: ``zero_grad``,
``add_param_group`` and the state dict, whose layout is torch's, so that state saved by
one library loads into the other::

    {'state': {0: {'momentum_buffer': tensor(...)}, ...},
     'param_groups': [{'lr': 0.1, ..., 'params': [0, 1]}, ...]}

Tensors are replaced by their position (counted across all groups, in order).

Left out: step and state-dict hooks, named parameters (``'param_names'``), the
``differentiable`` mode, ``foreach`` / ``fused`` grouping and the ``required`` sentinel for
hyperparameters without a default.
"""

import copy
import warnings
from collections import defaultdict
from itertools import chain

import torch

__all__ = ["Optimizer"]


class Optimizer:
    """Base class for optimizers: it keeps parameter groups and state; subclasses step.

    Args:
        params: an iterable of tensors, or of dicts that each hold ``'params'`` (tensors)
            and the hyperparameters for them. Give an ordered collection (a list,
            ``model.parameters()``): the order numbers the tensors in the state dict.
        defaults: the hyperparameters of a group that does not name its own.

    Example::

        >>> weight = torch.zeros(3, requires_grad=True)
        >>> optimizer = Optimizer([weight], {"lr": 0.1})
        >>> optimizer.param_groups[0]["lr"]
        0.1
    """

    def __init__(self, params, defaults):
        if isinstance(params, torch.Tensor):
            raise TypeError(
                "params argument given to the optimizer should be "
                "an iterable of Tensors or dicts, but got " + torch.typename(params)
            )
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []

        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def add_param_group(self, param_group):
        """Append a group: its tensors, with any hyperparameter it lacks taken from defaults.

        The dict given becomes the group itself, as in torch: its ``'params'`` turn into
        a list and the missing hyperparameters are filled in, so the caller can later
        change, say, ``group['lr']`` through it. Every check runs before the dict is
        touched: a tensor may belong to one group only, and must be a leaf (one that
        autograd fills ``.grad`` of).
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, torch.Tensor):
            params = [params]
        elif isinstance(params, set):
            # A set's order changes between runs, and the order numbers the state dict.
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but "
                "the ordering of tensors in sets will change between runs. "
                "Please use a list instead."
            )
        else:
            params = list(params)

        for position, param in enumerate(params):
            if not isinstance(param, torch.Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, "
                    "but one of the params is " + torch.typename(param)
                )
            if not (param.is_leaf or param.retains_grad):
                raise ValueError(
                    f"can't optimize a non-leaf Tensor: params[{position}] of shape "
                    f"{tuple(param.shape)} was computed by {param.grad_fn.name()}"
                )
        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; "
                "a step updates such a tensor once for every time it is listed",
                UserWarning,
                stacklevel=2,
            )
        for index, group in enumerate(self.param_groups):
            shared = set(group["params"]).intersection(params)
            if shared:
                shapes = [tuple(param.shape) for param in shared]
                raise ValueError(
                    "some parameters appear in more than one parameter group: tensors of "
                    f"shape {', '.join(map(str, shapes))} are already in group {index}"
                )

        param_group["params"] = params
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of every tensor in every group: to ``None`` or to zeros.

        ``None`` (the default) frees the memory, and a step then skips the tensor until
        a backward pass gives it a gradient again.
        """
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    # A gradient made with create_graph=True belongs to a graph: cut it
                    # loose before zeroing it in place.
                    if param.grad.grad_fn is not None:
                        param.grad.detach_()
                    else:
                        param.grad.requires_grad_(False)
                    param.grad.zero_()

    def step(self, closure=None):
        """Update every tensor from its ``.grad``; return ``closure()`` if one is given."""
        raise NotImplementedError

    def state_dict(self):
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [index, ...]}]}``.

        Indices count the tensors across all groups in order; state holds entries only
        for tensors that have some. Tensors in the state are the optimizer's own (not
        copies), as in ``Module.state_dict``: save it or deep-copy it to keep a snapshot.
        """
        index_of = {}
        packed_groups = []
        start = 0
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for position, param in enumerate(group["params"], start):
                index_of.setdefault(id(param), position)
            packed["params"] = [index_of[id(param)] for param in group["params"]]
            start += len(group["params"])
            packed_groups.append(packed)
        packed_state = {index_of[id(param)]: dict(state) for param, state in self.state.items()}
        return {"state": packed_state, "param_groups": packed_groups}

    def load_state_dict(self, state_dict):
        """Take hyperparameters and state from ``state_dict`` (ours or torch's).

        Groups are matched by position and must hold as many tensors as ours; each loaded
        group replaces ours, keeping our tensors. Loaded state tensors are copied onto
        their parameter's device (and dtype, for floating-point parameters), so later
        steps never write into ``state_dict``. Everything is checked before anything
        changes.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"Expected state_dict to be a dict, got {type(state_dict)}.")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups: "
                f"{len(saved_groups)}, against {len(self.param_groups)} here"
            )
        for index, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the "
                    f"size of optimizer's group: group {index} has {len(saved['params'])} "
                    f"parameters there and {len(group['params'])} here"
                )
        param_of = dict(
            zip(
                chain.from_iterable(saved["params"] for saved in saved_groups),
                chain.from_iterable(group["params"] for group in self.param_groups),
            )
        )
        for index in state_dict["state"]:
            if index not in param_of:
                raise ValueError(
                    f"loaded state dict has state for parameter {index!r}, "
                    "which none of its parameter groups lists"
                )

        state = defaultdict(dict)
        for index, saved_state in state_dict["state"].items():
            param = param_of[index]
            state[param] = {key: _cast(value, param) for key, value in saved_state.items()}
        hyperparameters = [
            copy.deepcopy({key: value for key, value in saved.items() if key != "params"})
            for saved in saved_groups
        ]
        self.param_groups = [
            {**loaded, "params": group["params"]}
            for group, loaded in zip(self.param_groups, hyperparameters)
        ]
        self.state = state

    def __repr__(self):
        text = type(self).__name__ + " ("
        for index, group in enumerate(self.param_groups):
            text += f"\nParameter Group {index}\n"
            text += "".join(
                f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params"
            )
        return text + ")"


def _cast(value, param):
    """A copy of one saved state value, as a tensor on ``param``'s device (and dtype)."""
    if not isinstance(value, torch.Tensor):
        return copy.deepcopy(value)
    # Floating-point state follows its parameter's dtype, as torch's loading does.
    dtype = param.dtype if param.is_floating_point() else value.dtype
    return value.to(device=param.device, dtype=dtype, copy=True)
