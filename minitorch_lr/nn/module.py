"""Module: the base class of every layer and model. Mirrors ``torch.nn.Module``.

A Module keeps three ordered dictionaries, filled by plain attribute assignment:

* ``_parameters``: the :class:`Parameter` objects it learns (``self.weight = Parameter(...)``);
* ``_buffers``: tensors that are state but not learned (``register_buffer``);
* ``_modules``: its sub-modules (``self.layer = Linear(2, 1)``).

Everything else (``parameters()``, ``state_dict()``, ``to()``, ``train()``, ``repr``)
walks these dictionaries, own entries first and then the children depth-first, in the
order they were assigned. That is torch's order, so names and state dicts match
``torch.nn`` key for key.

Read these first, in this order: ``__setattr__`` (how assignment registers a parameter
or a child), ``named_parameters`` (the walk), ``state_dict`` and ``load_state_dict``
(saving and restoring), ``__call__`` (``module(x)`` is ``forward(x)``). The rest is
torch's surface around them. Two pieces live in their own files: the checks before a
state dict is loaded (``state_dict.py``), and moving and casting with ``to()``,
``float()``, ``cuda()`` and the rest (``conversions.py``, a base class of Module).

Left out: hooks, ``set_submodule``, ``share_memory`` and the ``_version`` / ``_metadata``
machinery of state dicts.
"""

from collections import OrderedDict

import torch

from .conversions import Conversions
from .parameter import is_lazy, is_parameter
from .state_dict import assign_entry, check_state_dict

__all__ = ["Module"]

_REGISTRIES = ("_parameters", "_buffers", "_modules")


class Module(Conversions):
    """Base class for all layers and models: subclass it and write ``forward``.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> class Affine(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.scale = nn.Parameter(torch.ones(3))
        ...         self.shift = nn.Linear(3, 3)
        ...     def forward(self, x):
        ...         return self.shift(self.scale * x)
        >>> [name for name, _ in Affine().named_parameters()]
        ['scale', 'shift.weight', 'shift.bias']
    """

    def __init__(self):
        # object.__setattr__ because our own __setattr__ needs these dicts to exist.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())

    def forward(self, *args, **kwargs):
        """The computation of the module: override it. ``module(x)`` calls it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # --- registration -------------------------------------------------------------

    def _check_new_name(self, kind, name, registry):
        if registry not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {torch.typename(name)}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in self.__dict__[registry]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Add ``param`` (a Parameter or None) under ``name``."""
        self._check_new_name("parameter", name, "_parameters")
        if param is not None and not is_parameter(param):
            raise TypeError(
                f"cannot assign '{torch.typename(param)}' object to parameter '{name}' "
                "(minitorch_lr.nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Add a tensor that is state but not learned; it is in ``state_dict()`` if
        ``persistent``."""
        self._check_new_name("buffer", name, "_buffers")
        if tensor is not None and not isinstance(tensor, torch.Tensor):
            raise TypeError(
                f"cannot assign '{torch.typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name, module):
        """Add ``module`` (a Module or None) as a child under ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{torch.typename(module)} is not a Module subclass")
        self._check_new_name("module", name, "_modules")
        self._modules[name] = module

    register_module = add_module  # torch's other name for it

    def __setattr__(self, name, value):
        """``self.name = value``: a Parameter is registered as a parameter, a Module as a
        child; a name already registered keeps its registry (and its place in the order)
        and takes a new value of its kind or None. Anything else is a plain attribute."""
        if is_parameter(value) or isinstance(value, Module):
            registry = "_parameters" if is_parameter(value) else "_modules"
            if registry not in self.__dict__:
                kind = "parameters" if registry == "_parameters" else "module"
                raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
            self._forget(name, keep=registry)
            if registry == "_parameters":
                self.register_parameter(name, value)
            else:
                self._modules[name] = value
            return
        # An interop check only: a torch module is refused rather than silently kept as a
        # plain attribute whose parameters nothing would train.
        if isinstance(value, torch.nn.Module):
            raise TypeError(
                f"cannot assign '{torch.typename(value)}' as child module '{name}': a "
                "minitorch_lr Module holds minitorch_lr modules (use minitorch_lr.nn."
                f"{type(value).__name__}, or make the whole model a torch.nn.Module)"
            )
        for registry, kind, expected in (
            ("_parameters", "parameter", "minitorch_lr.nn.Parameter"),
            ("_modules", "child module", "minitorch_lr.nn.Module"),
            ("_buffers", "buffer", "torch.Tensor"),
        ):
            entries = self.__dict__.get(registry)
            if entries is None or name not in entries:
                continue
            # Only a buffer takes a plain tensor; a Parameter or Module went above.
            takes_tensor = registry == "_buffers" and isinstance(value, torch.Tensor)
            if value is not None and not takes_tensor:
                raise TypeError(
                    f"cannot assign '{torch.typename(value)}' as {kind} '{name}' "
                    f"({expected} or None expected)"
                )
            entries[name] = value
            return
        # A plain tensor (or anything else) is an ordinary attribute, not a parameter.
        object.__setattr__(self, name, value)

    def _forget(self, name, keep):
        """Remove ``name`` from the registries other than ``keep``, before it is
        registered there. Staying in ``keep`` keeps its place in the order, as in torch."""
        self.__dict__.pop(name, None)
        for registry in _REGISTRIES:
            if registry != keep:
                self.__dict__[registry].pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name):
        # Called only when normal lookup fails: look in the registries.
        for registry in _REGISTRIES:
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in _REGISTRIES:
            if name in self.__dict__.get(registry, ()):
                del self.__dict__[registry][name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    # --- walking the tree ---------------------------------------------------------

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yield ``(dotted_name, module)`` for self and every descendant, depth-first."""
        if memo is None:
            memo = set()
        if self in memo and remove_duplicate:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            child_prefix = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, child_prefix, remove_duplicate)

    def modules(self):
        """Yield self and every descendant, depth-first, each module once."""
        yield from (module for _, module in self.named_modules())

    def named_children(self):
        """Yield ``(name, module)`` for the direct children, each module once."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        """Yield the direct children, each module once."""
        yield from (module for _, module in self.named_children())

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and value in seen):
                    continue
                if remove_duplicate:
                    seen.add(value)
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, parameter)``: own first, then children depth-first.
        A parameter shared by two modules is yielded once, under its first name."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Yield every parameter once, in :meth:`named_parameters` order; with
        ``recurse=False`` only this module's own."""
        yield from (param for _, param in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, buffer)`` in the same order as :meth:`named_parameters`."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Yield every buffer once, in :meth:`named_buffers` order."""
        yield from (buffer for _, buffer in self.named_buffers(recurse=recurse))

    def apply(self, fn):
        """Call ``fn`` on every child (recursively) and then on self; return self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def get_submodule(self, target):
        """The descendant named by the dotted path ``target`` (``""`` is self).

        Raises:
            AttributeError: a step of the path names nothing, or something not a Module.
        """
        module = self
        for name in target.split(".") if target else []:
            if not hasattr(module, name):
                raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
            module = getattr(module, name)
            if not isinstance(module, Module):
                raise AttributeError(f"`{name}` is not an nn.Module")
        return module

    def get_parameter(self, target):
        """The parameter named by the dotted path ``target``, e.g. ``"0.weight"``."""
        return self._get_registered(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        """The buffer named by the dotted path ``target``."""
        return self._get_registered(target, "_buffers", "a buffer")

    def _get_registered(self, target, registry, kind):
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        value = getattr(module, name)
        # A parameter slot holding None is not a parameter; a None buffer is a buffer.
        if name not in getattr(module, registry) or (registry == "_parameters" and value is None):
            raise AttributeError(f"`{name}` is not {kind}")
        return value

    def __dir__(self):
        # Tab completion lists registered parameters, buffers and children, as torch's does.
        names = [*dir(type(self)), *self.__dict__, *self._parameters, *self._modules]
        names += list(self._buffers)
        return sorted(name for name in names if not name[0].isdigit())

    # --- modes and gradients -------------------------------------------------------

    def train(self, mode=True):
        """Set training mode on self and every descendant; return self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self):
        """Set evaluation mode on self and every descendant; the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` of every parameter (``False`` freezes them); return self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of every parameter: to ``None``, or to zeros in place."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            else:
                if param.grad.grad_fn is not None:
                    param.grad.detach_()
                else:
                    param.grad.requires_grad_(False)
                param.grad.zero_()

    # --- state dicts ---------------------------------------------------------------

    def _state_items(self):
        """This module's own entries of a state dict: parameters, then persistent buffers."""
        for name, param in self._parameters.items():
            if param is not None:
                yield name, param
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers:
                yield name, buffer

    def state_dict(self, *, prefix="", keep_vars=False):
        """An ordered ``{dotted_name: tensor}`` of everything needed to restore the model.

        Keys and order are torch's: each module's parameters, then its persistent
        buffers, then its children's entries under ``child_name.``. Values are detached
        (they share storage with the model) unless ``keep_vars``.
        """
        destination = OrderedDict()
        # No de-duplication: a module reachable by two names is saved under both, as in torch.
        for module_name, module in self.named_modules(remove_duplicate=False):
            dot = "." if module_name else ""
            for name, value in module._state_items():
                # torch joins the prefix as plain text: prefix "model." gives "model.weight".
                key = prefix + module_name + dot + name
                # A lazy placeholder is saved as itself, as in torch: it has nothing to detach.
                destination[key] = value if keep_vars or is_lazy(value) else value.detach()
        return destination

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy tensors from ``state_dict`` into this module's parameters and buffers.

        Everything is checked before anything is copied (``state_dict.py``), so a failed
        load leaves the module as it was. A shape mismatch is always an error; missing
        and unexpected keys are errors only when ``strict``. With ``assign=True`` the
        loaded tensors themselves become the parameters (wrapped as Parameters that keep
        each old one's ``requires_grad``) and buffers, instead of being copied into them.
        Returns ``(missing_keys, unexpected_keys)``.
        """
        own = self.state_dict(keep_vars=True)
        incompatible = check_state_dict(own, state_dict, strict, type(self).__name__)
        with torch.no_grad():
            for key, target in own.items():
                source = state_dict.get(key)
                if source is None or is_lazy(source):
                    continue  # missing, or a placeholder: nothing to load
                if assign:
                    assign_entry(self, key, source, target)
                    continue
                if is_lazy(target):
                    target.materialize(source.shape)  # a lazy layer takes the saved shape
                target.copy_(source)
        return incompatible

    # --- printing ----------------------------------------------------------------------

    def extra_repr(self):
        """The text inside this module's parentheses in ``repr``; override it."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        # torch's layout: "Name(extra)" or one "(child): repr" line per child, indented.
        extra_lines = self.extra_repr().split("\n") if self.extra_repr() else []
        child_lines = [
            f"({name}): " + repr(module).replace("\n", "\n  ")
            for name, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"
