"""Find a learner's piece from ``FILE.py:NAME``, as ``minitorch-lr verify`` is given it.

The file is imported as a module of its own, with its folder first on the import path
so that it can import the files beside it, and the object named is returned: a class
(a layer, a loss, an optimizer) or a function. Importing runs the file's top-level code:
a script that trains, or calls ``sys.exit()``, should keep that under ``if __name__ ==
"__main__":``. Anything that stops this is a
:class:`VerifyUsageError`, which the command reports as a usage error (exit code 2): no
property has run.

Mirrors no torch function. Left out: loading from a notebook (pass the object to
:func:`~minitorch_lr.testing.verify.verify` there).
"""

import importlib.util
import sys
from pathlib import Path

__all__ = ["VerifyUsageError", "load_piece"]


class VerifyUsageError(ValueError):
    """The piece or the target cannot be used: no such file, no such name, a file that
    raises (or exits) when imported, a target verify does not know, a function given for
    a class or the reverse."""


def load_piece(spec):
    """The object ``NAME`` defined in the Python file ``FILE.py``, given ``"FILE.py:NAME"``.

    Raises:
        VerifyUsageError: ``spec`` is not of that form, the file does not exist or
            raises when imported, or it defines no ``NAME`` (the message lists what it
            defines).
    """
    file, colon, name = spec.rpartition(":")
    if not colon or not file or not name.isidentifier():
        raise VerifyUsageError(f"expected FILE.py:NAME (e.g. my_layers.py:Linear), got {spec!r}")
    path = Path(file)
    if not path.is_file():
        raise VerifyUsageError(f"no such file: {file}")
    module = _import_file(path)
    module_name = module.__name__
    if not hasattr(module, name):
        defined = [
            attribute
            for attribute, value in vars(module).items()
            if not attribute.startswith("_") and getattr(value, "__module__", None) == module_name
        ]
        listing = f"; it defines {', '.join(defined)}" if defined else ""
        raise VerifyUsageError(f"{file} defines no {name!r}{listing}")
    return getattr(module, name)


def _import_file(path):
    # A name of its own, so that a learner's linear.py cannot replace a module of that
    # name that is already loaded.
    module_name = f"verified_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    sys.modules[module_name] = module
    # No __pycache__ beside the learner's files: the folder is left as it was.
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    except SystemExit as error:
        # sys.exit() at the top of the file: verify would end here, and say nothing.
        del sys.modules[module_name]
        raise VerifyUsageError(
            f"importing {path} called sys.exit({error.code!r}): verify imports the file, "
            "so the code at its top level runs; put it under `if __name__ == \"__main__\":`"
        ) from error
    except Exception as error:
        del sys.modules[module_name]
        raise VerifyUsageError(
            f"importing {path} raised {type(error).__name__}: {error}"
        ) from error
    finally:
        sys.path.remove(folder)
        sys.dont_write_bytecode = writes_bytecode
    return module
