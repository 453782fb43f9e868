"""One step of GRPO (Group Relative Policy Optimization), the reinforcement
learning algorithm that trained DeepSeek-R1-Zero and DeepSeek-R1.

What it models
--------------
GRPO was introduced with DeepSeekMath (Shao et al. 2024, arXiv 2402.03300,
section 4.1). It drops PPO's learned value model: for each question ``q`` the
old policy samples a *group* of ``G`` answers ``o_1 .. o_G``, a rule scores
each (the reward ``r_i``), and each answer's *advantage* is its reward
measured against the group's own mean and spread. DeepSeek-R1 (Guo et al.
2025, arXiv 2501.12948, section 2.2.1) writes it per whole answer:

* eq. 1, the objective (maximised), averaged over the group::

      J = 1/G Σ_i [ min(ρ_i A_i, clip(ρ_i, 1 − ε, 1 + ε) A_i) − β D_KL(π_θ ‖ π_ref) ]

  with the policy ratio ``ρ_i = π_θ(o_i|q) / π_θold(o_i|q)``;
* eq. 2, the KL penalty, an unbiased estimator that is never negative
  (Schulman 2020, "Approximating KL divergence", cited by DeepSeekMath)::

      D_KL = π_ref(o_i|q) / π_θ(o_i|q) − log(π_ref(o_i|q) / π_θ(o_i|q)) − 1

* eq. 3, the group-normalised advantage::

      A_i = (r_i − mean(r_1 .. r_G)) / std(r_1 .. r_G)

Choices the papers leave open, made explicit here:

* ``std``: eq. 3 does not say whether it is the population (divide by G) or
  the sample (divide by G − 1) standard deviation. :data:`POPULATION` is the
  default; :data:`SAMPLE` is what ``torch.Tensor.std`` (Bessel-corrected)
  gives, as in Hugging Face TRL's ``GRPOTrainer``; :data:`NONE` divides by
  nothing, as Dr. GRPO proposes (Liu et al. 2025, arXiv 2503.20783,
  Figure 1), since dividing by a small std up-weights questions that are too easy
  or too hard.
* All rewards equal: std = 0 and every ``r_i − mean`` is 0, so every
  advantage is **0** (the group teaches nothing). Implementations add a small
  constant to the denominator instead; the result is the same 0.
* ``ε`` and ``β``: hyper-parameters. ε = 0.2 is PPO's published choice
  (Schulman et al. 2017, arXiv 1707.06347: "say, ε = 0.2" in section 3, and the
  best of 0.1, 0.2 and 0.3 in section 6.1, Table 1); β = 0.04 is the KL
  coefficient of DeepSeekMath's RL run (arXiv 2402.03300, section 4.2).

>>> advantages([1.0, 0.0, 1.0, 0.0])
[1.0, -1.0, 1.0, -1.0]
>>> advantages([1.0, 1.0, 1.0])
[0.0, 0.0, 0.0]
>>> clipped_objective(1.5, 1.0, 0.2), clipped_objective(1.5, -1.0, 0.2)
(1.2, -1.5)
>>> kl_estimate(1.0)
0.0
"""

from __future__ import annotations

import math

POPULATION, SAMPLE, NONE = "population", "sample", "none"
NORMALISATIONS = (POPULATION, SAMPLE, NONE)
"""How eq. 3 divides ``r_i − mean``: by the population std, the sample std, or
not at all (Dr. GRPO)."""

PPO_EPSILON = 0.2
"""PPO's clip range (Schulman et al. 2017, arXiv 1707.06347, sections 3 and 6.1)."""

DEEPSEEKMATH_BETA = 0.04
"""The KL coefficient of DeepSeekMath's GRPO run (arXiv 2402.03300, section 4.2)."""


def _check_group(rewards: list[float]) -> None:
    if len(rewards) < 1:
        raise ValueError("a group needs at least one sampled answer")
    for r in rewards:
        if not math.isfinite(r):
            raise ValueError(f"reward {r!r} is not a finite number")


def mean(rewards: list[float]) -> float:
    """The group's mean reward.

    >>> mean([2.0, 1.0, 0.0])
    1.0
    """
    _check_group(rewards)
    return math.fsum(rewards) / len(rewards)


def std(rewards: list[float], normalisation: str = POPULATION) -> float:
    """The standard deviation eq. 3 divides by (1.0 for :data:`NONE`).

    >>> std([2.0, 0.0]), std([2.0, 0.0], SAMPLE), std([2.0, 0.0], NONE)
    (1.0, 1.4142135623730951, 1.0)
    """
    _check_group(rewards)
    if normalisation == NONE:
        return 1.0
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {', '.join(NORMALISATIONS)}, not {normalisation!r}")
    g = len(rewards)
    if normalisation == SAMPLE and g < 2:
        raise ValueError("the sample standard deviation needs at least two answers")
    m = mean(rewards)
    squares = math.fsum((r - m) ** 2 for r in rewards)
    return math.sqrt(squares / (g if normalisation == POPULATION else g - 1))


def all_equal(rewards: list[float]) -> bool:
    """Whether every reward is the same (then every advantage is 0)."""
    return all(r == rewards[0] for r in rewards)


def advantages(rewards: list[float], normalisation: str = POPULATION) -> list[float]:
    """Group-relative advantages, eq. 3 of arXiv 2501.12948.

    All-equal rewards give zero advantages (std = 0: nothing to prefer).

    >>> advantages([2.0, 1.0, 0.0])
    [1.224744871391589, 0.0, -1.224744871391589]
    >>> advantages([2.0, 1.0, 0.0], NONE)
    [1.0, 0.0, -1.0]
    """
    s = std(rewards, normalisation)
    if all_equal(rewards):
        return [0.0] * len(rewards)
    m = mean(rewards)
    return [(r - m) / s for r in rewards]


def clip(ratio: float, epsilon: float) -> float:
    """``ratio`` limited to [1 − ε, 1 + ε].

    >>> clip(1.5, 0.2), clip(0.5, 0.2), clip(1.1, 0.2)
    (1.2, 0.8, 1.1)
    """
    if not epsilon >= 0:
        raise ValueError(f"the clip range ε must be ≥ 0, not {epsilon!r}")
    return min(1.0 + epsilon, max(1.0 - epsilon, ratio))


def clipped_objective(ratio: float, advantage: float, epsilon: float) -> float:
    """One answer's clipped surrogate, min(ρA, clip(ρ, 1 − ε, 1 + ε)A) (eq. 1).

    The min takes the pessimistic side: a good answer (A > 0) gains nothing
    once ρ > 1 + ε, a bad one (A < 0) nothing once ρ < 1 − ε.

    >>> clipped_objective(0.5, -1.0, 0.2), clipped_objective(0.5, 1.0, 0.2)
    (-0.8, 0.5)
    """
    if not ratio > 0:
        raise ValueError(f"the policy ratio ρ must be > 0, not {ratio!r}")
    return min(ratio * advantage, clip(ratio, epsilon) * advantage)


def is_clipped(ratio: float, advantage: float, epsilon: float) -> bool:
    """Whether the clip decides the min (the gradient through ρ is then 0).

    >>> is_clipped(1.5, 1.0, 0.2), is_clipped(1.5, -1.0, 0.2), is_clipped(1.0, 1.0, 0.2)
    (True, False, False)
    """
    return advantage != 0 and clip(ratio, epsilon) * advantage < ratio * advantage


def kl_estimate(ref_over_policy: float) -> float:
    """Eq. 2's per-answer KL estimate, x − log x − 1 with x = π_ref / π_θ.

    Never negative (log x ≤ x − 1), zero exactly when x = 1.

    >>> round(kl_estimate(2.0), 6), round(kl_estimate(0.5), 6)
    (0.306853, 0.193147)
    """
    if not ref_over_policy > 0:
        raise ValueError(f"π_ref / π_θ must be > 0, not {ref_over_policy!r}")
    # max(): x − 1 − log x can round to −1e-17 for x near 1; the estimate is ≥ 0.
    return max(0.0, ref_over_policy - math.log(ref_over_policy) - 1.0)


def objective(
    rewards: list[float],
    ratios: list[float],
    epsilon: float,
    beta: float,
    ref_over_policy: list[float],
    normalisation: str = POPULATION,
) -> float:
    """Eq. 1 for one group: the mean over answers of clipped surrogate − β·KL.

    >>> objective([1.0, 0.0], [1.0, 1.0], 0.2, 0.04, [1.0, 1.0])
    0.0
    """
    if not (len(rewards) == len(ratios) == len(ref_over_policy)):
        raise ValueError("rewards, ratios and reference ratios must have one entry per answer")
    a = advantages(rewards, normalisation)
    terms = [
        clipped_objective(rho, adv, epsilon) - beta * kl_estimate(x)
        for rho, adv, x in zip(ratios, a, ref_over_policy)
    ]
    return math.fsum(terms) / len(terms)


SELF_CHECKS = {
    "advantages": lambda: [
        advantages([2.0, 1.0, 1.0, 0.0, 2.0, 1.0], n) for n in NORMALISATIONS
    ],
    "clipped_objective": lambda: [
        clipped_objective(rho / 10, a, 0.2) for rho in range(5, 16) for a in (-1.3, 0.0, 0.7)
    ],
    "kl": lambda: [kl_estimate(x / 10) for x in range(1, 31)],
}
