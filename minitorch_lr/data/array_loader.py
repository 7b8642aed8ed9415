"""ArrayLoader: minibatches cut from tensors where they live. Mirrors the pair
``torch.utils.data.DataLoader(TensorDataset(*tensors), batch_size, shuffle)``.

The chapter's ``load_array`` wraps tensors in a ``TensorDataset`` and a ``DataLoader``,
which fetches every example on its own and stacks them again: one Python call per example.
Here an epoch is a single permutation of ``0 .. N-1``, drawn on the tensors' device, and
each minibatch is one ``index_select`` per tensor with a slice of it. The data never
leaves its device and no Python runs per example.

Why index per batch instead of permuting a whole copy of the data once per epoch and
slicing views from it: on a CPU the per-batch gather was the faster of the two (each
batch lands in a small buffer that stays in cache; the whole copy writes the dataset to
fresh memory every epoch) and it needs no second copy of the dataset in memory.

Left out: worker processes, pinned memory, samplers, ``drop_last`` and collate functions.
"""

import math

import torch

from .._checks import positive_int

__all__ = ["ArrayLoader", "load_array"]


def _check_tensors(tensors):
    if isinstance(tensors, torch.Tensor):
        raise TypeError(
            "tensors should be a tuple or list of tensors, such as (features, labels), "
            f"but got a single tensor of shape {tuple(tensors.shape)}; wrap it as (tensor,)"
        )
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError("tensors should hold at least one tensor, but got none")
    for position, tensor in enumerate(tensors):
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(
                f"tensors[{position}] should be a torch.Tensor, but got {type(tensor).__name__}"
            )
        if tensor.dim() == 0:
            raise ValueError(
                f"tensors[{position}] is 0-d; every tensor needs a first dim indexing examples"
            )
    sizes = [tensor.shape[0] for tensor in tensors]
    if len(set(sizes)) > 1:
        raise ValueError(
            f"Size mismatch between tensors: first dims are {sizes}; every tensor must hold "
            "the same number of examples"
        )
    return tensors


class ArrayLoader:
    """Iterate over minibatches ``[t[batch] for t in tensors]`` of equally long tensors.

    Each pass (epoch) visits every example exactly once: the batches are consecutive slices
    of an order of the N examples, all of ``batch_size`` examples but the last, which keeps
    the remaining ``N mod batch_size`` (it is not dropped). With ``shuffle=True`` each
    epoch draws a fresh random order; otherwise the order is ``0 .. N-1``.

    Args:
        tensors: a tuple or list of tensors with the same first dim N (for example
            ``(features, labels)``), on any device. They are not copied.
        batch_size: examples per minibatch, a positive int.
        shuffle: draw a new random order every epoch (training) or keep the stored
            order (evaluation).
        generator: the ``torch.Generator`` the orders are drawn from, for a reproducible
            sequence of epochs; ``None`` draws from torch's default generator of the
            tensors' device. A generator on another device than the tensors (say a CPU
            generator with CUDA tensors, since ``torch.randperm`` accepts only a generator
            of its own device) draws the order on its own device and the order is then
            moved to the tensors: the same seed gives the same batches on CPU and GPU.

    Shape:
        - Each tensor: :math:`(N, *)`, its own trailing dims.
        - Each batch: a list with one tensor per input, of shape :math:`(B, *)`, where
          :math:`B` is ``batch_size`` except in the last batch.

    Batches are new tensors (a gather, not a view), as with ``DataLoader``, so changing
    a batch in place leaves the data unchanged.

    Example::

        >>> features, labels = torch.randn(10, 2), torch.arange(10)
        >>> loader = ArrayLoader((features, labels), batch_size=4)
        >>> len(loader), [y.tolist() for _, y in loader]
        (3, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    """

    def __init__(self, tensors, batch_size, shuffle=False, generator=None):
        positive_int(batch_size, "batch_size")
        self.tensors = _check_tensors(tensors)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    @property
    def num_examples(self):
        """N, the number of examples one epoch visits."""
        return self.tensors[0].shape[0]

    def __len__(self):
        """The number of batches per epoch, ceil(N / batch_size)."""
        return math.ceil(self.num_examples / self.batch_size)

    def _epoch_order(self):
        """The order of the examples for one epoch, on the first tensor's device."""
        device = self.tensors[0].device
        if not self.shuffle:
            return torch.arange(self.num_examples, device=device)
        draw_on = device if self.generator is None else self.generator.device
        order = torch.randperm(self.num_examples, device=draw_on, generator=self.generator)
        return order.to(device)

    def __iter__(self):
        order = self._epoch_order()
        for start in range(0, self.num_examples, self.batch_size):
            batch = order[start : start + self.batch_size]
            # .to is a no-op when a tensor already shares the order's device.
            yield [tensor.index_select(0, batch.to(tensor.device)) for tensor in self.tensors]

    def __repr__(self):
        return (
            f"ArrayLoader(num_examples={self.num_examples}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle})"
        )


def load_array(data_arrays, batch_size, is_train=True, generator=None):
    """The chapter's ``load_array``: an :class:`ArrayLoader` that shuffles when training.

    Args:
        data_arrays: a tuple or list of tensors with the same first dim, e.g.
            ``(features, labels)``.
        batch_size: examples per minibatch, a positive int.
        is_train: shuffle every epoch (``True``) or keep the stored order (``False``).
        generator: a ``torch.Generator`` for a reproducible order; see
            :class:`ArrayLoader`.

    Example::

        >>> features, labels = torch.randn(1000, 2), torch.randn(1000, 1)
        >>> X, y = next(iter(load_array((features, labels), batch_size=10)))
        >>> X.shape, y.shape
        (torch.Size([10, 2]), torch.Size([10, 1]))
    """
    return ArrayLoader(data_arrays, batch_size, shuffle=is_train, generator=generator)
