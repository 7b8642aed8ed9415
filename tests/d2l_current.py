"""d2l 1.0.3's chapter-3 models, transcribed with only the imports swapped.

The current edition of *Dive into Deep Learning* (d2l 1.0.3) writes the chapter's concise
models as classes on its own ``d2l.Module`` / ``d2l.Classifier`` base classes, with
``nn.LazyLinear``. d2l's library itself cannot be installed here (it imports torchvision
and pins an old numpy), so the few parts of it the two models rely on are transcribed
too, in ``library(...)``: ``save_hyperparameters``, ``Module.forward`` and
``Classifier.loss`` / ``accuracy`` (its plotting is left out). Everything is built for one
library at a time: ``nn``, ``F`` and ``torch`` below stand for what the book's
``from torch import nn``, ``from torch.nn import functional as F`` and ``import torch``
give, and for minitorch_lr are its ``nn``, ``nn.functional`` and a namespace whose
``optim`` is ``minitorch_lr.optim`` (the one use the models make of ``torch``).
"""

import inspect
from types import SimpleNamespace

import torch as real_torch

__all__ = ["library", "models"]


def library(nn, F, torch):
    """The parts of d2l 1.0.3's ``d2l/torch.py`` the two models use, on the library's
    ``nn``, ``F`` and ``torch`` (for ``torch.optim.SGD``)."""

    class HyperParameters:
        def save_hyperparameters(self, ignore=[]):  # noqa: B006 (as d2l writes it)
            """Save function arguments into class attributes."""
            frame = inspect.currentframe().f_back
            _, _, _, local_vars = inspect.getargvalues(frame)
            self.hparams = {
                k: v
                for k, v in local_vars.items()
                if k not in set(ignore + ["self"]) and not k.startswith("_")
            }
            for k, v in self.hparams.items():
                setattr(self, k, v)

    class Module(nn.Module, HyperParameters):
        def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
            super().__init__()
            self.save_hyperparameters()

        def loss(self, y_hat, y):
            raise NotImplementedError

        def forward(self, X):
            assert hasattr(self, "net"), "Neural network is defined"
            return self.net(X)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=self.lr)

    class Classifier(Module):
        def accuracy(self, Y_hat, Y, averaged=True):
            Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
            preds = Y_hat.argmax(axis=1).type(Y.dtype)
            compare = (preds == Y.reshape(-1)).type(real_torch.float32)
            return compare.mean() if averaged else compare

        def loss(self, Y_hat, Y, averaged=True):
            Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
            Y = Y.reshape((-1,))
            return F.cross_entropy(Y_hat, Y, reduction="mean" if averaged else "none")

    return SimpleNamespace(Module=Module, Classifier=Classifier)


def models(nn, F, torch):
    """d2l 1.0.3's ``LinearRegression`` and ``SoftmaxRegression``, pytorch tab, verbatim
    but for the imports: ``nn``, ``F`` and ``torch`` are the library's."""
    d2l = library(nn, F, torch)

    class LinearRegression(d2l.Module):
        """The linear regression model implemented with high-level APIs."""

        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.LazyLinear(1)
            self.net.weight.data.normal_(0, 0.01)
            self.net.bias.data.fill_(0)

        def forward(self, X):
            return self.net(X)

        def loss(self, y_hat, y):
            fn = nn.MSELoss()
            return fn(y_hat, y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), self.lr)

        def get_w_b(self):
            return (self.net.weight.data, self.net.bias.data)

    class SoftmaxRegression(d2l.Classifier):
        """The softmax regression model."""

        def __init__(self, num_outputs, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

        def forward(self, X):
            return self.net(X)

    return SimpleNamespace(LinearRegression=LinearRegression, SoftmaxRegression=SoftmaxRegression)
