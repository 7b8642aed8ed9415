"""Parameter: a tensor that a Module learns. Mirrors ``torch.nn.Parameter``.

A Parameter *is* a ``torch.Tensor`` (a subclass), so every tensor operation, autograd and
even ``torch.optim`` work on it unchanged. The subclass adds one piece of meaning: when a
Parameter is assigned as an attribute of a :class:`~minitorch_lr.nn.Module`, the module
registers it, and it then shows up in ``parameters()`` and ``state_dict()``.

:class:`UninitializedParameter` is a placeholder without a shape, for layers that learn
their input size at the first call (:class:`~minitorch_lr.nn.LazyLinear`): until it is
materialized, most operations on it raise torch's ``ValueError``.

Left out: ``UninitializedBuffer`` and the ``__torch_function__`` hooks torch uses for
tensor subclasses of Parameter.
"""

import torch

__all__ = ["Parameter", "UninitializedParameter", "is_lazy", "is_parameter"]


class Parameter(torch.Tensor):
    """A tensor marked as learnable.

    Args:
        data: the tensor to wrap (shares its storage). ``None`` gives an empty tensor.
        requires_grad: whether autograd tracks it. Defaults to ``True``, even inside
            ``torch.no_grad()``: a parameter is learnable wherever it was made.

    Operations on a Parameter return plain tensors: ``2 * p`` is a result, not a
    parameter.

    Example::

        >>> p = Parameter(torch.zeros(2))
        >>> p.requires_grad, type(p * 2).__name__
        (True, 'Tensor')
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = torch.empty(0)
        if not isinstance(data, torch.Tensor):
            raise TypeError(f"Parameter data must be a torch.Tensor, got {type(data).__name__}")
        # _make_subclass makes a new Python object of class `cls` over the same storage,
        # detached from any graph: exactly how torch builds its own Parameter.
        return torch.Tensor._make_subclass(cls, data.detach(), requires_grad)

    # Without this, every operation on a Parameter would return a Parameter too.
    __torch_function__ = torch._C._disabled_torch_function_impl

    # torch's own marker for "a Parameter of another class": with it, torch counts this
    # class as its Parameter (isinstance(p, torch.nn.Parameter) is True). torch.compile's
    # runtime checks then treat it as a parameter, and a torch.nn.Module registers it.
    _is_param = True

    def __repr__(self):
        # Print the tensor as a plain one ("tensor(...)"), as torch does for its Parameter.
        plain = self.detach().requires_grad_(self.requires_grad)
        return "Parameter containing:\n" + repr(plain)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(
            self.data.clone(memory_format=torch.preserve_format), self.requires_grad
        )
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        # Pickle the data as a plain tensor and rebuild the Parameter around it.
        return (_rebuild_parameter, (self.data, self.requires_grad))


def is_parameter(value):
    """Whether ``value`` is a learnable tensor that a Module registers: our Parameter, or
    torch's. Tensors cross between the libraries both ways (torch counts ours as its own
    through ``_is_param``, and this counts torch's); modules do not (docs/design.md)."""
    # An interop check only: torch.nn's class is named, never used to compute anything.
    return isinstance(value, (Parameter, torch.nn.Parameter))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


# torch.load reads only what it was told is safe (weights_only=True, its default): allow
# the function above to rebuild a saved Parameter, as torch allows its own.
torch.serialization.add_safe_globals([_rebuild_parameter])


class UninitializedParameter(Parameter):
    """A parameter without a shape yet: a placeholder that :meth:`materialize` fills.

    Args:
        requires_grad: as for :class:`Parameter`.
        device, dtype: where and how the materialized parameter will be made.
    """

    # Torch's list: what may be done to a placeholder (the rest raises ValueError).
    _allowed_methods = (
        torch.Tensor.__hash__,
        torch.Tensor.size,
        torch.Tensor.copy_,
        torch.Tensor.is_complex,
        torch.Tensor.is_floating_point,
        torch.Tensor.half,
        torch.Tensor.float,
        torch.Tensor.double,
        torch.Tensor.char,
        torch.Tensor.short,
        torch.Tensor.int,
        torch.Tensor.long,
        torch.Tensor.cuda,
        torch.Tensor.cpu,
        torch.Tensor.to,
        torch.Tensor.get_device,
        torch._has_compatible_shallow_copy_type,
    )

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        data = torch.empty(0, device=device, dtype=dtype)
        return torch.Tensor._make_subclass(cls, data, requires_grad)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        # Reading a property (.data, .dtype, .grad) arrives as a "method-wrapper".
        if func in cls._allowed_methods or type(func).__name__ == "method-wrapper":
            return super().__torch_function__(func, types, args, kwargs or {})
        raise ValueError(
            f"Attempted to use an uninitialized parameter in {func}. This error happens when "
            "you are using a `LazyModule` or explicitly manipulating "
            f"`torch.nn.parameter.{cls.__name__}` objects. When using LazyModules Call "
            "`forward` with a dummy batch to initialize the parameters before calling torch "
            "functions"
        )

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error "
            "usually happens in `load_state_dict` when trying to load an uninitialized "
            "parameter into an initialized one. Call `forward` to initialize the parameters "
            "before accessing their attributes."
        )

    def materialize(self, shape, device=None, dtype=None):
        """Give this object storage of ``shape`` (uninitialized values) and make it a plain
        :class:`Parameter`, keeping its identity; device and dtype default to its own."""
        device = self.data.device if device is None else device
        dtype = self.data.dtype if dtype is None else dtype
        self.data = torch.empty(shape, device=device, dtype=dtype)
        self.__class__ = Parameter

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, self.data.device, self.data.dtype)
        return memo[id(self)]

    def __reduce_ex__(self, protocol):
        return (type(self), (self.requires_grad,))


def is_lazy(value):
    """Whether ``value`` is a placeholder still waiting for its shape."""
    return isinstance(value, UninitializedParameter)
