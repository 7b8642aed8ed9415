"""What a static epoch can record, checked before anything is allocated or trained.

The argument checks of :class:`~minitorch_lr.train.static_epoch.StaticEpoch` and
:class:`~minitorch_lr.train.graph.GraphedEpoch`, kept apart so that their files read as
the epoch itself. A CUDA graph replays the kernels it recorded, with the Python values
and tensor addresses they had then, and runs no Python at all: these checks refuse, with a
message saying what to do instead, what would either fail while recording or replay
something other than what the eager code would run.

torch has no counterpart: ``torch.cuda.graph`` checks nothing in advance. Left out: any
look inside ``net`` and ``loss``, whose host work shows only when recording fails.
"""

import torch

from .._checks import positive_int
from ..nn.reduction import check_reduction
from ..optim import SGD

__all__ = ["check_arguments", "check_parameters_on", "hyperparameters"]

def check_arguments(loss, optimizer, features, labels, batch_size):
    """Refuse, before any state changes, what a static epoch cannot record or run.

    Raises:
        TypeError: an optimizer other than SGD, or one with a tensor-valued setting; a
            loss without a ``reduction``; features or labels that are not tensors.
        ValueError: an unknown reduction, a batch size that is not a positive int, or
            features and labels that are 0-d, empty, of different lengths or on
            different devices.
    """
    _check_optimizer(optimizer)
    _check_loss(loss)
    positive_int(batch_size, "batch_size")
    _check_data(features, labels)


def check_parameters_on(optimizer, device):
    """Refuse an optimizer with a parameter anywhere but on ``device``, the data's.

    Raises:
        ValueError: naming the parameter's shape and both devices.
    """
    for group in optimizer.param_groups:
        for param in group["params"]:
            if param.device != device:
                raise ValueError(
                    f"a parameter of shape {tuple(param.shape)} is on {param.device} but "
                    f"the data are on {device}: move the model there with net.to('{device}')"
                )


def hyperparameters(optimizer):
    """Each param group's settings but its tensors, which a recording bakes in.

    Returns:
        one tuple of sorted ``(name, value)`` pairs per param group, in the groups' order,
        to compare with the settings a recording was made with.

    Raises:
        TypeError: for a setting that is a tensor. A recording would bake in its value
            at the time of recording, and ``torch.optim.SGD`` reads a tensor learning
            rate back to the host at every step.
    """
    groups = []
    for index, group in enumerate(optimizer.param_groups):
        settings = tuple(sorted((name, value) for name, value in group.items() if name != "params"))
        for name, value in settings:
            if isinstance(value, torch.Tensor):
                raise TypeError(
                    f"param group {index} has a tensor {name} of shape {tuple(value.shape)}; "
                    "a static epoch needs Python numbers (torch.optim.SGD reads a tensor "
                    "learning rate back to the host at every step)"
                )
        groups.append(settings)
    return groups


def _check_optimizer(optimizer):
    if not isinstance(optimizer, (SGD, torch.optim.SGD)):
        name = getattr(optimizer, "__name__", type(optimizer).__name__)
        raise TypeError(
            "a static epoch steps with minitorch_lr.optim.SGD or torch.optim.SGD, whose "
            f"step is a fixed sequence of tensor operations; got {name}. A custom "
            "updater(batch_size) or another optimizer may run Python at every step that "
            "a CUDA graph would not replay: train with train_epoch instead."
        )
    hyperparameters(optimizer)


def _check_loss(loss):
    reduction = getattr(loss, "reduction", None)
    if reduction is None:
        name = getattr(loss, "__name__", type(loss).__name__)
        raise TypeError(
            "loss must be a loss module with a reduction ('mean', 'sum' or 'none'), such "
            f"as nn.CrossEntropyLoss(reduction='none'); got {name}. A plain function may "
            "build tensors on the host at every step, which a CUDA graph cannot replay."
        )
    check_reduction(reduction)


def _check_data(features, labels):
    for name, tensor in (("features", features), ("labels", labels)):
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(tensor).__name__}")
        if tensor.dim() == 0:
            raise ValueError(f"{name} is 0-d; its first dim must index the examples")
    if features.shape[0] != labels.shape[0]:
        raise ValueError(
            f"features hold {features.shape[0]} examples but labels hold {labels.shape[0]}"
        )
    if features.shape[0] == 0:
        raise ValueError(f"features of shape {tuple(features.shape)} hold no examples")
    if labels.device != features.device:
        raise ValueError(
            f"labels are on {labels.device} but features on {features.device}; "
            "put both on one device"
        )
