r"""Checks of a random initialisation: the right distribution, and (for information) the
same bits as torch from the same seed.

Two questions are kept apart on purpose:

- **Is it drawn from the right distribution?** That is what correctness means. A layer
  that draws :math:`U(-b, b)` must stay within the bounds and look uniform between them:
  :func:`assert_uniform_draws` checks both, the second with a Kolmogorov-Smirnov test
  (:mod:`~minitorch_lr.testing.goodness_of_fit`) on a large layer.
- **Does the same seed give torch's bits?** Only if the same numbers are drawn from the
  same generator in the same order (torch's ``Linear`` draws the weight, then the bias).
  A correct layer that draws in another order, or computes its bound with other
  floating-point steps, differs here without being wrong, so
  :func:`same_seed_same_bits` reports rather than asserts.

Both leave the caller's random state as it was: :func:`built_after_seed` seeds torch's
global generator (the one a torch layer draws from) only inside ``torch.random.fork_rng``.

Mirrors no torch function; it checks pieces against ``torch.nn.init``'s distributions.
Left out: normal and other distributions (the chapter's layers draw uniforms).
"""

import torch

from .goodness_of_fit import kolmogorov_smirnov, uniform_cdf

__all__ = ["assert_uniform_draws", "built_after_seed", "same_seed_same_bits"]


def assert_uniform_draws(values, low, high, what="the values", significance=1e-6):
    """``values`` lie in [low, high] and pass a Kolmogorov-Smirnov test against U(low, high).

    Args:
        values: a tensor of draws; thousands of them, for the test to see a small error.
        low, high: the bounds of the uniform distribution they should come from.
        what: how to name ``values`` in the message.
        significance: the p-value below which the draws are judged not uniform on
            [low, high]. A correct initialisation fails with this probability.

    Returns:
        the :class:`~minitorch_lr.testing.goodness_of_fit.KSResult`.

    Raises:
        AssertionError: a value is not finite, lies outside the bounds, or the test
            rejects the distribution; the message gives the range of the values.
    """
    values = values.detach()
    observed = f"{what} range over [{values.min().item():.6g}, {values.max().item():.6g}]"
    if not values.isfinite().all():
        raise AssertionError(f"{what} are not all finite; expected draws from U({low}, {high})")
    if values.min() < low or values.max() > high:
        raise AssertionError(f"{observed}, outside U({low:.6g}, {high:.6g})")
    result = kolmogorov_smirnov(values, uniform_cdf(low, high))
    if result.p_value < significance:
        raise AssertionError(
            f"{observed}, inside U({low:.6g}, {high:.6g}), but are not spread uniformly "
            f"over it: Kolmogorov-Smirnov D = {result.statistic:.4g} over {result.count} "
            f"draws, p = {result.p_value:.3g} < {significance:g}"
        )
    return result


def built_after_seed(make, seed):
    """``make()``, called after ``torch.manual_seed(seed)`` for the CPU, with the caller's
    random state restored afterwards."""
    with torch.random.fork_rng(devices=[]):
        # The CPU generator is the one a layer on the CPU draws from. torch.manual_seed
        # would also queue the seed for every accelerator backend, which costs more than
        # building a small layer.
        torch.default_generator.manual_seed(seed)
        return make()


def same_seed_same_bits(make_ours, make_theirs, names, seed=0):
    """Build both after the same ``torch.manual_seed(seed)`` and compare the named
    tensors bit for bit.

    Args:
        make_ours, make_theirs: callables of no arguments that build the two objects
            (e.g. ``lambda: torch.nn.Linear(3, 2)``).
        names: attribute names of the tensors to compare (e.g. ``("weight", "bias")``);
            an attribute that is ``None`` or missing on both sides counts as equal.
        seed: the seed of torch's global generator before each build.

    Returns:
        a dict from each name to whether the two tensors are identical (same shape, same
        bits).
    """
    ours, theirs = built_after_seed(make_ours, seed), built_after_seed(make_theirs, seed)
    same = {}
    for name in names:
        our_tensor, their_tensor = getattr(ours, name, None), getattr(theirs, name, None)
        if our_tensor is None or their_tensor is None:
            same[name] = our_tensor is None and their_tensor is None
        else:
            same[name] = torch.equal(our_tensor.detach(), their_tensor.detach())
    return same
