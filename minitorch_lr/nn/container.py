"""Sequential: modules applied one after another. Mirrors ``torch.nn.Sequential``.

``Sequential(a, b, c)(x)`` is ``c(b(a(x)))``. The modules are ordinary children named
``"0"``, ``"1"``, ... (or by the keys of an ``OrderedDict``), so their parameters are
named ``"0.weight"`` and so on, as in torch.

Left out: ``insert``, ``extend``, ``pop``, ``del``, ``+``, ``*`` and item assignment.
"""

import operator
from collections import OrderedDict

from .module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """A chain of modules: the output of each is the input of the next.

    Args:
        *modules: the modules in order, or a single ``OrderedDict`` of name -> module.

    An empty Sequential returns its input unchanged.

    Example::

        >>> from minitorch_lr.nn import Flatten, Linear
        >>> net = Sequential(Flatten(), Linear(784, 10))
        >>> net[1]
        Linear(in_features=784, out_features=10, bias=True)
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

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            # A new Sequential over the same module objects, keeping their names.
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        index = operator.index(index)
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return list(self._modules.values())[index]

    def append(self, module):
        """Add ``module`` at the end, named by its position; return self."""
        self.add_module(str(len(self)), module)
        return self
