"""``python -m minitorch_lr``: the ``minitorch-lr`` command (see :mod:`minitorch_lr.cli`)."""

from .cli import main

raise SystemExit(main())
