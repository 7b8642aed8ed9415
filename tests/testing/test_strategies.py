"""The general strategies: module trees that both libraries build alike, tensors of the
drawn shape."""

import torch
from hypothesis import given

from minitorch_lr import nn
from minitorch_lr.testing.strategies import build_tree, module_trees, shapes, tensors


@given(spec=module_trees())
def test_a_tree_builds_alike_with_both_libraries(spec):
    ours, theirs = build_tree(spec, nn), build_tree(spec, torch.nn)
    assert repr(ours) == repr(theirs)


@given(shape=shapes(max_dims=3), tensor=tensors(shape=(2, 3)))
def test_tensors_have_the_shape_asked_for_and_shapes_their_bounds(shape, tensor):
    assert tensor.shape == (2, 3) and tensor.dtype == torch.float64
    assert len(shape) <= 3 and all(0 <= side <= 5 for side in shape)
