"""Hypothesis profiles: ``ci`` (the default, bounded) and ``thorough`` for local runs.

Choose one with ``pytest --hypothesis-profile=thorough``.
"""

from hypothesis import HealthCheck, settings

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
