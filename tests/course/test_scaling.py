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


# ---------------------------------------------------------------- frontier loss and its inverse


def _iso_flop_brute_force(fit, flops):
    """Loss along the iso-FLOP line on a dense log grid of N (numpy)."""
    f = scaling.FITS[fit]
    n = np.logspace(4, 17, 600_001)
    d = flops / (6.0 * n)
    return n, f.E + f.A * n ** -f.alpha + f.B * d ** -f.beta


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
@pytest.mark.parametrize("flops", [1e18, 1e21, 5.88e23, 1e25, 6e28])
def test_optimal_loss_is_the_minimum_along_the_iso_flop_line(fit, flops):
    _, losses = _iso_flop_brute_force(fit, flops)
    assert scaling.optimal_loss(flops, fit) == pytest.approx(losses.min(), rel=1e-9)
    n_opt, d_opt = scaling.compute_optimal(flops, fit)
    assert scaling.optimal_loss(flops, fit) == pytest.approx(scaling.loss(n_opt, d_opt, fit), rel=1e-13)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
@pytest.mark.parametrize("target", [1.85, 1.95, 2.2, 3.0, 4.0])
def test_flops_for_loss_is_the_cheapest_point_of_the_iso_loss_contour(fit, target):
    """Brute force: for each N on a grid, the D that reaches the target
    (solved from eq. 2 with numpy), then the least 6 N D."""
    f = scaling.FITS[fit]
    n = np.logspace(3, 18, 600_001)
    data_term = target - f.E - f.A / n**f.alpha
    ok = data_term > 0
    d = (f.B / data_term[ok]) ** (1.0 / f.beta)
    cheapest = (6.0 * n[ok] * d).min()
    assert scaling.flops_for_loss(target, fit) == pytest.approx(cheapest, rel=1e-3)
    assert scaling.optimal_loss(scaling.flops_for_loss(target, fit), fit) == pytest.approx(target, rel=1e-12)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_a_loss_at_or_below_e_is_unreachable(fit):
    e = scaling.FITS[fit].E
    with pytest.raises(ValueError, match="irreducible E"):
        scaling.flops_for_loss(e, fit)
    with pytest.raises(ValueError, match="irreducible E"):
        scaling.iso_loss_point(e - 0.1, 0.5, fit)


def test_frontier_constants_by_hand():
    f = scaling.FITS["hoffmann"]
    assert f.gamma == pytest.approx(0.34 * 0.28 / 0.62)
    assert f.gamma == pytest.approx(f.a * f.alpha) and f.gamma == pytest.approx(f.b * f.beta)
    g = (0.34 * 406.4 / (0.28 * 410.7)) ** (1 / 0.62)
    assert f.K == pytest.approx(406.4 / g**0.34 + 410.7 * g**0.28, rel=1e-13)


# ---------------------------------------------------------------- iso-loss contour


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
@pytest.mark.parametrize("target", [1.9, 2.5, 4.0])
def test_iso_loss_points_lie_on_the_contour(fit, target):
    f = scaling.FITS[fit]
    shares = np.linspace(0.001, 0.999, 301)
    points = np.array([scaling.iso_loss_point(target, float(s), fit) for s in shares])
    n, d = points[:, 0], points[:, 1]
    np.testing.assert_allclose(f.E + f.A / n**f.alpha + f.B / d**f.beta, target, rtol=1e-12)
    # Along the contour, more parameters need fewer tokens.
    assert np.all(np.diff(n) < 0) and np.all(np.diff(d) > 0)


@pytest.mark.parametrize("share", [0, 1, -0.5, 1.5])
def test_iso_loss_share_must_be_strictly_inside_zero_one(share):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        scaling.iso_loss_point(2.0, share)


# ---------------------------------------------------------------- landscape grid


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_loss_grid_matches_numpy_meshgrid(fit):
    f = scaling.FITS[fit]
    cells = 37
    grid = np.array(scaling.loss_grid(fit, (7.0, 13.0), (9.0, 15.0), cells))
    centres_n = 7.0 + (np.arange(cells) + 0.5) * 6.0 / cells
    centres_d = 9.0 + (np.arange(cells) + 0.5) * 6.0 / cells
    log_n, log_d = np.meshgrid(centres_n, centres_d)  # rows follow D, columns N
    expected = f.E + f.A * 10.0 ** (-f.alpha * log_n) + f.B * 10.0 ** (-f.beta * log_d)
    assert grid.shape == (cells, cells)
    np.testing.assert_allclose(grid, expected, rtol=1e-13)


def test_loss_grid_is_memoised():
    args = ("epoch", (7.0, 13.0), (9.0, 15.0), 11)
    first = scaling.loss_grid(*args)
    before = scaling.loss_grid.cache_info()
    assert scaling.loss_grid(*args) is first
    after = scaling.loss_grid.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses


def test_loss_grid_refuses_an_empty_grid():
    with pytest.raises(ValueError, match="at least 1"):
        scaling.loss_grid("hoffmann", (7.0, 13.0), (9.0, 15.0), 0)


# ---------------------------------------------------------------- published models and projections


def test_real_models_are_the_published_sizes():
    published = {
        "GPT-3 175B": (175e9, 300e9),  # Brown et al. 2020, Table D.1
        "Gopher 280B": (280e9, 300e9),  # Hoffmann et al. Table 1
        "Chinchilla 70B": (70e9, 1.4e12),  # Hoffmann et al. Table 1
        "Llama 2 70B": (70e9, 2.0e12),  # Touvron et al. 2023, Table 1
        "Llama 3 8B": (8e9, 15e12),  # arXiv 2407.21783
        "Llama 3 405B": (405e9, 15.6e12),  # arXiv 2407.21783
    }
    assert {m.name: (m.n_params, m.n_tokens) for m in scaling.REAL_MODELS} == published
    assert all("arXiv" in m.source for m in scaling.REAL_MODELS)


def test_table3_is_self_consistent_with_six_n_d():
    """The printed FLOPs agree with 6 N D of the printed sizes (the 67 B row's
    1.5 T is rounded from about 1.43 T, hence the 5% tolerance)."""
    for n, flops, d in scaling.APPROACH1_TABLE3:
        assert 6 * n * d == pytest.approx(flops, rel=0.05)


def test_approach1_projections_are_about_twenty_tokens_per_parameter():
    ratios = [d / n for n, _, d in scaling.APPROACH1_TABLE3]
    assert min(ratios) == pytest.approx(20.0) and max(ratios) < 22.5


def test_published_approach3_implies_about_93_tokens_per_parameter_at_chinchilla_budget():
    ratio = scaling.optimal_tokens_per_param(scaling.training_flops(70e9, 1.4e12), "hoffmann")
    assert ratio == pytest.approx(92.8, abs=0.1)
