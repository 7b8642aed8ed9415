r"""A training epoch recorded once as a CUDA graph and replayed: the GPU fast path of ``train``.

On a GPU, a small model such as softmax regression spends its time waiting on the host:
launching one tensor operation costs the host far longer than the GPU takes to run it.
A CUDA graph records the kernels of a whole epoch once (for every batch: forward, loss,
backward, SGD step and the metric sums) and then launches them all with one call per
epoch. This is the "whole-network capture" recipe of torch's CUDA semantics notes
(``torch.cuda.graph``), stretched from one training step to a whole epoch.

:class:`GraphedEpoch` is built on :class:`~minitorch_lr.train.static_epoch.StaticEpoch`,
the epoch written the way a graph needs it (every tensor it touches allocated once and
reused): it runs that code eagerly for its first epoch, on a side stream, then records
it, and replays the recording in every later epoch. ``train(..., cuda_graph=True)``
imports this file; nothing else in the package does.

The checks of its arguments, each saying why, are in ``graph_checks.py``.

Left out: optimizers other than SGD, the chapter's ``updater(batch_size)`` functions, loss
functions without a ``reduction`` (:class:`StaticEpoch` says why), several GPUs, and
``torch.compile`` before recording.
"""

import torch

from .graph_checks import check_arguments, check_parameters_on, hyperparameters
from .static_epoch import StaticEpoch, train_mode

__all__ = ["GraphedEpoch"]


class GraphedEpoch(StaticEpoch):
    r"""A :class:`~minitorch_lr.train.static_epoch.StaticEpoch` recorded as a CUDA graph after
    its first epoch, then replayed.

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

        pixels, labels, _, _ = data.load_fashion_mnist()  # uint8 images, int64 labels
        images = pixels.unsqueeze(1).float() / 255  # (60000, 1, 28, 28) in [0, 1]
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
        train_mode(self.net)
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
