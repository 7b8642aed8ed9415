"""Every public piece documents itself, and the nn pieces in torch's docstring template.

The API reference is generated from the docstrings and shows only what has one, so a
public class, function or method without a docstring would be missing from it. The
``nn`` pieces that mirror torch.nn follow torch's template: the formula, the arguments,
the shapes (``Shape:``) and an example (``Example::``, run by ``--doctest-modules``).
"""

import importlib
import inspect
import pkgutil

import pytest

import minitorch_lr

MODULES = [
    info.name
    for info in pkgutil.walk_packages(minitorch_lr.__path__, "minitorch_lr.")
    if not info.name.endswith("__main__")
]


def public_objects(module):
    for name in getattr(module, "__all__", []):
        value = getattr(module, name)
        if (inspect.isclass(value) or inspect.isfunction(value)) and (
            value.__module__ == module.__name__
        ):
            yield name, value


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_class_function_and_method_has_a_docstring(module_name):
    module = importlib.import_module(module_name)
    assert inspect.getdoc(module), f"{module_name} has no docstring"
    missing = []
    for name, value in public_objects(module):
        if not inspect.getdoc(value):
            missing.append(name)
        if inspect.isclass(value):
            for attribute, member in vars(value).items():
                if attribute.startswith("_") or not callable(member):
                    continue
                if not (member.__doc__ or "").strip():
                    missing.append(f"{name}.{attribute}")
    assert missing == []


def torch_template_pieces():
    from minitorch_lr.nn import functional, init, loss

    layers = ["Linear", "LazyLinear", "Flatten", "Sequential"]
    pieces = [(getattr(minitorch_lr.nn, name), ("Shape:", "Example")) for name in layers]
    pieces += [(getattr(loss, name), ("Shape", "Example", ":math:")) for name in loss.__all__]
    pieces += [
        (getattr(functional, name), ("Shape", "Example", "math:")) for name in functional.__all__
    ]
    pieces += [(getattr(init, name), ("Example",)) for name in init.__all__]
    return pieces


@pytest.mark.parametrize(
    ("piece", "parts"), torch_template_pieces(), ids=lambda value: getattr(value, "__name__", "")
)
def test_nn_pieces_follow_torchs_docstring_template(piece, parts):
    doc = inspect.getdoc(piece)
    assert [part for part in parts if part not in doc] == []
    if "Example" in parts:
        assert ">>>" in doc
