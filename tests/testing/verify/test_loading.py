"""Loading FILE.py:NAME: the object comes back, its file may import its neighbours, and
every way it can fail is a VerifyUsageError that says why."""

import json
import sys

import pytest

from minitorch_lr.testing.verify.loading import VerifyUsageError, load_piece


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_named_object_is_returned_and_may_import_its_neighbours(tmp_path):
    write(tmp_path, "helpers_of_mine.py", "SCALE = 3\n")
    path = write(
        tmp_path,
        "pieces.py",
        "from helpers_of_mine import SCALE\n\ndef triple(x):\n    return SCALE * x\n",
    )
    path_before = list(sys.path)
    triple = load_piece(f"{path}:triple")
    assert triple(2) == 6
    assert sys.path == path_before


def test_a_file_named_like_a_loaded_module_does_not_replace_it(tmp_path):
    path = write(tmp_path, "json.py", "def dumps(value):\n    return 'mine'\n")
    assert load_piece(f"{path}:dumps")(1) == "mine"
    assert sys.modules["json"] is json and json.dumps(1) == "1"


@pytest.mark.parametrize("spec", ["pieces.py", ":Linear", "pieces.py:", "pieces.py:1st"])
def test_a_spec_not_of_the_form_file_colon_name_is_refused(spec):
    with pytest.raises(VerifyUsageError, match="expected FILE.py:NAME"):
        load_piece(spec)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(VerifyUsageError, match="^no such file: .*absent.py$"):
        load_piece(f"{tmp_path / 'absent.py'}:Linear")


def test_a_missing_name_lists_what_the_file_defines(tmp_path):
    path = write(
        tmp_path,
        "pieces.py",
        "import math\n\nclass Linear:\n    pass\n\ndef softmax(x):\n    pass\n",
    )
    # math is imported, not defined here, so it is not listed.
    with pytest.raises(VerifyUsageError, match="defines no 'Flatten'; it defines Linear, softmax$"):
        load_piece(f"{path}:Flatten")


def test_a_file_that_raises_on_import_is_a_usage_error_naming_the_error(tmp_path):
    path = write(tmp_path, "broken.py", "import torch\nscale = 1 / 0\n")
    with pytest.raises(VerifyUsageError, match="raised ZeroDivisionError: division by zero"):
        load_piece(f"{path}:scale")
    assert "verified_broken" not in sys.modules
    with pytest.raises(VerifyUsageError, match="raised SyntaxError"):
        typo = write(tmp_path, "typo.py", "def f(:\n")
        load_piece(f"{typo}:f")


@pytest.mark.parametrize("call", ["sys.exit()", "sys.exit('trained')", "raise SystemExit(3)"])
def test_a_file_that_exits_on_import_is_a_usage_error_not_an_exit(tmp_path, call):
    path = write(tmp_path, "script.py", f"import sys\n\ndef ce(x, y):\n    pass\n\n{call}\n")
    with pytest.raises(VerifyUsageError, match=r'called sys\.exit\(.*if __name__ == "__main__"'):
        load_piece(f"{path}:ce")
    assert "verified_script" not in sys.modules
