"""Hypothesis profiles: ``ci`` (the default, bounded) and ``thorough`` for local runs.

Choose one with ``pytest --hypothesis-profile=thorough``.
"""

import torch
from hypothesis import HealthCheck, settings

# The tensors here are tiny: on a small machine, spreading each op over several threads
# costs far more than it saves, and one thread keeps results and run time steady.
torch.set_num_threads(1)

# deadline=None: a first call into torch (lazy init, CUDA context) can take far longer
# than later ones, and timing is not what these tests check.
settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")
