"""Serving maths against numpy: block layouts, byte counts, a simulation of
speculative acceptance and of expert routing, brute-force break-even."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course import attention, catalog, moe, scaling
from course import serving as sv

RNG = np.random.default_rng(20231130)


# ------------------------------------------------------------------ quantisation


def test_block_bits_come_from_the_ggml_block_layouts():
    q8_0 = np.dtype([("d", "<f2"), ("qs", "i1", 32)])
    q4_k = np.dtype([("d", "<f2"), ("dmin", "<f2"), ("scales", "u1", 12), ("qs", "u1", 128)])
    assert sv.bits_per_weight("int8") == q8_0.itemsize * 8 / 32 == 8.5
    assert sv.bits_per_weight("q4_k") == q4_k.itemsize * 8 / 256 == 4.5
    assert sv.bits_per_weight("int4") == (128 * 4 + 16 + 4) / 128
    assert sv.SCHEMES["mixed"].embedding_bits == 16 and sv.SCHEMES["bf16"].body_bits == 16


@pytest.mark.parametrize("scheme", list(sv.SCHEMES))
@pytest.mark.parametrize("key", ["llama-3.1-8b", "qwen3-30b-a3b", "phi-4-mini"])
def test_weight_bytes_match_a_vectorised_sum(scheme, key):
    by = catalog.count(key).total_by
    names = list(by)
    counts = np.array([by[n] for n in names], dtype=np.float64)
    s = sv.SCHEMES[scheme]
    bits = np.where(np.isin(names, ["input embedding", "output head"]), s.embedding_bits, s.body_bits)
    assert math.isclose(sv.weight_bytes(by, scheme), float(counts @ bits) / 8, rel_tol=1e-12)


def test_llama_3_1_8b_weights_in_16_and_4_bits_as_the_prose_says():
    by = catalog.count("llama-3.1-8b").total_by
    assert f"{sv.weight_bytes(by, 'bf16') / 1e9:.1f}" == "16.1"
    assert f"{sv.weight_bytes(by, 'q4_k') / 1e9:.2f}" == "4.52"


def test_unknown_scheme_is_refused_with_the_options():
    with pytest.raises(ValueError, match="bf16"):
        sv.weight_bytes({"attention": 1}, "int3")


# ------------------------------------------------------------------ memory and bandwidth


@pytest.mark.parametrize("experts, k, batch", [(8, 2, 1), (8, 2, 4), (128, 8, 16), (16, 1, 64)])
def test_experts_touched_matches_a_routing_simulation(experts, k, batch):
    trials = 4000
    # Each token picks k distinct experts uniformly: argsort of random keys.
    picks = np.argsort(RNG.random((trials, batch, experts)), axis=2)[:, :, :k]
    hit = np.zeros((trials, experts), dtype=bool)
    for t in range(batch):
        np.put_along_axis(hit, picks[:, t, :], True, axis=1)
    simulated = hit.sum(axis=1)
    expected = sv.expected_experts_touched(experts, k, batch)
    assert abs(simulated.mean() - expected) < 4 * simulated.std() / math.sqrt(trials) + 1e-9


def test_one_token_reads_its_active_weights_and_a_big_batch_nearly_all_experts():
    arch = moe.PRESETS["mixtral-8x7b"].arch
    count = moe.count_parameters(arch)
    one = sv.weights_read_per_step(arch, count, "bf16", 1)
    assert math.isclose(one, sv.weight_bytes(count.active_by, "bf16"), rel_tol=1e-12)
    many = sv.weights_read_per_step(arch, count, "bf16", 256)
    everything = sv.weight_bytes({**count.total_by, "input embedding": 0, "output head": count.total_by["input embedding"]}, "bf16")
    assert one < many <= everything * (1 + 1e-12) and many > 0.999 * everything


def test_kv_bytes_reuse_the_attention_module():
    shape = catalog.kv_shape("llama-3.1-8b")
    assert sv.kv_cache_bytes(shape, 8192, 16) == 8192 * 2 * 32 * 8 * 128 * 2
    assert sv.kv_cache_bytes(shape, 8192, 8) == 8192 * 2 * 32 * 8 * 128
    deepseek = sv.kv_model("DeepSeek-V3", moe.PRESETS["deepseek-v3"].arch, 163840, "config")
    assert attention.kv_bytes_per_token(deepseek, 2) == attention.kv_bytes_per_token(attention.PRESETS["deepseek-v3"], 2)


def test_decode_and_prefill_time_by_hand():
    assert sv.decode_step_seconds(3.35e12, 3.35e12) == 1.0
    assert sv.decode_step_seconds(6.7e12, 3.35e12, gpus=2) == 1.0
    assert math.isclose(sv.prefill_seconds(1e6, 5e9, 1e15, 0.5, 2), 2 * 5e9 * 1e6 / (1e15 * 0.5 * 2))
    assert sv.gpus_needed(80e9, 80e9) == 1 and sv.gpus_needed(80.1e9, 80e9) == 2
    with pytest.raises(ValueError):
        sv.gpus_needed(1.0, 0.0)


# ------------------------------------------------------------------ prompt caching


@pytest.mark.parametrize("price_in, write, read", [(3.0, 3.75, 0.3), (1.0, 2.0, 0.1), (0.8, 1.0, 0.08), (3.0, 6.0, 0.3), (1.0, 0.9, 0.1)])
def test_break_even_is_the_first_reuse_where_caching_costs_no_more(price_in, write, read):
    reuses = np.arange(0, 1000)
    cached = write + reuses * read
    uncached = (1 + reuses) * price_in
    first = int(reuses[np.argmax(cached <= uncached + 1e-12)])
    assert sv.break_even_reuses(price_in, write, read) == first
    prices = sv.CachePrices(price_in, write, read)
    assert sv.prefix_cost_cached(1e6, first + 1, prices) <= sv.prefix_cost_uncached(1e6, first + 1, prices) + 1e-9


def test_a_read_as_dear_as_an_input_never_pays():
    assert sv.break_even_reuses(1.0, 1.25, 1.0) is None


def test_default_prices_are_the_published_ratios_and_pay_from_the_first_reuse():
    p = sv.ANTHROPIC_SONNET
    assert p.input == 3.0 and p.write == 1.25 * p.input and math.isclose(p.read, 0.1 * p.input)
    assert sv.break_even_reuses(p.input, p.write, p.read) == 1
    # The prose: the saving on the prefix tends to 1 - read / input = 90%.
    saving = 1 - sv.prefix_cost_cached(1000, 10**6, p) / sv.prefix_cost_uncached(1000, 10**6, p)
    assert round(saving, 3) == 0.9


# ------------------------------------------------------------------ speculative decoding


def simulate_tokens_per_step(alpha: float, gamma: int, steps: int) -> np.ndarray:
    """numpy: each of the gamma drafts accepted with probability alpha until the
    first rejection; the target then adds one token (the correction, or a bonus
    token after gamma acceptances)."""
    accepted = RNG.random((steps, gamma)) < alpha
    run = np.where(accepted.all(axis=1), gamma, np.argmin(accepted, axis=1))
    return run + 1


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.6, 0.8, 0.95])
@pytest.mark.parametrize("gamma", [1, 2, 4, 8])
def test_expected_tokens_per_step_matches_a_simulation_of_acceptance(alpha, gamma):
    draws = simulate_tokens_per_step(alpha, gamma, 200_000)
    expected = sv.expected_tokens_per_step(alpha, gamma)
    assert abs(draws.mean() - expected) <= 4 * draws.std() / math.sqrt(draws.size) + 1e-12
    assert math.isclose(expected, float(np.sum(alpha ** np.arange(gamma + 1))), rel_tol=1e-12)


def test_speedup_is_theorem_3_8_and_the_best_gamma_is_the_argmax():
    gammas = np.arange(1, 17)
    for alpha in (0.5, 0.7, 0.8, 0.9):
        for c in (0.0, 0.05, 0.2, 0.5):
            ups = (1 - alpha ** (gammas + 1)) / ((1 - alpha) * (gammas * c + 1))
            ours = [sv.speedup(alpha, int(g), c) for g in gammas]
            np.testing.assert_allclose(ours, ups, rtol=1e-12)
            assert sv.best_gamma(alpha, c, 16) == int(gammas[np.argmax(ups)])
    assert sv.expected_tokens_per_step(1.0, 4) == 5.0


def test_bad_speculation_arguments_are_refused():
    with pytest.raises(ValueError):
        sv.expected_tokens_per_step(1.2, 3)
    with pytest.raises(ValueError):
        sv.speedup(0.5, 3, -0.1)


# ------------------------------------------------------------------ the combined workload


def test_serve_workload_against_an_independent_computation():
    key = "llama-3.1-8b"
    count = catalog.count(key)
    d = sv.Deployment(catalog.entry(key).arch, count, catalog.kv_shape(key), 16, 80e9, 3.35e12,
                      scaling.H100_BF16_DENSE_PEAK_FLOPS, 0.4, 2.0, 8)
    w = sv.Workload(100_000, 6000, 400, 4000, 10)
    kv_per_token = 2 * 32 * 8 * 128 * 2
    for quant in (False, True):
        for cache in (False, True):
            for spec in (False, True):
                lv = sv.Levers("q4_k", quant, cache, spec, 0.8, 4, 0.05)
                s = sv.serve_workload(d, w, lv, sv.ANTHROPIC_SONNET, 15.0)
                bits = 4.5 if quant else 16.0
                weights = count.total * bits / 8
                read = (count.active - count.active_by["output head"] + count.total_by["output head"]) * bits / 8
                step = (read + 8 * (6000 + 200) * kv_per_token) / 3.35e12
                gain = (1 - 0.8**5) / (0.2 * 1.2) if spec else 1.0
                prefill_tokens = 6000 - (4000 * 0.9 if cache else 0)
                median_tokens = 2000 if cache else 6000
                flops = 2 * count.active
                ttft = median_tokens * flops / (scaling.H100_BF16_DENSE_PEAK_FLOPS * 0.4)
                gpu_s = prefill_tokens * flops / (scaling.H100_BF16_DENSE_PEAK_FLOPS * 0.4) + 400 * step / (8 * gain)
                assert math.isclose(s.weights_bytes, weights, rel_tol=1e-12)
                assert s.gpus == 1
                assert math.isclose(s.latency_p50_s, ttft + 400 * step / gain, rel_tol=1e-9)
                assert math.isclose(s.monthly_usd, 100_000 * 30 * gpu_s / 3600 * 2.0, rel_tol=1e-9)
                prefix = (3.75 + 9 * 0.3) / 10 if cache else 3.0
                api = 100_000 * 30 * (4000 * prefix + 2000 * 3.0 + 400 * 15.0) / 1e6
                assert math.isclose(s.api_monthly_usd, api, rel_tol=1e-9)


def test_every_lever_helps_the_default_workload():
    key = "llama-3.1-8b"
    d = sv.Deployment(catalog.entry(key).arch, catalog.count(key), catalog.kv_shape(key), 16, 80e9, 3.35e12,
                      scaling.H100_BF16_DENSE_PEAK_FLOPS, 0.4, 2.0, 8)
    w = sv.Workload(100_000, 6000, 400, 4000, 10)
    none = sv.serve_workload(d, w, sv.Levers("q4_k", False, False, False, 0.8, 4, 0.05), sv.ANTHROPIC_SONNET, 15.0)
    for flags in ((True, False, False), (False, True, False), (False, False, True)):
        s = sv.serve_workload(d, w, sv.Levers("q4_k", *flags, 0.8, 4, 0.05), sv.ANTHROPIC_SONNET, 15.0)
        assert s.monthly_usd < none.monthly_usd and s.latency_p50_s < none.latency_p50_s
