"""GRPO's step against numpy: advantages (eq. 3), the clipped surrogate
(eq. 1) and the KL estimator (eq. 2) of arXiv 2501.12948."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course import grpo

RNG_SEEDS = range(20)


def random_group(seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    g = int(rng.integers(2, 17))
    # Half the groups are R1-style rule rewards (accuracy + format, 0..2), half continuous.
    if seed % 2:
        return [float(x) for x in rng.integers(0, 2, g) + rng.integers(0, 2, g)]
    return [float(x) for x in rng.normal(0.5, 2.0, g)]


def np_advantages(rewards, normalisation):
    r = np.asarray(rewards, dtype=np.float64)
    centred = r - r.mean()
    if normalisation == grpo.NONE:
        return centred
    s = r.std(ddof=0 if normalisation == grpo.POPULATION else 1)
    return np.zeros_like(r) if s == 0 else centred / s


def np_surrogate(rho, adv, eps):
    rho, adv = np.asarray(rho), np.asarray(adv)
    return np.minimum(rho * adv, np.clip(rho, 1 - eps, 1 + eps) * adv)


# ------------------------------------------------------------------ advantages


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("normalisation", grpo.NORMALISATIONS)
def test_advantages_match_numpy(seed, normalisation):
    rewards = random_group(seed)
    ours = np.array(grpo.advantages(rewards, normalisation))
    np.testing.assert_allclose(ours, np_advantages(rewards, normalisation), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_std_matches_numpy_population_and_sample(seed):
    rewards = random_group(seed)
    assert math.isclose(grpo.std(rewards), float(np.std(rewards)), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(grpo.std(rewards, grpo.SAMPLE), float(np.std(rewards, ddof=1)), rel_tol=1e-12, abs_tol=1e-15)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_normalised_advantages_have_zero_mean_and_unit_spread(seed):
    rewards = random_group(seed)
    if grpo.all_equal(rewards):
        pytest.skip("an all-equal group has no spread")
    a = np.array(grpo.advantages(rewards))
    assert abs(a.mean()) < 1e-12 and math.isclose(float(a.std()), 1.0, rel_tol=1e-12)


@pytest.mark.parametrize("rewards", [[1.0, 1.0], [0.0] * 8, [2.0, 2.0, 2.0, 2.0], [0.3] * 5])
@pytest.mark.parametrize("normalisation", grpo.NORMALISATIONS)
def test_all_equal_rewards_give_zero_advantages(rewards, normalisation):
    assert grpo.std(rewards, normalisation) == (1.0 if normalisation == grpo.NONE else 0.0)
    assert grpo.advantages(rewards, normalisation) == [0.0] * len(rewards)


def test_advantages_are_shift_and_scale_invariant():
    rewards = [2.0, 1.0, 0.0, 2.0, 1.0, 0.0]
    shifted = [3 * r + 5 for r in rewards]
    np.testing.assert_allclose(grpo.advantages(shifted), grpo.advantages(rewards), rtol=1e-12)


def test_a_bad_group_is_rejected_with_a_message():
    with pytest.raises(ValueError, match="at least one"):
        grpo.advantages([])
    with pytest.raises(ValueError, match="at least two"):
        grpo.std([1.0], grpo.SAMPLE)
    with pytest.raises(ValueError, match="not a finite number"):
        grpo.advantages([1.0, math.nan])
    with pytest.raises(ValueError, match="normalisation must be one of"):
        grpo.advantages([1.0, 0.0], "median")


# ------------------------------------------------------------------ clipped surrogate


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_clipped_objective_matches_numpy(seed):
    rng = np.random.default_rng(1000 + seed)
    rho = rng.uniform(0.2, 2.0, 50)
    adv = rng.normal(0.0, 1.5, 50)
    eps = float(rng.uniform(0.0, 0.5))
    ours = np.array([grpo.clipped_objective(float(p), float(a), eps) for p, a in zip(rho, adv)])
    np.testing.assert_allclose(ours, np_surrogate(rho, adv, eps), rtol=1e-15, atol=0)


@pytest.mark.parametrize("eps", [0.1, 0.2, 0.3])
def test_clipping_edges(eps):
    hi, lo = 1 + eps, 1 - eps
    # A good answer: rises with ρ, flat from 1 + ε on; the edge itself is not clipped.
    assert grpo.clipped_objective(hi, 1.0, eps) == hi and not grpo.is_clipped(hi, 1.0, eps)
    assert grpo.clipped_objective(hi + 0.01, 1.0, eps) == hi and grpo.is_clipped(hi + 0.01, 1.0, eps)
    assert grpo.clipped_objective(lo - 0.1, 1.0, eps) == lo - 0.1  # below 1 − ε: unclipped (pessimistic)
    # A bad answer: flat below 1 − ε, unclipped above 1 + ε.
    assert grpo.clipped_objective(lo, -1.0, eps) == -lo and not grpo.is_clipped(lo, -1.0, eps)
    assert grpo.clipped_objective(lo - 0.01, -1.0, eps) == -lo and grpo.is_clipped(lo - 0.01, -1.0, eps)
    assert grpo.clipped_objective(hi + 0.1, -1.0, eps) == -(hi + 0.1)
    # A zero advantage is never clipped and contributes 0.
    assert grpo.clipped_objective(1.4, 0.0, eps) == 0.0 and not grpo.is_clipped(1.4, 0.0, eps)


def test_epsilon_zero_pins_the_ratio_at_one_on_the_gaining_side():
    assert grpo.clipped_objective(1.3, 2.0, 0.0) == 2.0
    assert grpo.clipped_objective(0.7, -2.0, 0.0) == -2.0


def test_bad_ratio_and_epsilon_are_rejected():
    with pytest.raises(ValueError, match="ρ must be > 0"):
        grpo.clipped_objective(0.0, 1.0, 0.2)
    with pytest.raises(ValueError, match="ε must be ≥ 0"):
        grpo.clip(1.0, -0.1)


# ------------------------------------------------------------------ KL estimator


def test_kl_estimator_is_never_negative_and_zero_only_at_one():
    xs = np.concatenate([np.geomspace(1e-6, 1e6, 2001), 1 + np.linspace(-1e-6, 1e-6, 201)])
    values = np.array([grpo.kl_estimate(float(x)) for x in xs])
    assert (values >= 0).all()
    np.testing.assert_allclose(values, np.maximum(0.0, xs - np.log(xs) - 1), rtol=1e-12, atol=1e-15)
    assert grpo.kl_estimate(1.0) == 0.0
    assert all(v > 0 for x, v in zip(xs, values) if abs(x - 1) > 1e-4)


def test_kl_estimator_is_unbiased_for_the_kl_divergence():
    """E_{o ~ π_θ}[π_ref/π_θ − log(π_ref/π_θ) − 1] = KL(π_θ ‖ π_ref) (Schulman 2020's k3),
    checked exactly on two categorical distributions."""
    rng = np.random.default_rng(7)
    p_theta, p_ref = rng.dirichlet(np.ones(10)), rng.dirichlet(np.ones(10))
    expected = sum(p * grpo.kl_estimate(float(q / p)) for p, q in zip(p_theta, p_ref))
    assert math.isclose(expected, float(np.sum(p_theta * np.log(p_theta / p_ref))), rel_tol=1e-12)


def test_bad_kl_argument_is_rejected():
    with pytest.raises(ValueError, match="must be > 0"):
        grpo.kl_estimate(0.0)


# ------------------------------------------------------------------ the objective


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_objective_matches_numpy(seed):
    rewards = random_group(seed)
    rng = np.random.default_rng(2000 + seed)
    rho = rng.uniform(0.5, 1.5, len(rewards))
    x = rng.uniform(0.5, 2.0, len(rewards))
    eps, beta = 0.2, 0.04
    for norm in grpo.NORMALISATIONS:
        a = np_advantages(rewards, norm)
        expected = float(np.mean(np_surrogate(rho, a, eps) - beta * (x - np.log(x) - 1)))
        ours = grpo.objective(rewards, [float(v) for v in rho], eps, beta, [float(v) for v in x], norm)
        assert math.isclose(ours, expected, rel_tol=1e-12, abs_tol=1e-15)


def test_objective_at_the_old_policy_is_the_mean_advantage_which_is_zero():
    """ρ = 1 and π_θ = π_ref: no clipping, no KL, and normalised advantages sum to 0."""
    rewards = [2.0, 1.0, 0.0, 2.0, 1.0, 0.0]
    assert abs(grpo.objective(rewards, [1.0] * 6, 0.2, 0.04, [1.0] * 6)) < 1e-15


def test_objective_needs_one_ratio_per_answer():
    with pytest.raises(ValueError, match="one entry per answer"):
        grpo.objective([1.0, 0.0], [1.0], 0.2, 0.04, [1.0, 1.0])


def test_published_hyper_parameters():
    assert grpo.PPO_EPSILON == 0.2  # Schulman et al. 2017, sections 3 and 6.1
    assert grpo.DEEPSEEKMATH_BETA == 0.04  # arXiv 2402.03300, section 4.2
