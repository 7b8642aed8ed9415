"""Parameter: a tensor that a Module learns. Mirrors ``torch.nn.Parameter``.

A Parameter *is* a ``torch.Tensor`` (a subclass), so every tensor operation, autograd and
even ``torch.optim`` work on it unchanged. The subclass adds one piece of meaning: when a
Parameter is assigned as an attribute of a :class:`~minitorch_lr.nn.Module`, the module
registers it, and it then shows up in ``parameters()`` and ``state_dict()``.

Left out: uninitialized (lazy) parameters and the ``__torch_function__`` hooks torch uses
for tensor subclasses of Parameter.
"""

import torch

__all__ = ["Parameter"]


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


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)
