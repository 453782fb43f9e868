"""Chinchilla maths against hand computation, published figures and numpy."""

import math

import numpy as np
import pytest

from course import scaling


def test_loss_of_chinchilla_by_hand():
    # 1.69 + 406.4 / 70e9**0.34 + 410.7 / 1.4e12**0.28, computed term by term.
    expected = 1.69 + 406.4 * math.exp(-0.34 * math.log(70e9)) + 410.7 * math.exp(-0.28 * math.log(1.4e12))
    assert scaling.loss(70e9, 1.4e12) == pytest.approx(expected, rel=1e-14)
    assert scaling.loss(70e9, 1.4e12) == pytest.approx(1.9366, abs=1e-4)


def test_training_flops_is_six_n_d():
    assert scaling.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=1e-12)


def test_fit_constants_are_the_published_ones():
    h, e = scaling.FITS["hoffmann"], scaling.FITS["epoch"]
    assert (h.E, h.A, h.B, h.alpha, h.beta) == (1.69, 406.4, 410.7, 0.34, 0.28)
    assert (e.E, e.A, e.B, e.alpha, e.beta) == (1.8172, 482.01, 2085.43, 0.3478, 0.3658)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
@pytest.mark.parametrize("flops", [1e19, 1e21, 5.88e23, 1e25, 3e26])
def test_closed_form_optimum_matches_numpy_brute_force(fit, flops):
    """Minimise L(N, C/(6N)) on a dense log grid along the iso-FLOP line."""
    f = scaling.FITS[fit]
    log_n = np.linspace(5, 16, 400_001)
    n = 10.0**log_n
    d = flops / (6.0 * n)
    losses = f.E + f.A / n**f.alpha + f.B / d**f.beta
    best = np.argmin(losses)
    n_opt, d_opt = scaling.compute_optimal(flops, fit)
    assert n_opt == pytest.approx(n[best], rel=1e-3)
    assert d_opt == pytest.approx(d[best], rel=1e-3)
    assert scaling.loss(n_opt, d_opt, fit) <= losses[best] + 1e-12


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_optimum_spends_exactly_the_budget(fit):
    n, d = scaling.compute_optimal(1e23, fit)
    assert scaling.training_flops(n, d) == pytest.approx(1e23, rel=1e-12)


def test_exponents_follow_eq_4():
    h = scaling.FITS["hoffmann"]
    assert h.a == pytest.approx(0.28 / 0.62) and h.b == pytest.approx(0.34 / 0.62)
    assert h.a + h.b == pytest.approx(1.0)
    # Published Table 2 exponents of Approach 3 (0.46, 0.54) round from these.
    assert round(h.a, 2) == 0.45 and round(h.b, 2) == 0.55


def test_epoch_fit_gives_about_twenty_tokens_per_parameter_at_chinchilla_scale():
    assert 15 < scaling.optimal_tokens_per_param(5.88e23, "epoch") < 25


def test_hoffmann_approach_3_implies_far_more_than_twenty():
    assert scaling.optimal_tokens_per_param(5.88e23, "hoffmann") > 60


def test_rule_of_thumb_is_twenty_tokens_per_parameter():
    n, d = scaling.rule_of_thumb_allocation(5.88e23)
    assert n == pytest.approx(70e9, rel=1e-12)
    assert d == pytest.approx(1.4e12, rel=1e-12)


def test_cost_by_hand():
    # 1e24 FLOP / (989.4e12 FLOP/s × 0.4) / 3600 s/h = 701,905 GPU-hours.
    hours = scaling.gpu_hours(1e24, 989.4e12, 0.4)
    assert hours == pytest.approx(1e24 / (989.4e12 * 0.4) / 3600)
    assert scaling.training_cost_usd(1e24, 989.4e12, 0.4, 2.0) == pytest.approx(2 * hours)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "10"])
def test_inputs_are_validated(bad):
    with pytest.raises(ValueError, match="positive finite"):
        scaling.loss(bad, 1e12)


def test_mfu_above_one_is_refused():
    with pytest.raises(ValueError, match="cannot exceed 1"):
        scaling.gpu_hours(1e20, 1e15, 1.5)


def test_unknown_fit_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown fit 'kaplan'"):
        scaling.loss(1e9, 1e10, "kaplan")
