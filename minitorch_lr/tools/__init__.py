"""Tooling beside the chapter, off the learner's path: the benchmark report.

Imported only by the ``minitorch-lr bench-report`` command; nothing of the chapter's
parts imports it, and it imports none of them.
"""

__all__ = []
