r"""A training epoch recorded once as a CUDA graph and replayed: the GPU fast path of ``train``.

On a GPU, a small model such as softmax regression spends its time waiting on the host:
launching one tensor operation costs the host far longer than the GPU takes to run it.
A CUDA graph records the kernels of a whole epoch once (for every batch: forward, loss,
backward, SGD step and the metric sums) and then launches them all with one call per
epoch. This is the "whole-network capture" recipe of torch's CUDA semantics notes
(``torch.cuda.graph``), stretched from one training step to a whole epoch.

Two classes, the second built on the first:

- :class:`StaticEpoch` is the epoch written the way a graph needs it: every tensor it
  touches is allocated once and reused. It runs eagerly on any device and gives the
  parameters and metrics of :func:`~minitorch_lr.train.train_epoch` for the same order.
- :class:`GraphedEpoch` runs that code eagerly for its first epoch, on a side stream, then
  records it, and replays the recording in every later epoch.

The checks of their arguments, each saying why, are in :mod:`minitorch_lr.cuda_graph_checks`.

Left out: optimizers other than SGD, the chapter's ``updater(batch_size)`` functions, loss
functions without a ``reduction`` (:class:`StaticEpoch` says why), several GPUs, and
``torch.compile`` before recording.
"""

import torch

from .cuda_graph_checks import check_arguments, check_parameters_on, hyperparameters
from .data.array_loader import ArrayLoader
from .metrics import count_correct, summed_loss

__all__ = ["GraphedEpoch", "StaticEpoch"]


class StaticEpoch:
    r"""One epoch of SGD in which every tensor stays where it was allocated.

    Each call trains ``net`` for one pass over ``(features, labels)`` in a fresh order and
    returns ``(train_loss, train_acc)`` computed as ``train_epoch`` computes them, with the
    same functions of :mod:`minitorch_lr.metrics`. With the same ``generator`` seed it
    visits the batches of ``ArrayLoader((features, labels), batch_size, shuffle,
    generator)``, in the same order, and ends with the same parameters as ``train_epoch``
    over that loader.

    What stays put, and why a CUDA graph needs it (a graph replays kernels on the memory
    addresses they were recorded with):

    - ``order``, an (N,) index buffer. Each epoch copies a new permutation into it, and
      step k trains on the examples ``order[kB : (k+1)B]``: all N examples once per epoch,
      the last batch holding the remaining N mod B when B does not divide N.
    - The gradients: zeroed in place, not set to ``None``, so that backward adds into the
      same ``.grad`` tensors at every step. Adding to zero gives the fresh gradient exactly.
    - ``loss_sum`` and ``correct``: 0-dim tensors on the data's device that every step
      adds into, read by the host once per epoch.

    Args:
        net: the model: a Module (minitorch_lr's or torch's) or any function of a batch.
        loss: a loss module (minitorch_lr's or torch's) with ``reduction`` ``'mean'``,
            ``'sum'`` or ``'none'``. Plain functions are refused: one may build tensors on
            the host at every step (the chapter's ``cross_entropy`` indexes with
            ``range(len(y_hat))``), which a graph cannot replay.
        optimizer: ``minitorch_lr.optim.SGD`` or ``torch.optim.SGD`` with Python-number
            hyperparameters; its step is a fixed sequence of tensor operations. A custom
            ``updater(batch_size)`` or another optimizer may run Python at every step
            (counters, checks) that a replay would skip.
        features, labels: every training example, on one device, with the parameters.
        batch_size: examples per step, a positive int.
        shuffle: draw a new order every epoch, or keep ``0 .. N-1``.
        generator: the ``torch.Generator`` the orders are drawn from, as for
            :class:`~minitorch_lr.data.ArrayLoader`; ``None`` uses torch's default one.

    Shape:
        - features: :math:`(N, *)`, what ``net`` takes, batch first.
        - labels: :math:`(N,)` class indices, or :math:`(N, 1)` regression targets.
        - order: :math:`(N,)`, int64.

    Raises:
        TypeError, ValueError: for what cannot be recorded or does not fit, before
            anything is allocated or trained (see
            :func:`~minitorch_lr.cuda_graph_checks.check_arguments`).
    """

    def __init__(
        self, net, loss, optimizer, features, labels, batch_size, *, shuffle=True, generator=None
    ):
        self._check(loss, optimizer, features, labels, batch_size)
        self.net = net
        self.loss = loss
        self.optimizer = optimizer
        self.features = features
        self.labels = labels
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator
        device = features.device
        self.order = torch.arange(features.shape[0], device=device)
        # Summed in the parameters' dtype, as train_epoch's running sum of loss tensors is.
        dtype = optimizer.param_groups[0]["params"][0].dtype
        self.loss_sum = torch.zeros((), dtype=dtype, device=device)
        self.correct = torch.zeros((), dtype=torch.int64, device=device)

    @classmethod
    def from_loader(cls, net, train_iter, loss, optimizer):
        """Build from an ArrayLoader of ``(features, labels)``: its tensors, batch size,
        shuffle flag and generator. Arguments in ``train_epoch``'s order."""
        if not isinstance(train_iter, ArrayLoader):
            raise TypeError(
                f"{cls.__name__} needs every example as one tensor: train_iter must be a "
                f"minitorch_lr.data.ArrayLoader, got {type(train_iter).__name__}"
            )
        if len(train_iter.tensors) != 2:
            raise ValueError(
                "train_iter must hold two tensors, (features, labels), but holds "
                f"{len(train_iter.tensors)}"
            )
        features, labels = train_iter.tensors
        return cls(
            net,
            loss,
            optimizer,
            features,
            labels,
            train_iter.batch_size,
            shuffle=train_iter.shuffle,
            generator=train_iter.generator,
        )

    def _check(self, loss, optimizer, features, labels, batch_size):
        check_arguments(loss, optimizer, features, labels, batch_size)
        check_parameters_on(optimizer, features.device)

    def fill_order(self):
        """Copy this epoch's order into ``order``, drawn as ArrayLoader draws it."""
        if not self.shuffle:
            return  # ``order`` holds 0 .. N-1 from the start
        # Drawn on the generator's device, then copied: randperm takes only a generator of
        # its own device, and ArrayLoader draws the same way, so the same seed gives the
        # same order.
        draw_on = self.order.device if self.generator is None else self.generator.device
        order = torch.randperm(self.order.shape[0], device=draw_on, generator=self.generator)
        self.order.copy_(order)

    def run_steps(self):
        """Every training step of one epoch over ``order``: the code a CUDA graph records.

        Nothing here reads a tensor's value on the host or branches on one, and every
        tensor that outlives a step (parameters, gradients, momentum buffers, metric sums)
        is updated in place; batches and activations are new tensors at every step.
        """
        params = [param for group in self.optimizer.param_groups for param in group["params"]]
        self.loss_sum.zero_()
        self.correct.zero_()
        for start in range(0, self.order.shape[0], self.batch_size):
            batch = self.order[start : start + self.batch_size]
            X = self.features.index_select(0, batch)
            y = self.labels.index_select(0, batch)
            y_hat = self.net(X)
            batch_loss = self.loss(y_hat, y)
            for param in params:
                # In place: set to None, the gradient would be a new tensor every step,
                # not the one a recording writes into. It is None only before a
                # parameter's first backward pass, in the first (eager) epoch.
                if param.grad is not None:
                    param.grad.zero_()
            # As train_epoch: per-example losses ('none') are averaged, as 'mean' would be.
            (batch_loss if batch_loss.dim() == 0 else batch_loss.mean()).backward()
            self.optimizer.step()
            # y.shape[0], not batch_size: the last batch may be shorter.
            self.loss_sum.add_(summed_loss(batch_loss.detach(), self.loss, y.shape[0]))
            self.correct.add_(count_correct(y_hat, y))

    def read_metrics(self):
        """``(mean loss per example, fraction correct)`` of the last epoch, as floats."""
        num_examples = self.order.shape[0]
        return float(self.loss_sum) / num_examples, float(self.correct) / num_examples

    def __call__(self):
        """Train one epoch; return ``(train_loss, train_acc)`` as ``train_epoch`` does."""
        _train_mode(self.net)
        self.fill_order()
        self.run_steps()
        return self.read_metrics()


class GraphedEpoch(StaticEpoch):
    r"""A :class:`StaticEpoch` recorded as a CUDA graph after its first epoch, then replayed.

    Same arguments, results and orders as :class:`StaticEpoch`; the data and the
    parameters must be on one CUDA device. Each call:

    1. The first time: trains the epoch eagerly on a side stream. This is the warm-up the
       recording needs: it creates what is otherwise created lazily during a step (the
       ``.grad`` tensors, SGD's momentum buffers, per-stream library workspaces), so that
       the recording finds them in place and writes into them. Then it records
       ``run_steps`` on the same stream with ``torch.cuda.graph``. Recording runs nothing:
       the epoch's results are the eager ones.
    2. Later: copies a new order into ``order`` and replays the graph with one launch.

    What a recording bakes in, and so must not change between epochs: every tensor's
    address (the data, parameters, gradients, momentum buffers; their values may change
    in place), every shape (the batches, the last short one included), and every Python
    value the steps read (SGD's hyperparameters become constants in the kernels, a Python
    counter would not advance). Before each replay the hyperparameters and the addresses
    of parameters, gradients and momentum buffers are compared with the recorded ones; if
    any changed (a new learning rate, ``zero_grad()`` between epochs, a loaded optimizer
    state), that epoch runs eagerly and is recorded again. Changing the model itself
    (its layers, its loss options) is not detected: make a new ``GraphedEpoch``.

    What cannot be recorded, inside ``net`` and ``loss``: reading a tensor's value on
    the host (``.item()``, ``float(t)``, ``print(t)``, ``if t > 0``), boolean-mask
    indexing (its result's shape depends on values), indexing with Python lists, and
    creating tensors from Python data. Recording them fails with a ``RuntimeError``.

    Attributes:
        num_captures: how many times the epoch has been recorded.

    Raises:
        RuntimeError: without a CUDA device (train with ``train_epoch`` instead: the same
            steps, eagerly), or when recording fails.
        TypeError, ValueError: as for :class:`StaticEpoch`, and for data not on a GPU.

    Example, on a machine with a GPU::

        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10)).to("cuda")
        loss = nn.CrossEntropyLoss(reduction="none")
        optimizer = optim.SGD(net.parameters(), lr=0.1)
        epoch = GraphedEpoch(net, loss, optimizer, images.cuda(), labels.cuda(), 256)
        for _ in range(10):
            train_loss, train_acc = epoch()  # eager and recorded once, then replayed
    """

    def __init__(
        self, net, loss, optimizer, features, labels, batch_size, *, shuffle=True, generator=None
    ):
        super().__init__(
            net, loss, optimizer, features, labels, batch_size, shuffle=shuffle, generator=generator
        )
        # Warm-up and recording share one stream: libraries such as cuBLAS set up state
        # per stream on first use, and that set-up must not happen while recording.
        self._stream = torch.cuda.Stream(device=features.device)
        self._graph = None
        self._recorded_with = None
        self.num_captures = 0

    def _check(self, loss, optimizer, features, labels, batch_size):
        check_arguments(loss, optimizer, features, labels, batch_size)
        if not torch.cuda.is_available():
            raise RuntimeError(
                "GraphedEpoch records a CUDA graph and needs a CUDA device, but "
                "torch.cuda.is_available() is False. Train with train_epoch (or "
                "train(..., cuda_graph=False)) instead: the same steps, run eagerly."
            )
        if features.device.type != "cuda":
            raise ValueError(
                f"features and labels are on {features.device}, but a CUDA graph records "
                "GPU work only: move them and the model to the GPU with .to('cuda')"
            )
        check_parameters_on(optimizer, features.device)

    def __call__(self):
        """Train one epoch, eagerly then recorded or as a replay; return
        ``(train_loss, train_acc)`` as ``train_epoch`` does."""
        _train_mode(self.net)
        # The data's GPU is made current, so that streams and replays go to it.
        with torch.cuda.device(self.order.device):
            if self._graph is None or self._baked_in() != self._recorded_with:
                self._run_eagerly_then_record()
            else:
                # A new order in the same buffer, then every step of the epoch, one launch.
                self.fill_order()
                self._graph.replay()
        return self.read_metrics()

    def _run_eagerly_then_record(self):
        self._graph = None  # frees the memory of an earlier recording
        stream = self._stream
        # Warm-up, on a side stream as torch's notes ask. The side stream first waits for
        # the work already queued on the current one (the data, the parameters), and the
        # current stream then waits for the epoch.
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            self.fill_order()
            self.run_steps()
        torch.cuda.current_stream().wait_stream(stream)
        # Recording: the same Python code on the same stream, now with every tensor it
        # writes in place. Kernels are recorded, not run; the batches and activations they
        # will make get addresses in a memory pool the graph keeps for itself.
        graph = torch.cuda.CUDAGraph()
        try:
            with torch.cuda.graph(graph, stream=stream):
                self.run_steps()
        except RuntimeError as error:
            raise RuntimeError(_RECORDING_FAILED) from error
        self._graph = graph
        self._recorded_with = self._baked_in()
        self.num_captures += 1

    def _baked_in(self):
        """The hyperparameters of each param group and the address of every parameter,
        gradient and momentum buffer: what a recording fixed that Python may change."""
        params = [param for group in self.optimizer.param_groups for param in group["params"]]
        if hasattr(self.net, "parameters"):
            # Parameters outside the optimizer still get gradients the graph writes.
            params += list(self.net.parameters())
        addresses = []
        for param in params:
            # .get, not [ ]: the state is a defaultdict, and reading must not add entries.
            momentum_buffer = self.optimizer.state.get(param, {}).get("momentum_buffer")
            addresses.append((_address(param), _address(param.grad), _address(momentum_buffer)))
        return hyperparameters(self.optimizer), addresses


_RECORDING_FAILED = (
    "recording the epoch as a CUDA graph failed (the error above says where); the first "
    "epoch ran eagerly and its updates stand. A graph cannot record host work inside net "
    "or loss: reading a tensor's value (.item(), float(t), print(t), if t > 0), "
    "boolean-mask indexing, indexing with Python lists, or making tensors from Python "
    "data. A failed recording may leave the CUDA context unusable: restart the process, "
    "then remove the host work or train with train_epoch."
)


def _address(tensor):
    return None if tensor is None else (tensor.data_ptr(), tuple(tensor.shape))


def _train_mode(net):
    # As train_epoch: a plain function has no mode to switch.
    if callable(getattr(net, "train", None)):
        net.train()
