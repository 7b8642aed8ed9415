r"""The Kolmogorov-Smirnov test: could these numbers have been drawn from this distribution?

Given :math:`n` draws and a continuous distribution with CDF :math:`F`, the statistic is
the largest gap between the draws' empirical CDF :math:`F_n` and :math:`F`:

.. math:: D_n = \sup_x \lvert F_n(x) - F(x) \rvert
          = \max_i \max\Big(\frac{i}{n} - F(x_{(i)}),\; F(x_{(i)}) - \frac{i - 1}{n}\Big),

where :math:`x_{(1)} \le \dots \le x_{(n)}` are the sorted draws (the supremum sits just
at or just before a draw, where :math:`F_n` jumps). If the draws do come from :math:`F`,
:math:`\sqrt{n} D_n` follows, for large :math:`n`, the Kolmogorov distribution:

.. math:: P(\sqrt{n} D_n > \lambda) \to Q(\lambda)
          = 2 \sum_{k \ge 1} (-1)^{k - 1} e^{-2 k^2 \lambda^2}
          = 1 - \frac{\sqrt{2 \pi}}{\lambda} \sum_{k \ge 1} e^{-(2k - 1)^2 \pi^2 / (8 \lambda^2)}.

The two series are the same function; the first converges in a few terms for large
:math:`\lambda`, the second for small :math:`\lambda`, so each is used where it is fast.
Stephens' correction, :math:`\lambda = (\sqrt{n} + 0.12 + 0.11 / \sqrt{n}) D_n`, makes the
p-value :math:`Q(\lambda)` accurate to about two digits from :math:`n \approx 5`; the
checks here draw thousands of numbers.

A small p-value says that numbers this far from :math:`F` would rarely come from it. With
100,000 draws the test sees a uniform bound that is off by 1%: that is what it is for
(a wrong initialisation bound), and why a fixed tiny significance is enough.

Mirrors the one-sample test of ``scipy.stats.kstest``, written with torch and ``math`` so
that the package needs no scipy. Left out: exact small-sample p-values, two-sample tests.
"""

import math
from dataclasses import dataclass

import torch

__all__ = ["KSResult", "kolmogorov_smirnov", "kolmogorov_survival", "uniform_cdf"]

# Below this lambda the second series converges faster, above it the first.
_SERIES_SWITCH = 1.18
_TERMS = 100


@dataclass(frozen=True)
class KSResult:
    """The outcome of :func:`kolmogorov_smirnov`: the statistic :math:`D_n`, its p-value,
    and the number of draws."""

    statistic: float
    p_value: float
    count: int


def uniform_cdf(low, high):
    """The CDF of U(low, high), as a function of a tensor."""
    width = high - low
    return lambda x: ((x - low) / width).clamp(0.0, 1.0)


def kolmogorov_survival(lam):
    r""":math:`Q(\lambda) = P(K > \lambda)` for the Kolmogorov distribution :math:`K`."""
    if lam <= 0:
        return 1.0
    if lam < _SERIES_SWITCH:
        factor = -(math.pi**2) / (8 * lam**2)
        total = sum(math.exp((2 * k - 1) ** 2 * factor) for k in range(1, _TERMS))
        return min(1.0, max(0.0, 1.0 - math.sqrt(2 * math.pi) / lam * total))
    total = sum((-1) ** (k - 1) * math.exp(-2 * k**2 * lam**2) for k in range(1, _TERMS))
    return min(1.0, max(0.0, 2 * total))


def kolmogorov_smirnov(samples, cdf):
    """One-sample Kolmogorov-Smirnov test of ``samples`` against the distribution ``cdf``.

    Args:
        samples: a tensor of draws, any shape (flattened); at least one.
        cdf: the continuous CDF to test against, a function of a tensor (e.g.
            :func:`uniform_cdf`).

    Returns:
        a :class:`KSResult`. Under the null hypothesis the p-value is (close to) uniform on
        [0, 1]: below a significance level ``alpha`` by chance with probability ``alpha``.

    Raises:
        ValueError: ``samples`` is empty or holds NaN (which has no place in any CDF).
    """
    draws = samples.detach().flatten().to(device="cpu", dtype=torch.float64).sort().values
    count = draws.numel()
    if count == 0:
        raise ValueError("the Kolmogorov-Smirnov test needs at least one draw, got none")
    if draws.isnan().any():
        raise ValueError("the Kolmogorov-Smirnov test got NaN among the draws")
    expected = cdf(draws)
    ranks = torch.arange(1, count + 1, dtype=torch.float64)
    above = (ranks / count - expected).max()
    below = (expected - (ranks - 1) / count).max()
    statistic = max(above.item(), below.item())
    root = math.sqrt(count)
    p_value = kolmogorov_survival((root + 0.12 + 0.11 / root) * statistic)
    return KSResult(statistic, p_value, count)
