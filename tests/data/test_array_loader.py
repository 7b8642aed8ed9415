"""ArrayLoader and load_array against DataLoader(TensorDataset): the same batches in the
stored order, every example exactly once per shuffled epoch, a reproducible order, and
DataLoader's errors for bad arguments."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset

from minitorch_lr.data import ArrayLoader, load_array
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import make_tensor, seeds
from tests.helpers import DEVICES, requires_cuda

num_examples = st.integers(0, 40)
batch_sizes = st.integers(1, 12)
trailing_shapes = st.lists(st.integers(1, 3), max_size=2).map(tuple)


def numbered(n, trailing=(), device="cpu"):
    """Features whose first entry is the example's index, and labels equal to it."""
    features = make_tensor((n, *trailing), seed=n, device=device)
    features.view(n, math.prod(trailing))[:, 0] = torch.arange(
        n, dtype=features.dtype, device=device
    )
    return features, torch.arange(n, device=device)


def epoch(loader):
    return [[t.clone() for t in batch] for batch in loader]


@pytest.mark.parametrize("device", DEVICES)
@given(n=num_examples, batch_size=batch_sizes, trailing=trailing_shapes)
def test_stored_order_gives_dataloaders_batches(device, n, batch_size, trailing):
    tensors = numbered(n, trailing, device)
    ours = epoch(ArrayLoader(tensors, batch_size))
    theirs = epoch(DataLoader(TensorDataset(*tensors), batch_size=batch_size))
    assert len(ours) == len(theirs)
    for our_batch, their_batch in zip(ours, theirs):
        assert isinstance(our_batch, list) and len(our_batch) == len(their_batch)
        for our, their in zip(our_batch, their_batch):
            torch.testing.assert_close(our, their, rtol=0, atol=0)


@pytest.mark.parametrize("device", DEVICES)
@given(n=num_examples, batch_size=batch_sizes, seed=seeds)
def test_a_shuffled_epoch_visits_each_example_once_in_full_batches_but_the_last(
    device, n, batch_size, seed
):
    features, labels = numbered(n, (3,), device)
    loader = ArrayLoader(
        (features, labels), batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed)
    )
    batches = epoch(loader)
    assert len(batches) == len(loader) == math.ceil(n / batch_size)
    sizes = [len(y) for _, y in batches]
    assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    seen = torch.cat([y for _, y in batches]) if batches else torch.empty(0, dtype=torch.long)
    assert sorted(seen.tolist()) == list(range(n))
    for X, y in batches:  # rows stay together: each features row is its label's row
        torch.testing.assert_close(X, features[y], rtol=0, atol=0)
        assert X.device == y.device == features.device


def test_each_epoch_draws_a_new_order_from_the_generator():
    generator = torch.Generator().manual_seed(0)
    loader = load_array(numbered(100), batch_size=30, generator=generator)
    first, second = ([y for _, y in epoch(loader)] for _ in range(2))
    reference = torch.Generator().manual_seed(0)
    expected_first = torch.randperm(100, generator=reference)
    expected_second = torch.randperm(100, generator=reference)
    torch.testing.assert_close(torch.cat(first), expected_first)
    torch.testing.assert_close(torch.cat(second), expected_second)
    assert not torch.equal(expected_first, expected_second)


@given(seed=seeds, batch_size=batch_sizes)
def test_the_same_seed_gives_the_same_batches_and_leaves_the_global_rng_alone(seed, batch_size):
    state = torch.get_rng_state()
    runs = [
        epoch(load_array(numbered(25), batch_size, generator=torch.Generator().manual_seed(seed)))
        for _ in range(2)
    ]
    for batch_a, batch_b in zip(*runs):
        torch.testing.assert_close(batch_a, batch_b, rtol=0, atol=0)
    assert torch.equal(torch.get_rng_state(), state)


def test_without_a_generator_the_order_comes_from_torchs_default_generator():
    with torch.random.fork_rng():
        torch.manual_seed(5)
        order = torch.cat([y for _, y in load_array(numbered(50), batch_size=8)])
        torch.manual_seed(5)
        expected = torch.randperm(50)
    torch.testing.assert_close(order, expected)


def test_is_train_false_keeps_the_stored_order_every_epoch():
    loader = load_array(numbered(23), batch_size=5, is_train=False)
    for _ in range(2):
        torch.testing.assert_close(torch.cat([y for _, y in loader]), torch.arange(23))


def test_changing_a_batch_in_place_leaves_the_data_unchanged():
    features, labels = numbered(10, (2,))
    original = features.clone()
    for shuffle in [False, True]:
        for X, _ in ArrayLoader((features, labels), 4, shuffle=shuffle):
            X.zero_()
    torch.testing.assert_close(features, original, rtol=0, atol=0)


def test_it_iterates_like_the_chapters_loader():
    features, labels = torch.randn(1000, 2), torch.randn(1000, 1)
    loader = load_array((features, labels), 10)
    X, y = next(iter(loader))
    assert (X.shape, y.shape, len(loader)) == ((10, 2), (10, 1), 100)
    assert repr(loader) == "ArrayLoader(num_examples=1000, batch_size=10, shuffle=True)"


@requires_cuda
def test_a_cpu_generator_with_cuda_tensors_gives_the_cpu_order():
    cpu_tensors = numbered(40)
    cuda_tensors = [t.cuda() for t in cpu_tensors]
    orders = []
    for tensors in [cpu_tensors, cuda_tensors]:
        loader = load_array(tensors, 16, generator=torch.Generator().manual_seed(1))
        orders.append(torch.cat([y.cpu() for _, y in loader]))
        assert all(y.device == tensors[1].device for _, y in loader)
    torch.testing.assert_close(orders[0], orders[1])


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True, "4"])
def test_a_bad_batch_size_raises_dataloaders_error_type_with_the_one_message(batch_size):
    tensors = numbered(5)
    assert_same_error(
        lambda: ArrayLoader(tensors, batch_size),
        lambda: DataLoader(TensorDataset(*tensors), batch_size=batch_size),
        match=f"^batch_size must be a positive integer, got {batch_size!r}$",
    )


def test_batch_size_none_is_refused_too():
    # DataLoader reads None as "no batching"; a loader of minibatches has no such mode.
    with pytest.raises(ValueError, match="got None"):
        load_array(numbered(5), None)


def test_tensors_of_different_lengths_are_refused_naming_the_sizes():
    with pytest.raises(ValueError, match=r"Size mismatch between tensors: first dims are \[5, 4\]"):
        load_array((torch.zeros(5, 2), torch.zeros(4)), 2)


@pytest.mark.parametrize(
    "tensors, error, match",
    [
        (torch.zeros(5, 2), TypeError, "single tensor of shape \\(5, 2\\)"),
        ((), ValueError, "at least one tensor"),
        ((torch.zeros(5), [1, 2, 3, 4, 5]), TypeError, "tensors\\[1\\] should be a torch.Tensor"),
        ((torch.tensor(1.0),), ValueError, "tensors\\[0\\] is 0-d"),
    ],
)
def test_bad_tensors_are_refused(tensors, error, match):
    with pytest.raises(error, match=match):
        ArrayLoader(tensors, 2)
