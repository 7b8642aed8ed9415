"""GraphedEpoch: without CUDA it refuses before anything changes; on a GPU (skipped
without one) it trains the chapter's softmax regression as the eager loop does, and
records again when a hyperparameter or a state tensor changes between epochs."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import minitorch_lr.nn
from minitorch_lr.data import ArrayLoader
from minitorch_lr.train import train_epoch
from minitorch_lr.train.graph import GraphedEpoch
from tests.helpers import requires_cuda
from tests.train.epoch_problems import (
    LIBRARIES,
    NUM_EPOCHS,
    assert_same_training_state,
    assert_untouched,
    generator_on,
    make_data,
    make_model,
    snapshot,
)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour without CUDA")
@pytest.mark.parametrize("build", ["constructor", "from_loader"])
def test_graphed_epoch_without_cuda_raises_runtime_error_before_anything_changes(build):
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    loss = minitorch_lr.nn.CrossEntropyLoss()
    generator = generator_on("cpu", 0)
    before = snapshot(net, optimizer, generator)
    with pytest.raises(RuntimeError, match=r"needs a CUDA device.*Train with train_epoch"):
        if build == "constructor":
            GraphedEpoch(net, loss, optimizer, features, labels, 4, generator=generator)
        else:
            loader = ArrayLoader((features, labels), 4, shuffle=True, generator=generator)
            GraphedEpoch.from_loader(net, loader, loss, optimizer)
    assert_untouched(before, net, optimizer, generator)


def test_graphed_epoch_refuses_data_off_the_gpu_before_touching_cuda(monkeypatch):
    """CUDA is made to look available, so the data's device is the check that fails.
    Without a GPU, any CUDA call made before that check would raise another error."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    features, labels = make_data("classify", 0, 10)
    net, optimizer = make_model("minitorch_lr", "classify", 0, {"lr": 0.1})
    generator = generator_on("cpu", 0)
    before = snapshot(net, optimizer, generator)
    with pytest.raises(ValueError, match=r"are on cpu, but a CUDA graph records GPU work"):
        GraphedEpoch(
            net,
            minitorch_lr.nn.CrossEntropyLoss(),
            optimizer,
            features,
            labels,
            4,
            generator=generator,
        )
    assert_untouched(before, net, optimizer, generator)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour without CUDA")
def test_gpu_check_script_exits_with_a_message_without_cuda(tmp_path):
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "PYTHONPATH": str(root), "OUT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "gpu_cuda_graph.py")],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "needs a CUDA device" in result.stderr
    assert list(tmp_path.iterdir()) == []


def softmax_problem(library, device, momentum):
    """Images (N, 1, 4, 4) in 5 classes, Flatten + Linear, as in the chapter; float32."""
    nn, optimizer_class = LIBRARIES[library]
    generator = torch.Generator().manual_seed(0)
    images = torch.rand((1000, 1, 4, 4), generator=generator).to(device)
    labels = torch.randint(0, 5, (1000,), generator=generator).to(device)
    torch.manual_seed(0)
    pair = []
    for _ in range(2):
        net = nn.Sequential(nn.Flatten(), nn.Linear(16, 5)).to(device)
        pair.append((net, optimizer_class(net.parameters(), lr=0.1, momentum=momentum)))
    pair[1][0].load_state_dict(pair[0][0].state_dict())
    return images, labels, nn.CrossEntropyLoss(reduction="none"), pair


@requires_cuda
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("generator_device", ["cpu", "cuda"])
def test_graphed_softmax_regression_matches_the_eager_loop(library, generator_device):
    """1000 examples in batches of 64: 15 full ones and a last one of 40. float32, with
    torch.testing's float32 defaults: the replay runs the eager loop's kernels."""
    images, labels, loss, [(net, optimizer), (reference, reference_optimizer)] = softmax_problem(
        library, "cuda", momentum=0.9
    )
    epoch = GraphedEpoch(
        net, loss, optimizer, images, labels, 64, generator=generator_on(generator_device, 3)
    )
    loader = ArrayLoader(
        (images, labels), 64, shuffle=True, generator=generator_on(generator_device, 3)
    )
    for _ in range(NUM_EPOCHS):
        metrics = epoch()
        expected_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        torch.testing.assert_close(metrics, expected_metrics)
        assert_same_training_state(net, optimizer, reference, reference_optimizer)
    assert epoch.num_captures == 1


def set_learning_rate(net, optimizer):
    for group in optimizer.param_groups:
        group["lr"] = 0.05


def clear_gradients(net, optimizer):
    optimizer.zero_grad()


def reload_optimizer_state(net, optimizer):
    # New momentum buffers, at new addresses, holding the same values. A copy: torch's
    # loading keeps the very tensors it is given when they are on the right device.
    optimizer.load_state_dict(copy.deepcopy(optimizer.state_dict()))


@requires_cuda
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("change", [set_learning_rate, clear_gradients, reload_optimizer_state])
def test_graphed_epoch_records_again_after_a_change_between_epochs(library, change):
    images, labels, loss, [(net, optimizer), (reference, reference_optimizer)] = softmax_problem(
        library, "cuda", momentum=0.9
    )
    epoch = GraphedEpoch(
        net, loss, optimizer, images, labels, 64, generator=generator_on("cuda", 0)
    )
    loader = ArrayLoader((images, labels), 64, shuffle=True, generator=generator_on("cuda", 0))
    for completed in range(1, 5):
        if completed == 3:
            change(net, optimizer)
            change(reference, reference_optimizer)
        metrics = epoch()
        expected_metrics = train_epoch(reference, loader, loss, reference_optimizer)
        torch.testing.assert_close(metrics, expected_metrics)
        assert_same_training_state(net, optimizer, reference, reference_optimizer)
    assert epoch.num_captures == 2


@requires_cuda
def test_graphed_epoch_refuses_parameters_off_the_data_gpu():
    images, labels, loss, [(net, optimizer), _] = softmax_problem("torch", "cpu", momentum=0.0)
    with pytest.raises(ValueError, match="is on cpu but the data are on cuda:0"):
        GraphedEpoch(net, loss, optimizer, images.cuda(), labels.cuda(), 64)
