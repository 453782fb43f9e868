"""The planner: inference-aware sizing against a numpy grid search over the
iso-loss curve, and the recommendations of named scenarios."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course import attention, moe, scaling, serving
from course import planner as pl

SERVER = 640e9  # one node of eight 80 GB H100s
PHONE = 8e9


def numpy_lifetime_optimum(target_loss: float, served: float, fit: str) -> tuple[float, float, float]:
    """Independent oracle: evaluate T(N) = 6 N D(N) + 2 N D_inf on a dense log
    grid of N along L(N, D) = target (D solved from the fit directly) and take
    the smallest; returns (N, D, T) at the grid's best point."""
    f = scaling.FITS[fit]
    reducible = target_loss - f.E
    n_min = (f.A / reducible) ** (1 / f.alpha)
    n = np.logspace(np.log10(n_min) + 1e-6, np.log10(n_min) + 6, 2_000_001)
    rest = reducible - f.A * n ** -f.alpha
    d = (f.B / rest) ** (1 / f.beta)
    total = 6 * n * d + 2 * n * served
    best = int(np.argmin(total))
    assert 0 < best < len(n) - 1, "the grid must bracket the optimum"
    return float(n[best]), float(d[best]), float(total[best])


def test_budget_converts_dollars_to_flops_like_the_scaling_lab():
    assert pl.budget_flops(1000) == pytest.approx(1000 / 2.0 * 3600 * 989.4e12 * 0.4, rel=1e-12)
    assert pl.flops_usd(pl.budget_flops(123_456.0)) == pytest.approx(123_456.0, rel=1e-12)


@pytest.mark.parametrize("fit", ["epoch", "hoffmann"])
@pytest.mark.parametrize("served", [1e10, 1e12, 1e13, 1e15, 1e17])
def test_inference_optimum_matches_a_numpy_grid_search(fit, served):
    target = scaling.optimal_loss(pl.budget_flops(5e6), fit)
    ours = pl.inference_optimal(target, served, fit)
    n_grid, d_grid, t_grid = numpy_lifetime_optimum(target, served, fit)
    assert ours.n_params == pytest.approx(n_grid, rel=1e-4)
    assert ours.n_tokens == pytest.approx(d_grid, rel=1e-4)
    assert pl.lifetime_flops(ours.n_params, ours.n_tokens, served) <= t_grid * (1 + 1e-12)
    assert scaling.loss(ours.n_params, ours.n_tokens, fit) == pytest.approx(target, rel=1e-12)


@pytest.mark.parametrize("fit", ["epoch", "hoffmann"])
def test_no_serving_gives_the_chinchilla_point(fit):
    flops = 1e23
    n_star, d_star = scaling.compute_optimal(flops, fit)
    a = pl.inference_optimal(scaling.optimal_loss(flops, fit), 0.0, fit)
    assert a.n_params == pytest.approx(n_star, rel=1e-9) and a.n_tokens == pytest.approx(d_star, rel=1e-9)


def test_more_serving_means_a_smaller_model_on_more_tokens():
    target = scaling.optimal_loss(1e24, "epoch")
    allocations = [pl.inference_optimal(target, 10.0**k, "epoch") for k in range(9, 18)]
    sizes = [a.n_params for a in allocations]
    tokens = [a.n_tokens for a in allocations]
    assert sizes == sorted(sizes, reverse=True) and tokens == sorted(tokens)
    assert all(n > pl.smallest_model(target, "epoch") for n in sizes)


def test_the_solver_stops_where_the_lifetime_derivative_vanishes():
    target, served = 2.0, 1e14
    a = pl.inference_optimal(target, served, "epoch")
    step = 1e-5
    n_lo, n_hi = a.n_params * (1 - step), a.n_params * (1 + step)
    t = [pl.lifetime_flops(n, pl.iso_loss_tokens(n, target, "epoch"), served) for n in (n_lo, a.n_params, n_hi)]
    assert t[1] <= t[0] and t[1] <= t[2]


def test_iso_loss_tokens_is_infinite_below_the_smallest_model():
    n_min = pl.smallest_model(2.0, "epoch")
    assert pl.iso_loss_tokens(n_min * 0.999, 2.0, "epoch") == math.inf
    assert math.isfinite(pl.iso_loss_tokens(n_min * 1.001, 2.0, "epoch"))


def test_bad_planner_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="inference tokens"):
        pl.inference_optimal(2.0, -1.0)
    with pytest.raises(ValueError, match="unknown use case 'poetry'"):
        pl.plan(pl.Inputs(1e6, 1e12, SERVER, "interactive", "poetry"))
    with pytest.raises(ValueError, match="usd must be a positive"):
        pl.budget_flops(0)


# ------------------------------------------------------------------ named scenarios


def test_tiny_budget_of_a_thousand_dollars():
    p = pl.plan(pl.Inputs(1_000, 1e9, SERVER, "interactive", "chat"))
    assert 1e9 < p.n_active < 4e9  # a couple of billion parameters
    assert 15 < p.n_tokens / p.n_active < 25  # about Chinchilla's 20
    assert not p.capped and p.reachable and p.moe is None
    assert pl.flops_usd(p.training_flops) == pytest.approx(1_000, rel=0.02)  # serving barely matters
    assert p.scheme == "fp8" and p.fits_memory


def test_huge_inference_volume_over_trains_a_smaller_model():
    served = 1e16
    p = pl.plan(pl.Inputs(5e6, served, SERVER, "interactive", "chat"))
    chin = p.chinchilla
    assert p.n_tokens / p.n_active > 1000  # far beyond 20 tokens per parameter
    assert p.n_active < chin.n_params / 3
    assert p.lifetime_flops < p.chinchilla_lifetime_flops / 3
    assert p.training_flops > p.budget_flops  # training costs more, the life much less
    # numpy's grid search over the iso-loss curve finds the same model and no cheaper one.
    n_grid, _, t_grid = numpy_lifetime_optimum(p.target_loss, served, "epoch")
    assert p.n_active == pytest.approx(n_grid, rel=1e-4)
    assert p.lifetime_flops <= t_grid * (1 + 1e-12)
    # So many tokens per parameter feed even a sparse MoE: the total fits the node.
    assert p.moe is not None and p.n_total == pytest.approx(p.n_active * p.moe.ratio)
    assert p.n_tokens / p.n_total >= pl.MOE_MIN_TOKENS_PER_TOTAL_PARAM
    assert p.memory_bytes <= SERVER


def test_on_device_fits_a_phone_dense_and_four_bit():
    p = pl.plan(pl.Inputs(1e6, 1e12, PHONE, "interactive", "on-device"))
    assert p.memory_bytes <= PHONE and p.fits_memory
    assert p.moe is None and p.n_total == p.n_active
    assert p.scheme == "int4" and serving.bits_per_weight(p.scheme) == pytest.approx(4 + 20 / 128)
    assert p.capped and p.n_active < p.inference_aware.n_params
    assert p.tokens_per_s >= pl.LATENCY_NEEDS["interactive"] * (1 - 1e-9)
    assert p.attention == "hybrid" and p.kv_bytes < p.kv_bytes_gqa
    assert not p.reasoning


def test_on_device_with_a_capped_model_that_cannot_reach_the_target_spends_the_budget():
    p = pl.plan(pl.Inputs(1e6, 1e12, PHONE, "interactive", "on-device"))
    assert not p.reachable and p.loss > p.target_loss
    assert p.training_flops == pytest.approx(p.budget_flops, rel=1e-12)


def test_a_small_cap_above_the_smallest_model_reaches_the_target_on_the_curve():
    p = pl.plan(pl.Inputs(1_000, 1e8, 1e9, "interactive", "on-device"))
    assert p.capped and p.reachable
    assert scaling.loss(p.n_active, p.n_tokens, "epoch") == pytest.approx(p.target_loss, rel=1e-12)
    assert p.memory_bytes <= 1e9


def test_maths_turns_reasoning_on_and_chat_leaves_it_off():
    maths = pl.plan(pl.Inputs(5e6, 1e13, SERVER, "interactive", "maths"))
    chat = pl.plan(pl.Inputs(5e6, 1e13, SERVER, "interactive", "chat"))
    assert maths.reasoning and not chat.reasoning
    assert maths.thinking_s == pytest.approx(pl.THINKING_TOKENS / maths.tokens_per_s)
    assert maths.n_active == chat.n_active  # reasoning is post-training: the size is the same


def test_long_documents_use_latent_attention_with_a_smaller_cache():
    p = pl.plan(pl.Inputs(5e6, 1e13, SERVER, "interactive", "long-documents"))
    assert p.attention == "mla" and p.context_tokens == 262_144
    s = pl.shape(p.n_active)
    assert p.kv_bytes == pytest.approx(s.layers * (512 + 64) * 2 * 262_144)
    assert p.kv_bytes < p.kv_bytes_gqa / 3


def test_every_plan_respects_the_replica_when_it_can():
    for use_case in pl.USE_CASES:
        for memory in (1e9, 8e9, 80e9, 640e9):
            for latency in pl.LATENCY_NEEDS:
                p = pl.plan(pl.Inputs(1e7, 1e14, memory, latency, use_case))
                assert p.fits_memory
                assert p.tokens_per_s >= pl.LATENCY_NEEDS[latency] * (1 - 1e-9)


# ------------------------------------------------------------------ shape and cache


@pytest.mark.parametrize("n", [1e8, 3e9, 8e9, 7e10, 4e11, 2e12])
def test_shape_holds_about_n_parameters_in_whole_groups(n):
    s = pl.shape(n)
    assert 12 * s.layers * s.d_model**2 == pytest.approx(n, rel=0.35)
    assert s.heads % s.kv_heads == 0 and s.d_model == s.heads * s.head_dim


def test_hybrid_cache_matches_the_attention_module_layer_by_layer():
    n, context = 3e9, 131_072
    s = pl.shape(n)
    per_layer = 2 * s.kv_heads * s.head_dim * 2  # keys and values, 16-bit
    global_layers = round(s.layers / 6)
    expected = per_layer * (global_layers * context + (s.layers - global_layers) * 1024)
    assert pl.kv_cache_bytes(n, "hybrid", context) == pytest.approx(expected)
    # A context inside the window: the hybrid keeps every token, like GQA.
    assert pl.kv_cache_bytes(n, "hybrid", 1000) == pytest.approx(pl.kv_cache_bytes(n, "gqa", 1000))
    assert pl.kv_cache_bytes(n, "gqa", context) == attention.kv_bytes_per_token(pl.kv_model(s, "gqa"), 2) * context


def test_moe_designs_borrow_the_counted_ratios_of_the_presets():
    for key in pl.MOE_DESIGNS:
        c = moe.count_parameters(moe.PRESETS[key].arch)
        assert pl.moe_design(key).ratio == pytest.approx(c.total / c.active)
    ratios = [pl.moe_design(k).ratio for k in pl.MOE_DESIGNS]
    assert ratios == sorted(ratios, reverse=True)  # sparsest first


def test_iso_loss_curve_points_lie_on_the_curve():
    rows = pl.iso_loss_curve(2.0, 1e13, "epoch", pl.smallest_model(2.0, "epoch") * 1.1, 1e13, 50)
    assert len(rows) == 50
    for n, train, infer, total in rows:
        d = train / (6 * n)
        assert scaling.loss(n, d, "epoch") == pytest.approx(2.0, rel=1e-12)
        assert infer == pytest.approx(2 * n * 1e13) and total == pytest.approx(train + infer)


def test_data_needs_are_measured_against_the_stock_of_public_text():
    small = pl.plan(pl.Inputs(1_000, 1e9, SERVER, "interactive", "chat"))
    assert small.public_text_epochs == pytest.approx(small.n_tokens / 300e12) and small.public_text_epochs < 1
    huge = pl.plan(pl.Inputs(5e6, 1e17, SERVER, "interactive", "chat"))
    assert huge.public_text_epochs > pl.USEFUL_EPOCHS
