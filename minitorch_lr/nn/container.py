"""Sequential: modules applied one after another. Mirrors ``torch.nn.Sequential``.

``Sequential(a, b, c)(x)`` is ``c(b(a(x)))``. The modules are ordinary children named
``"0"``, ``"1"``, ... (or by the keys of an ``OrderedDict``), so their parameters are
named ``"0.weight"`` and so on, as in torch.

Beyond calling it, a Sequential behaves as a list of modules, with torch's rules: an
index may be negative, a slice gives a new Sequential over the same modules, and after a
deletion the children are numbered ``"0"``, ``"1"``, ... again. ``+`` and ``*`` make new
containers; ``+=``, ``*=``, ``append``, ``insert``, ``extend`` and ``pop`` change this one.

Left out: ``ModuleList`` and ``ModuleDict``, which the chapter does not use.
"""

import operator
from collections import OrderedDict
from itertools import islice

from .module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """A chain of modules: the output of each is the input of the next.

    Args:
        *modules: the modules in order, or a single ``OrderedDict`` of name -> module.

    An empty Sequential returns its input unchanged.

    Shape:
        - Input: whatever the first module takes; Output: what the last one returns.

    Example::

        >>> import torch
        >>> from minitorch_lr import nn
        >>> net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
        >>> net[1]
        Linear(in_features=784, out_features=10, bias=True)
        >>> net(torch.zeros(32, 1, 28, 28)).shape
        torch.Size([32, 10])
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):
                self.add_module(str(index), module)

    def forward(self, input):
        """Feed ``input`` through each module in order; return the last output."""
        for module in self:
            input = module(input)
        return input

    # --- reading, as a list ---------------------------------------------------------

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def _item_by_index(self, items, index):
        """The ``index``-th of ``items`` (names or modules); negative counts from the end."""
        size = len(self)
        index = operator.index(index)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return next(islice(items, index % size, None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            # A new Sequential over the same module objects, keeping their names.
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._item_by_index(self._modules.values(), index)

    def __dir__(self):
        # The children "0", "1", ... are not attribute names a reader can type.
        return [key for key in super().__dir__() if not key.isdigit()]

    # --- changing it in place ---------------------------------------------------------

    def __setitem__(self, index, module):
        name = self._item_by_index(self._modules.keys(), index)
        setattr(self, name, module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for name in list(self._modules)[index]:
                delattr(self, name)
        else:
            delattr(self, self._item_by_index(self._modules.keys(), index))
        # Number the children 0, 1, ... again, so that the next append lands at the end.
        self._modules = OrderedDict(
            (str(position), module) for position, module in enumerate(self._modules.values())
        )

    def pop(self, index):
        """Remove the module (or the slice of modules) at ``index`` and return it."""
        popped = self[index]
        del self[index]
        return popped

    def append(self, module):
        """Add ``module`` at the end, named by its position; return self."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        """Put ``module`` at ``index`` (``-len <= index <= len``), shifting the later
        modules one place on; return self."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        size = len(self._modules)
        if not -size <= index <= size:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += size
        for position in range(size, index, -1):
            self._modules[str(position)] = self._modules[str(position - 1)]
        self._modules[str(index)] = module
        return self

    def extend(self, modules):
        """Append every module of ``modules`` (a Sequential or any iterable); return self."""
        for module in modules:
            self.append(module)
        return self

    def __iadd__(self, other):
        _check_sequential(other)
        offset = len(self)
        for position, module in enumerate(other):
            self.add_module(str(offset + position), module)
        return self

    def __imul__(self, times):
        _check_factor(self, times)
        original = list(self)
        for _ in range(times - 1):
            self.extend(original)
        return self

    # --- new containers -----------------------------------------------------------------

    def __add__(self, other):
        """A new Sequential: this one's modules, then ``other``'s (the same objects)."""
        _check_sequential(other)
        return Sequential().extend(self).extend(other)

    def __mul__(self, times):
        """A new Sequential repeating this one's modules ``times`` times (the same objects,
        so the repeats share their parameters)."""
        _check_factor(self, times)
        combined = Sequential()
        for _ in range(times):
            combined.extend(self)
        return combined

    __rmul__ = __mul__


def _check_sequential(other):
    if not isinstance(other, Sequential):
        raise ValueError(
            f"add operator supports only objects of Sequential class, but {type(other)} is given."
        )


def _check_factor(sequential, times):
    if not isinstance(times, int):
        raise TypeError(
            f"unsupported operand type(s) for *: {type(sequential)} and {type(times)}"
        )
    if times <= 0:
        raise ValueError(f"Non-positive multiplication factor {times} for {type(sequential)}")
