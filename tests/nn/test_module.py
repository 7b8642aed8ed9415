"""Module against torch.nn.Module: registration, tree walks, modes, state dicts, dtypes.

Trees are generated (``module_trees``) and built twice, once with each library after the
same seed, so every walk can be compared name for name with torch's.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr import nn
from minitorch_lr.testing import assert_same_error
from minitorch_lr.testing.strategies import module_trees, seeds
from tests.helpers import both_trees


def linear_biases(spec):
    """The ``bias`` flag of every Linear in a tree spec, in order."""
    if spec[0] == "linear":
        return [spec[3]]
    if spec[0] == "seq":
        return [flag for child in spec[1] for flag in linear_biases(child)]
    return []


def names(pairs):
    return [name for name, _ in pairs]


def make_shared(lib):
    """A model reusing one Linear in two places, and one weight in two Linears."""

    class Shared(lib.Module):
        def __init__(self):
            super().__init__()
            self.scale = lib.Parameter(torch.ones(2))
            self.first = lib.Linear(2, 2)
            self.again = self.first
            self.tail = lib.Sequential(self.first, lib.Linear(2, 1))
            self.tied = lib.Linear(2, 2)
            self.tied.weight = self.first.weight

        def forward(self, x):
            return self.tail(self.again(self.first(x) * self.scale))

    return Shared()


@given(spec=module_trees(), seed=seeds)
def test_tree_walks_match_torch(spec, seed):
    ours, theirs = both_trees(spec, seed)
    assert names(ours.named_parameters()) == names(theirs.named_parameters())
    assert names(ours.named_modules()) == names(theirs.named_modules())
    assert names(ours.named_children()) == names(theirs.named_children())
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))
    assert len(list(ours.children())) == len(list(theirs.children()))
    assert len(list(ours.modules())) == len(list(theirs.modules()))
    assert repr(ours) == repr(theirs)


@given(spec=module_trees(), seed=seeds)
def test_state_dict_keys_order_and_values_match_torch(spec, seed):
    ours, theirs = both_trees(spec, seed)
    mine, reference = ours.state_dict(), theirs.state_dict()
    assert list(mine) == list(reference)
    assert len(mine) == sum(2 if node_has_bias else 1 for node_has_bias in linear_biases(spec))
    for key in reference:
        assert torch.equal(mine[key], reference[key]), key


@given(spec=module_trees(), seed=seeds)
def test_state_dicts_load_both_ways(spec, seed):
    ours, theirs = both_trees(spec, seed)
    _, source = both_trees(spec, seed + 1)
    result = ours.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for key, value in source.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value)
    _, fresh = both_trees(spec, seed + 2)
    fresh.load_state_dict(ours.state_dict())
    for key, value in ours.state_dict().items():
        assert torch.equal(fresh.state_dict()[key], value)


@given(spec=module_trees(), modes=st.lists(st.booleans(), min_size=1, max_size=3))
def test_train_and_eval_reach_every_module(spec, modes):
    ours, theirs = both_trees(spec)
    for mode in modes:
        assert ours.train(mode) is ours
        theirs.train(mode)
        assert [m.training for m in ours.modules()] == [m.training for m in theirs.modules()]
    assert ours.eval() is ours
    assert not any(module.training for module in ours.modules())
    # Called with no argument, train() switches training on, as torch's does.
    assert ours.train() is ours
    theirs.eval().train()
    assert [m.training for m in ours.modules()] == [m.training for m in theirs.modules()]
    assert all(module.training for module in ours.modules())


@given(spec=module_trees())
def test_apply_visits_children_before_parents_like_torch(spec):
    ours, theirs = both_trees(spec)
    visited_ours, visited_theirs = [], []
    assert ours.apply(lambda m: visited_ours.append(repr(m))) is ours
    theirs.apply(lambda m: visited_theirs.append(repr(m)))
    assert visited_ours == visited_theirs


@given(spec=module_trees(), seed=seeds, set_to_none=st.booleans())
def test_zero_grad_matches_torch(spec, seed, set_to_none):
    ours, theirs = both_trees(spec, seed)
    for model in (ours, theirs):
        for param in model.parameters():
            param.sum().backward()
        model.zero_grad(set_to_none=set_to_none)
    for mine, reference in zip(ours.parameters(), theirs.parameters()):
        if reference.grad is None:
            assert mine.grad is None
        else:
            assert torch.equal(mine.grad, reference.grad)


def test_shared_parameters_are_listed_once_under_their_first_name():
    ours, theirs = make_shared(nn), make_shared(torch.nn)
    assert names(ours.named_parameters()) == names(theirs.named_parameters())
    assert names(ours.named_modules()) == names(theirs.named_modules())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    # scale, first.weight, first.bias, tail.1.weight, tail.1.bias, tied.bias
    assert len(list(ours.parameters())) == 6


def test_assignment_registers_parameters_and_modules_but_not_plain_tensors():
    module = nn.Module()
    module.weight = nn.Parameter(torch.ones(2))
    module.child = nn.Linear(2, 2)
    module.cache = torch.zeros(3)
    assert names(module.named_parameters()) == ["weight", "child.weight", "child.bias"]
    assert names(module.named_children()) == ["child"]
    assert "cache" not in module.state_dict()
    module.child = None
    assert names(module.named_parameters()) == ["weight"]


def test_assigning_a_plain_tensor_to_a_parameter_name_is_a_type_error():
    layer, reference = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    weight = layer.weight

    def assign(module):
        module.weight = torch.ones(2, 2)

    assert_same_error(lambda: assign(layer), lambda: assign(reference), match="weight")
    assert layer.weight is weight


def test_a_module_without_forward_raises_not_implemented_error():
    assert_same_error(lambda: nn.Module()(torch.ones(1)), lambda: torch.nn.Module()(torch.ones(1)))


def test_an_unknown_attribute_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="wieght"):
        nn.Linear(2, 2).wieght  # noqa: B018


def test_buffers_are_saved_unless_not_persistent():
    module = nn.Module()
    module.register_buffer("kept", torch.ones(2))
    module.register_buffer("scratch", torch.ones(2), persistent=False)
    reference = torch.nn.Module()
    reference.register_buffer("kept", torch.ones(2))
    reference.register_buffer("scratch", torch.ones(2), persistent=False)
    assert list(module.state_dict()) == list(reference.state_dict()) == ["kept"]
    assert names(module.named_buffers()) == names(reference.named_buffers())
    assert module.double().kept.dtype == torch.float64


@pytest.mark.parametrize(
    "register",
    [
        lambda lib, m: m.register_parameter("a.b", None),
        lambda lib, m: m.register_parameter("", None),
        lambda lib, m: m.register_parameter(3, None),
        lambda lib, m: m.register_buffer("w", [1.0]),
        lambda lib, m: m.add_module("child", 3),
    ],
    ids=["dotted-name", "empty-name", "non-string-name", "non-tensor-buffer", "non-module"],
)
def test_bad_registrations_raise_torchs_error_type(register):
    assert_same_error(
        lambda: register(nn, nn.Module()), lambda: register(torch.nn, torch.nn.Module())
    )


@pytest.mark.parametrize("remove_duplicate", [True, False])
def test_walks_with_and_without_de_duplication_match_torch(remove_duplicate):
    ours, theirs = make_shared(nn), make_shared(torch.nn)
    for walk in ("named_parameters", "named_modules", "named_buffers"):
        mine = getattr(ours, walk)(remove_duplicate=remove_duplicate)
        reference = getattr(theirs, walk)(remove_duplicate=remove_duplicate)
        assert names(mine) == names(reference), walk


@given(spec=module_trees(), prefix=st.sampled_from(["", "model.", "m", "a.b."]))
def test_state_dict_prefix_is_joined_as_torch_joins_it(spec, prefix):
    ours, theirs = both_trees(spec)
    assert list(ours.state_dict(prefix=prefix)) == list(theirs.state_dict(prefix=prefix))


# --- the rest of torch's surface: freezing, lookup by path, tab completion ----------------


@given(spec=module_trees(), flags=st.lists(st.booleans(), min_size=1, max_size=3))
def test_requires_grad_sets_every_parameter_like_torch(spec, flags):
    ours, theirs = both_trees(spec)
    for flag in flags:
        assert ours.requires_grad_(flag) is ours
        theirs.requires_grad_(flag)
        ours_flags = [param.requires_grad for param in ours.parameters()]
        assert ours_flags == [param.requires_grad for param in theirs.parameters()]
    assert ours.requires_grad_() is ours
    assert all(param.requires_grad for param in ours.parameters())


def paths_to_try(theirs):
    """Every module, parameter and buffer path of a torch tree, and a few that are wrong."""
    paths = [name for name, _ in theirs.named_modules()]
    paths += [name for name, _ in theirs.named_parameters()]
    paths += ["missing", "0.missing", "weight.0", "0.0.0.0", "training", "0.in_features"]
    return paths


@given(spec=module_trees())
def test_get_submodule_parameter_and_buffer_find_what_torch_finds(spec):
    ours, theirs = both_trees(spec)
    for path in paths_to_try(theirs):
        for method in ("get_submodule", "get_parameter", "get_buffer"):
            try:
                expected = getattr(theirs, method)(path)
            except AttributeError as error:
                with pytest.raises(AttributeError) as ours_error:
                    getattr(ours, method)(path)
                assert str(ours_error.value) == str(error)
                continue
            found = getattr(ours, method)(path)
            assert repr(found) == repr(expected), (method, path)


def test_get_buffer_finds_registered_buffers_only():
    module = nn.Module()
    module.register_buffer("running", torch.zeros(2))
    module.plain = torch.ones(1)
    assert torch.equal(module.get_buffer("running"), torch.zeros(2))
    with pytest.raises(AttributeError, match="`plain` is not a buffer"):
        module.get_buffer("plain")
    with pytest.raises(AttributeError, match="`running` is not an nn.Parameter"):
        module.get_parameter("running")


def test_register_module_is_add_module():
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.register_module("head", nn.Linear(2, 1))
    theirs.register_module("head", torch.nn.Linear(2, 1))
    assert repr(ours) == repr(theirs)
    assert_same_error(
        lambda: ours.register_module("a.b", nn.Linear(1, 1)),
        lambda: theirs.register_module("a.b", torch.nn.Linear(1, 1)),
    )


@given(spec=module_trees())
def test_dir_lists_what_torchs_dir_lists_of_the_registered_names(spec):
    ours, theirs = both_trees(spec)
    for module, twin in zip(ours.modules(), theirs.modules()):
        registered = {*twin._parameters, *twin._modules, *twin._buffers}
        assert set(dir(module)) & registered == set(dir(twin)) & registered
        assert dir(module) == sorted(dir(module))
        assert "forward" in dir(module) and "named_parameters" in dir(module)


# --- torch's pieces inside a minitorch_lr Module --------------------------------------------


def test_a_torch_parameter_is_registered_trained_saved_and_moved_like_ours():
    model = nn.Module()
    model.scale = torch.nn.Parameter(torch.ones(2))
    model.layer = nn.Linear(2, 1)
    assert [name for name, _ in model.named_parameters()] == ["scale", "layer.weight", "layer.bias"]
    assert list(model.state_dict()) == ["scale", "layer.weight", "layer.bias"]
    scale = model.scale
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model.layer(torch.ones(1, 2) * model.scale).sum().backward()
    optimizer.step()
    assert not torch.equal(model.scale, torch.ones(2))  # it trained
    assert model.double().scale is scale and scale.dtype == torch.float64


def test_a_torch_module_as_a_child_is_a_type_error_naming_what_to_use():
    model = nn.Module()
    with pytest.raises(
        TypeError, match=r"torch\.nn\.modules\.linear\.Linear.*minitorch_lr\.nn\.Linear"
    ):
        model.head = torch.nn.Linear(2, 1)
    assert "head" not in model.__dict__ and list(model.children()) == []
    assert_same_error(
        lambda: model.add_module("head", torch.nn.Linear(2, 1)),
        lambda: torch.nn.Module().add_module("head", nn.Linear(2, 1)),
    )
