"""The package's dependency rules, checked on every import of every module.

Each rule names the modules it governs, the imports they may not make, and why. The
imports are read with ``ast`` from the source, those inside functions (lazy imports)
included, relative imports resolved; ``torch.nn.X`` reached as an attribute after a plain
``import torch`` counts as an import of it. The checker proves itself: for each rule, a
violating import is written into a temporary copy of the package, and the check must fail
there, naming the file, the import and the rule.
"""

import ast
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import minitorch_lr

PACKAGE = Path(minitorch_lr.__file__).resolve().parent
ROOT = "minitorch_lr"
PARTS = (
    "nn",
    "optim",
    "scratch",
    "data",
    "train",
    "plot",
    "chapter",
    "cli",
    "cli_programs",
    "cli_output",
    "tools",
    "testing",
)
TORCH_REFERENCE = ("torch.nn", "torch.optim")  # torch.nn.functional lies under torch.nn


def part(name):
    return f"{ROOT}.{name}"


def others(*allowed):
    """Every part of the package but ``allowed`` (and the shared ``_checks`` and
    ``_folders``)."""
    return tuple(part(name) for name in PARTS if name not in allowed)


@dataclass(frozen=True)
class Rule:
    name: str
    governs: tuple  # module names (``minitorch_lr.nn`` covers the whole folder)
    forbidden: tuple  # import names; a name covers everything below it
    reason: str
    example: tuple  # (file of the package, an import line that breaks the rule)
    module_level_only: bool = False  # True: imports inside functions are allowed
    exempt: tuple = ()  # modules under ``governs`` that the rule leaves alone
    allowed: tuple = ()  # (module, import) pairs the rule lets through, each for a reason


RULES = [
    Rule(
        "nn stands alone",
        (part("nn"),),
        others("nn"),
        "nn is the foundation a learner reads first: layers and losses must make sense "
        "without the optimizer, the data, the loop or anything built on them.",
        ("nn/linear.py", "from ..optim import SGD"),
    ),
    Rule(
        "optim sees tensors only",
        (part("optim"),),
        others("optim"),
        "an optimizer sees tensors and param groups, so it trains a torch.nn model as well "
        "as a minitorch_lr one.",
        ("optim/sgd.py", "from ..nn import Linear"),
    ),
    Rule(
        "scratch comes before the concise API",
        (part("scratch"),),
        others("scratch"),
        "scratch is the chapter before nn and optim exist; it may not lean on them.",
        ("scratch.py", "from .nn import functional"),
    ),
    Rule(
        "data knows no layers or loops",
        (part("data"),),
        others("data"),
        "a loader hands out tensors; what trains on them is none of its business.",
        ("data/array_loader.py", "from ..nn import Module"),
    ),
    Rule(
        "plot draws numbers, not models",
        (part("plot"),),
        others("plot"),
        "plots take numbers and images, so they draw any library's results.",
        ("plot.py", "from .train import train"),
    ),
    Rule(
        "train comes before the programs",
        (part("train"),),
        others("train", "nn", "optim", "data", "plot"),
        "the loop trains any model; the programs, the command line and the tools that use "
        "it come after it.",
        ("train/loop.py", "from ..chapter import fit_softmax"),
    ),
    Rule(
        "training loads no CUDA-graph code",
        (part("train"),),
        (part("train.graph"), part("train.static_epoch"), part("train.graph_checks")),
        "importing the training loop must not load the CUDA-graph epoch; train() imports "
        "it inside the function, only when cuda_graph=True.",
        ("train/loop.py", "from .graph import GraphedEpoch"),
        module_level_only=True,
        exempt=(part("train.graph"), part("train.static_epoch"), part("train.graph_checks")),
    ),
    Rule(
        "chapter knows no command line",
        (part("chapter"),),
        (part("cli"), part("tools"), part("testing")),
        "the programs are called by the command line, the docs, the tests and the "
        "benchmarks alike; they know none of them.",
        ("chapter.py", "from .cli import main"),
    ),
    Rule(
        "only cli knows the command line",
        (ROOT,),
        ("argparse", part("cli")),
        "a function that parses arguments cannot be called from a notebook: parsing and "
        "printing belong to one file.",
        ("train/loop.py", "import argparse"),
        exempt=(part("cli"), part("__main__")),
    ),
    Rule(
        "only the command line uses the command's parts",
        (ROOT,),
        (part("cli_programs"), part("cli_output")),
        "what the subcommands print and how they end is the command line's business; a "
        "program that printed its own JSON could not be called from a notebook.",
        ("chapter.py", "from .cli_output import json_line"),
        exempt=(part("cli"), part("cli_programs"), part("cli_output")),
    ),
    Rule(
        "the command's output knows no part",
        (part("cli_output"),),
        others("cli_output"),
        "how a run reports (lines, JSON, exit codes) is the same whatever the run computed.",
        ("cli_output.py", "from .chapter import fit_linreg"),
    ),
    Rule(
        "tooling stays off the learner's path",
        (ROOT,),
        (part("tools"),),
        "the benchmark report is tooling: only the command that runs it loads it.",
        ("chapter.py", "from .tools import bench_report"),
        exempt=(part("cli"), part("cli_programs"), part("tools")),
    ),
    Rule(
        "tools stand apart",
        (part("tools"),),
        others("tools"),
        "the report reads JSON and draws; it depends on nothing a learner reads.",
        ("tools/bench_report.py", "from ..train import train"),
    ),
    Rule(
        "testing works for anyone's pieces",
        (part("testing"),),
        (*others("testing"), "torch.nn"),
        "the checks take the nn to build with as an argument, so that they load without "
        "either library's nn and judge a learner's code as they judge ours.",
        ("testing/strategies.py", "import torch.nn"),
        module_level_only=True,
    ),
    Rule(
        "the shared helpers know no part",
        (part("_checks"), part("_folders")),
        others(),
        "every part may use the shared checks and folder helper, so they may use none.",
        ("_folders.py", "from .data import ArrayLoader"),
    ),
    Rule(
        "no torch.nn or torch.optim inside nn and optim",
        (part("nn"), part("optim")),
        TORCH_REFERENCE,
        "torch.nn and torch.optim are the reference the tests compare against; building on "
        "them would make the comparison circular.",
        ("nn/functional.py", "import torch.nn.functional as TF"),
        # Interop checks only name torch's classes, to register a torch.nn.Parameter as a
        # parameter and refuse a torch.nn.Module as a child; nothing is computed with them.
        allowed=(
            (part("nn.parameter"), "torch.nn.Parameter"),
            (part("nn.module"), "torch.nn.Module"),
        ),
    ),
]


@dataclass(frozen=True)
class Import:
    name: str
    line: int
    inside_function: bool


class _Imports(ast.NodeVisitor):
    def __init__(self, module):
        self.module, self.found, self.depth = module, [], 0

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _add(self, name, node):
        self.found.append(Import(name, node.lineno, self.depth > 0))

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            package = self.module.split(".")
            base = package[: len(package) - node.level]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module
        self._add(module, node)
        for alias in node.names:
            self._add(f"{module}.{alias.name}", node)

    def visit_Attribute(self, node):
        dotted = ast.unparse(node)
        if any(covers(name, dotted) for name in TORCH_REFERENCE):
            self._add(dotted, node)  # the whole chain once, not each of its prefixes
            return
        self.generic_visit(node)


def module_name(path, package_dir):
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        # A package's __init__ resolves relative imports from the package itself.
        return ".".join(parts), True
    return ".".join(parts), False


def imports_of(path, package_dir):
    name, is_package = module_name(path, package_dir)
    visitor = _Imports(name + ".__init__" if is_package else name)
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return name, visitor.found


def covers(prefix, name):
    return name == prefix or name.startswith(prefix + ".")


def violations(package_dir):
    """Every (file, import, rule) that breaks a rule, as readable sentences."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        module, imports = imports_of(path, package_dir)
        for rule in RULES:
            if not any(covers(prefix, module) for prefix in rule.governs):
                continue
            if any(covers(prefix, module) for prefix in rule.exempt):
                continue
            for item in imports:
                if rule.module_level_only and item.inside_function:
                    continue
                if covers(module, item.name):
                    continue  # a module importing its own parts
                if (module, item.name) in rule.allowed:
                    continue
                if any(covers(prefix, item.name) for prefix in rule.forbidden):
                    where = "inside a function" if item.inside_function else "at module level"
                    relative = path.relative_to(package_dir.parent)
                    found.append(
                        f"{relative}:{item.line} imports {item.name} ({where}), against the "
                        f"rule '{rule.name}': {rule.reason}"
                    )
    return found


def package_copy(tmp_path):
    """A copy of the package to break on purpose."""
    copy = tmp_path / ROOT
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_package_keeps_every_dependency_rule():
    assert violations(PACKAGE) == []


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_each_rule_catches_a_violating_import(rule, tmp_path):
    copy = package_copy(tmp_path)
    file, line = rule.example
    target = copy / file
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    found = violations(copy)
    assert any(f"rule '{rule.name}'" in message and file in message for message in found), found


def test_a_lazy_import_counts_unless_the_rule_is_about_loading_time(tmp_path):
    copy = package_copy(tmp_path)
    sgd = copy / "optim" / "sgd.py"
    sgd.write_text(
        sgd.read_text(encoding="utf-8") + "\n\ndef _later():\n    from ..nn import Linear\n"
    )
    assert any("inside a function" in message for message in violations(copy))


def test_an_allowed_interop_name_lets_only_itself_through(tmp_path):
    copy = package_copy(tmp_path)
    parameter = copy / "nn" / "parameter.py"
    parameter.write_text(
        parameter.read_text(encoding="utf-8") + "\n\ndef _f(x):\n    return torch.nn.Linear\n"
    )
    found = violations(copy)
    assert len(found) == 1 and "torch.nn.Linear" in found[0], found


def test_every_part_of_the_package_is_governed_by_a_rule():
    governed = {prefix for rule in RULES for prefix in rule.governs if prefix != ROOT}
    for name in PARTS:
        if name in ("cli", "cli_programs"):
            continue  # the command line and its subcommands may import every part: the top
        assert part(name) in governed, name


def run_python(code):
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_minitorch_lr_gives_every_part_without_matplotlib_or_graph_code():
    out = run_python(
        "import sys\n"
        "import minitorch_lr as mt\n"
        "parts = [mt.nn.Linear, mt.optim.SGD, mt.data.ArrayLoader, mt.train.train,\n"
        "         mt.plot.Animator, mt.scratch.softmax, mt.chapter.fit_linreg]\n"
        "print('matplotlib' in sys.modules, 'minitorch_lr.train.graph' in sys.modules,\n"
        "      'minitorch_lr.tools' in sys.modules)\n"
    )
    assert out.split() == ["False", "False", "False"]


def test_import_minitorch_lr_alone_loads_no_part():
    out = run_python(
        "import sys\nimport minitorch_lr\n"
        "print(sorted(m for m in sys.modules if m.startswith('minitorch_lr.')))\n"
    )
    assert out.strip() == "[]"


def test_an_unknown_attribute_of_the_package_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="'optimm'"):
        minitorch_lr.optimm  # noqa: B018


def test_every_module_of_the_package_has_a_test_file_of_its_name():
    """tests/ mirrors the package file for file: minitorch_lr/nn/linear.py is checked by
    tests/nn/test_linear.py, minitorch_lr/_checks.py by tests/test_checks.py."""
    tests = Path(__file__).resolve().parent
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        relative = path.relative_to(PACKAGE)
        expected = tests / relative.parent / f"test_{relative.name.lstrip('_')}"
        if not expected.is_file():
            missing.append(f"{relative} has no {expected.relative_to(tests.parent)}")
    assert missing == []
