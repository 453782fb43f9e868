"""The decision matrix: every fact cited, counts against the published sizes,
and the ranking against an independent numpy implementation."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from course import attention, moe
from course import catalog as cat
from course import serving as sv

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "lessons" / "pick-a-model.html").read_text()
DEFAULT = cat.Constraints(8192, True, False, 16e9, 80e9, 8, 3.35e12, "bf16")
WEIGHTS = {"quality": 5, "cost": 3, "memory": 3, "context": 2, "licence": 3, "latency": 2}


def test_the_four_families_are_there_with_several_sizes():
    families = [e.family for e in cat.ENTRIES.values()]
    for family in cat.FAMILIES:
        assert families.count(family) >= 2, family
    assert any(e.is_moe for e in cat.ENTRIES.values()) and any(not e.is_moe for e in cat.ENTRIES.values())


def test_every_fact_has_a_source_and_unknowns_stay_unknown():
    for e in cat.ENTRIES.values():
        for fact in (e.published_total, e.published_active, e.context, e.languages, e.modalities, e.mmlu):
            assert fact.source.strip(), e.key
        assert e.licence in cat.LICENCES
        assert e.card_url.startswith("https://huggingface.co/") and e.config_url.endswith("config.json")
    unknown = sorted(k for k, e in cat.ENTRIES.items() if not e.mmlu.known)
    assert unknown == ["llama-4-scout", "mistral-large-2", "qwen3-235b-a22b", "qwen3-30b-a3b", "qwen3-8b"]


def test_every_model_card_and_licence_is_linked_on_the_page():
    links = set(re.findall(r'href="(https://[^"]+)"', PAGE))
    for e in cat.ENTRIES.values():
        assert e.card_url in links, e.card_url
    for lic in cat.LICENCES.values():
        assert lic.url in links, lic.url


@pytest.mark.parametrize("key", list(cat.ENTRIES))
def test_counted_parameters_match_the_published_totals_within_5_percent(key):
    assert abs(cat.relative_count_error(key)) < 0.05


def test_presets_of_the_moe_lab_are_reused_not_copied():
    assert cat.entry("mixtral-8x7b").arch is moe.PRESETS["mixtral-8x7b"].arch
    assert cat.entry("qwen3-235b-a22b").arch is moe.PRESETS["qwen3-235b-a22b"].arch


def test_dense_counts_by_hand():
    # Llama 3.1 8B: 32 × (attention 2·4096² + 2·4096·1024 + SwiGLU 3·4096·14336 + 2 norms) + norm + 2 × 128256·4096.
    per_layer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096
    assert cat.count("llama-3.1-8b").total == 32 * per_layer + 4096 + 2 * 128256 * 4096
    # Phi-4-mini ties its embedding and head: one 200064 × 3072 matrix.
    assert cat.count("phi-4-mini").total_by["output head"] == 0


def test_llama_3_3_70b_needs_141_gb_in_16_bit_as_the_prose_says():
    assert round(sv.weight_bytes(cat.count("llama-3.3-70b").total_by, "bf16") / 1e9) == 141
    assert "141 GB" in PAGE


def test_kv_shape_matches_the_attention_presets():
    ours = cat.kv_shape("llama-3.3-70b")
    theirs = attention.PRESETS["llama-3-70b"]
    assert attention.kv_bytes_per_token(ours, 2) == attention.kv_bytes_per_token(theirs, 2)


# ------------------------------------------------------------------ ranking


def np_rank(weights: dict, c: cat.Constraints) -> list[tuple[str, float]]:
    """The ranking, written differently: arrays per criterion, masks for the
    constraints, min-max on (log) values, a matrix product for the score."""
    keys = list(cat.ENTRIES)
    serves = [cat.serve(k, c.scheme, c.context_tokens, c.device_memory_bytes if c.on_device else c.gpu_memory_bytes,
                        c.bandwidth_bytes_per_s) for k in keys]
    context = np.array([cat.entry(k).context.value for k in keys], dtype=float)
    commercial = np.array([cat.LICENCES[cat.entry(k).licence].commercial for k in keys])
    memory = np.array([s.memory_bytes for s in serves])
    gpus = np.array([s.gpus for s in serves])
    ok = context >= c.context_tokens
    if c.commercial:
        ok &= commercial
    ok &= (memory <= c.device_memory_bytes) if c.on_device else (gpus <= c.max_gpus)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return []

    def minmax(x, higher):
        lo, hi = x.min(), x.max()
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            return np.ones_like(x)
        return (x - lo) / (hi - lo) if higher else (hi - x) / (hi - lo)

    mmlu = np.array([np.nan if cat.entry(keys[i]).mmlu.value is None else cat.entry(keys[i]).mmlu.value for i in idx])
    quality = np.zeros(idx.size)
    known = ~np.isnan(mmlu)
    if known.any():
        quality[known] = minmax(mmlu[known], True)
    columns = np.column_stack([
        quality,
        minmax(np.log([serves[i].flops_per_token for i in idx]), False),
        minmax(np.log(memory[idx]), False),
        minmax(np.log(context[idx]), True),
        np.array([cat.LICENCES[cat.entry(keys[i]).licence].freedom for i in idx]),
        minmax(np.log([serves[i].seconds_per_token for i in idx]), False),
    ])
    w = np.array([weights[n] for n in cat.CRITERIA], dtype=float)
    scores = columns @ w / w.sum() if w.sum() > 0 else np.zeros(idx.size)
    order = sorted(range(idx.size), key=lambda j: (-scores[j], cat.entry(keys[idx[j]]).label))
    return [(keys[idx[j]], float(scores[j])) for j in order]


CASES = [
    (WEIGHTS, DEFAULT),
    ({"quality": 10, "cost": 0, "memory": 0, "context": 0, "licence": 0, "latency": 0}, DEFAULT),
    ({"quality": 1, "cost": 7, "memory": 2, "context": 9, "licence": 0, "latency": 4},
     cat.Constraints(131072, False, False, 16e9, 24e9, 4, 1.0e12, "q4_k")),
    ({"quality": 3, "cost": 3, "memory": 8, "context": 1, "licence": 5, "latency": 6},
     cat.Constraints(4096, True, True, 16e9, 80e9, 8, 0.1e12, "int4")),
    ({"quality": 2, "cost": 2, "memory": 2, "context": 2, "licence": 2, "latency": 2},
     cat.Constraints(32768, False, False, 16e9, 80e9, 64, 3.35e12, "mixed")),
]


@pytest.mark.parametrize("weights, constraints", CASES)
def test_ranking_matches_an_independent_numpy_ranking(weights, constraints):
    ours = cat.rank(weights, constraints)
    theirs = np_rank(weights, constraints)
    assert [r.key for r in ours.ranked] == [k for k, _ in theirs]
    for r, (_, score) in zip(ours.ranked, theirs):
        assert math.isclose(r.score, score, rel_tol=1e-12, abs_tol=1e-15)
    assert len(ours.ranked) + len(ours.excluded) == len(cat.ENTRIES)


def test_random_weights_agree_with_numpy_too():
    rng = np.random.default_rng(7)
    schemes = list(sv.SCHEMES)
    for _ in range(40):
        weights = dict(zip(cat.CRITERIA, rng.integers(0, 11, 6).tolist()))
        c = cat.Constraints(int(rng.choice([4096, 8192, 32768, 131072])), bool(rng.integers(2)), bool(rng.integers(2)),
                            float(rng.uniform(4, 64)) * 1e9, float(rng.choice([24, 48, 80])) * 1e9, int(rng.integers(1, 9)),
                            float(rng.uniform(0.1, 5)) * 1e12, schemes[int(rng.integers(len(schemes)))])
        assert [r.key for r in cat.rank(weights, c).ranked] == [k for k, _ in np_rank(weights, c)]


def test_constraints_exclude_for_the_stated_reasons():
    ranking = cat.rank(WEIGHTS, DEFAULT)
    assert dict(ranking.excluded).keys() == {"mistral-large-2"}
    assert "non-commercial" in dict(ranking.excluded)["mistral-large-2"]
    assert "mistral-large-2" in [r.key for r in cat.rank(WEIGHTS, cat.Constraints(8192, False, False, 16e9, 80e9, 8, 3.35e12, "bf16")).ranked]
    million = cat.rank(WEIGHTS, cat.Constraints(1048576, True, False, 16e9, 80e9, 8, 3.35e12, "q4_k"))
    assert [r.key for r in million.ranked] == ["llama-4-scout"]
    device = cat.rank(WEIGHTS, cat.Constraints(8192, True, True, 16e9, 80e9, 8, 3.35e12, "q4_k"))
    for r in device.ranked:
        assert r.serving.memory_bytes <= 16e9
    assert "more than the device" in dict(device.excluded)["llama-3.3-70b"]


def test_an_unknown_mmlu_scores_zero_and_all_zero_weights_score_zero():
    ranking = cat.rank(WEIGHTS, DEFAULT)
    for r in ranking.ranked:
        if not cat.entry(r.key).mmlu.known:
            assert r.scores["quality"] == 0.0 and r.raw["quality"] is None
    zero = cat.rank(dict.fromkeys(cat.CRITERIA, 0), DEFAULT)
    assert all(r.score == 0.0 for r in zero.ranked)
    with pytest.raises(ValueError):
        cat.rank({**WEIGHTS, "cost": -1}, DEFAULT)


def test_weight_on_one_criterion_ranks_by_it_alone():
    only_memory = dict.fromkeys(cat.CRITERIA, 0) | {"memory": 1}
    ranked = cat.rank(only_memory, DEFAULT).ranked
    memories = [r.serving.memory_bytes for r in ranked]
    assert memories == sorted(memories)


def test_normalise_ties_and_logs():
    assert cat.normalise([5.0, 5.0], True) == [1.0, 1.0]
    assert cat.normalise([], True) == []
    np.testing.assert_allclose(cat.normalise([1e9, 1e10, 1e11], False, log=True), [1.0, 0.5, 0.0])
