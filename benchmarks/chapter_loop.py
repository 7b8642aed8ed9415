"""The chapter's own training loop over torch's DataLoader, kept as the yardstick.

``chapter_train_epoch`` is the chapter's ``train_epoch_ch3`` as the book writes it for the
concise API: ``torch.nn`` model, ``CrossEntropyLoss(reduction='none')``, ``torch.optim.SGD``,
minibatches from a ``DataLoader`` over a ``TensorDataset`` held in host memory, and the
metrics read back as Python floats after every step. ``chapter_loader`` builds that
loader (the book's Fashion-MNIST loader uses 4 worker processes).

minitorch_lr's loop differs in the three places that cost time: ``ArrayLoader`` cuts
batches where the tensors live with one gather per batch, the data may live on the GPU,
and ``minitorch_lr.train.train_epoch`` reads its metrics once per epoch.
"""

import torch
from torch.utils.data import DataLoader, TensorDataset

from minitorch_lr import chapter

__all__ = ["chapter_loader", "chapter_model", "chapter_train_epoch"]


def chapter_loader(images, labels, batch_size, num_workers):
    """``DataLoader(TensorDataset(images, labels), batch_size, shuffle=True)``."""
    generator = torch.Generator().manual_seed(0)
    return DataLoader(
        TensorDataset(images, labels),
        batch_size,
        shuffle=True,
        num_workers=num_workers,
        generator=generator,
    )


def chapter_model(device, lr=chapter.SOFTMAX_LR):
    """The chapter's concise softmax regression on torch.nn: (net, loss, trainer)."""
    generator = torch.Generator(device).manual_seed(0)
    model = chapter.softmax_concise(
        torch.nn, torch.optim, lr=lr, device=device, generator=generator
    )
    # The book's loop takes per-example losses and averages them itself.
    return model.net, torch.nn.CrossEntropyLoss(reduction="none"), model.updater


def _accuracy(y_hat, y):
    y_hat = y_hat.argmax(axis=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())


def chapter_train_epoch(net, train_iter, loss, updater, device):
    """One epoch, as the chapter trains: returns (mean loss, accuracy).

    Batches come from host memory and are copied to ``device`` (a no-op on the CPU), as
    the book's GPU chapters do.
    """
    net.train()
    loss_sum, correct, count = 0.0, 0.0, 0
    for X, y in train_iter:
        X, y = X.to(device), y.to(device)
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        updater.zero_grad()
        batch_loss.mean().backward()
        updater.step()
        loss_sum += float(batch_loss.sum())
        correct += _accuracy(y_hat, y)
        count += y.numel()
    return loss_sum / count, correct / count
