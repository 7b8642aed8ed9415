r"""The chapter's from-scratch functions: linear and softmax regression with bare tensors.

This is the chapter *before* the concise API: no ``Module``, no loss classes, no
optimizer. A model is a function of its parameters, a loss is a formula, and an SGD step
is a loop over tensors. The pieces mirror, in order: a synthetic dataset, a minibatch
iterator (``torch.utils.data.DataLoader``), ``nn.Linear``, ``nn.MSELoss``, ``optim.SGD``,
``softmax`` and ``nn.CrossEntropyLoss``.

They are naive on purpose, written the way the math reads first. Each docstring says what
breaks and which piece of minitorch_lr fixes it: ``data_iter`` indexes one Python list
per batch (``minitorch_lr.data.load_array`` does not), ``softmax`` overflows for large
logits and ``cross_entropy`` takes the log of a probability that may have rounded to 0
(``minitorch_lr.nn.functional.softmax``, ``minitorch_lr.nn.functional.log_softmax`` and
``minitorch_lr.nn.CrossEntropyLoss`` do not).

Left out: everything the concise API adds (parameter registration, reductions, weight
decay, momentum). Nothing here imports ``minitorch_lr.nn`` or ``minitorch_lr.optim``.
"""

import torch

from ._checks import non_negative_number, positive_int

__all__ = [
    "cross_entropy",
    "data_iter",
    "linreg",
    "sgd",
    "softmax",
    "squared_loss",
    "synthetic_data",
]


def synthetic_data(w, b, num_examples, noise=0.01, generator=None):
    r"""A dataset drawn from a known linear model: :math:`y = Xw + b + \epsilon`.

    Each row of :math:`X` is drawn from :math:`\mathcal{N}(0, I)` and each
    :math:`\epsilon_i` from :math:`\mathcal{N}(0, \text{noise}^2)`, so a model that
    recovers ``w`` and ``b`` has learned the truth, up to the noise.

    Args:
        w: true weights, shape (D,).
        b: true bias, a number.
        num_examples: N, the number of rows to draw.
        noise: standard deviation of the additive noise (0 gives exact labels).
        generator: a ``torch.Generator`` on ``w``'s device; the same seed gives the same
            data. ``None`` uses torch's default generator.

    Shape:
        - features: :math:`(N, D)`, of ``w``'s dtype and device.
        - labels: :math:`(N, 1)`, a column, as ``linreg`` with a (D, 1) weight returns.
    """
    # Checked before drawing, so a bad call leaves the generator where it was; RuntimeError
    # is what torch.normal itself raises for a negative standard deviation.
    non_negative_number(noise, "noise", RuntimeError)
    options = {"dtype": w.dtype, "device": w.device, "generator": generator}
    features = torch.normal(0.0, 1.0, (num_examples, len(w)), **options)
    labels = torch.matmul(features, w) + b
    labels = labels + torch.normal(0.0, noise, labels.shape, **options)
    return features, labels.reshape((-1, 1))


def data_iter(batch_size, features, labels, generator=None):
    r"""Shuffled minibatches ``(features[i], labels[i])``, each example exactly once.

    The chapter's iterator: shuffle a Python list of indices, walk it in steps of
    ``batch_size`` and index the tensors with each slice. The last batch is shorter when
    ``batch_size`` does not divide N.

    What breaks: the index list lives in Python and each batch builds a new index tensor
    from it, so the cost per batch grows with Python work rather than tensor work.
    ``minitorch_lr.data.load_array`` draws one permutation on the tensors' own device and
    slices it instead.

    Args:
        batch_size: examples per batch, at least 1.
        features, labels: tensors with the same first dimension N.
        generator: a CPU ``torch.Generator`` for the shuffle (the chapter used Python's
            global ``random``; a generator makes the order reproducible without seeding
            anything global).

    Shape:
        - features: :math:`(N, *)`; labels: :math:`(N, *)`.
        - each batch: :math:`(B, *)` with :math:`B \le` ``batch_size``.
    """
    # Checked here, not inside the loop, so a bad call fails where it is made rather than
    # when the first batch is asked for.
    positive_int(batch_size, "batch_size")
    if len(features) != len(labels):
        raise ValueError(
            f"features and labels must have the same length, got {len(features)} and {len(labels)}"
        )
    return _minibatches(batch_size, features, labels, generator)


def _minibatches(batch_size, features, labels, generator):
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator).tolist()
    for start in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[start : start + batch_size])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    r"""The linear regression model :math:`\hat{y} = Xw + b`.

    ``minitorch_lr.nn.Linear`` is the same computation with the parameters held by a
    module (and its weight stored transposed, as (1, D)).

    Shape:
        - X: :math:`(N, D)`; w: :math:`(D, 1)`; b: :math:`(1,)` or a number.
        - output: :math:`(N, 1)`.
    """
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    r"""Squared error of each example, :math:`\ell_i = \tfrac{1}{2}(\hat{y}_i - y_i)^2`.

    The :math:`\tfrac12` makes the gradient :math:`\hat{y}_i - y_i`. No reduction: the
    caller sums (and ``sgd`` divides by the batch size). ``y`` is reshaped to
    ``y_hat``'s shape so that a label vector (N,) meets a prediction column (N, 1)
    element by element instead of broadcasting to (N, N).
    ``minitorch_lr.nn.MSELoss`` is the reduced form, without the :math:`\tfrac12`.

    Shape:
        - y_hat: :math:`(N, 1)`; y: any shape with N elements.
        - output: :math:`(N, 1)`, one loss per example.
    """
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    r"""One minibatch SGD step, in place: :math:`\theta \leftarrow \theta - \eta\, g / B`.

    The gradient :math:`g` is that of the *summed* loss over a batch of :math:`B`
    examples, so dividing by :math:`B` steps along the mean gradient. The update runs
    under ``torch.no_grad()`` (it is not part of the model) and then zeroes each
    gradient, since ``backward`` accumulates into ``.grad``.

    ``minitorch_lr.optim.SGD`` is the same rule for a mean-reduced loss, with the
    parameters given once at construction and ``zero_grad`` a separate call.

    Args:
        params: leaf tensors with ``requires_grad=True`` and a gradient.
        lr: the learning rate :math:`\eta`.
        batch_size: :math:`B`, the number of examples the loss was summed over.
    """
    positive_int(batch_size, "batch_size")
    params = list(params)
    # Checked for all parameters first, so a missing gradient leaves every one unchanged.
    for index, param in enumerate(params):
        if param.grad is None:
            raise RuntimeError(
                f"parameter {index} (shape {tuple(param.shape)}) has no gradient: call "
                "backward() on the loss before sgd"
            )
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def softmax(X):
    r"""Row-wise softmax, computed as the definition reads.

    .. math:: \mathrm{softmax}(o)_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}

    What breaks: :math:`\exp` overflows once a logit passes about 88.7 in float32
    (709.8 in float64). The row then holds ``inf``, and ``inf / inf`` is ``nan``. Very
    negative logits underflow to 0 instead, and a row of zeros gives ``0 / 0 = nan``.
    ``minitorch_lr.nn.functional.softmax`` fixes both by subtracting the row maximum
    first, which leaves the result unchanged (:math:`\exp(o_j - m) / \sum_k
    \exp(o_k - m)`) and keeps every exponent at most 0.

    Shape:
        - X: :math:`(N, C)` logits; output: :math:`(N, C)`, each row summing to 1.
    """
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    r"""Cross-entropy of each example, :math:`\ell_i = -\log \hat{y}_{i, y_i}`.

    ``y_hat`` holds probabilities (the output of ``softmax``); the loss picks, in each
    row, the probability of the true class and takes minus its log.

    What breaks: a probability that rounded to 0 (a logit far below the row's largest)
    gives :math:`-\log 0 = \infty`, and its gradient :math:`-1/\hat{y}` is infinite too;
    any ``nan`` from ``softmax`` passes straight through. ``minitorch_lr.nn.CrossEntropyLoss``
    takes the logits instead and never forms the probability, using
    ``minitorch_lr.nn.functional.log_softmax``:
    :math:`\ell_i = \log \sum_k \exp(o_{ik} - m_i) - (o_{i y_i} - m_i)` with
    :math:`m_i = \max_k o_{ik}`.

    Shape:
        - y_hat: :math:`(N, C)` probabilities; y: :math:`(N,)` class indices in
          :math:`[0, C)`.
        - output: :math:`(N,)`, one loss per example.
    """
    return -torch.log(y_hat[range(len(y_hat)), y])
