"""The MoE maths against numpy, hand computation and the models' published counts."""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import moe

WORDS = [
    "router", "expert", "Mixture", "of", "a", "東京", "naïve", "e\u0301", "é", "🙂", "👩🏽‍🚀",
    "שלום", "مرحبا", "<script>alert(1)</script>", "x" * 500, "\u200b", "Ωmega",
]
SEEDS = [0, 1, 7, 12345, 2**31, moe.SEED_MAX]


# ------------------------------------------------------------------ numpy oracle


def np_embedding(token: str) -> np.ndarray:
    """The embedding, vectorised: digest as big-endian uint16, affine map, L2 normalise."""
    u = np.frombuffer(hashlib.sha256(token.encode("utf-8")).digest(), dtype=">u2").astype(np.float64)
    x = (2.0 * u - 65535.0) / 65535.0
    return x / np.linalg.norm(x)


def np_router(seed: int) -> np.ndarray:
    """numpy's own MT19937, seeded by init_by_array([seed]) as Python's random.seed(int) is."""
    u = np.random.RandomState([seed]).random_sample((moe.EMBED_DIM, moe.N_EXPERTS))
    return math.sqrt(3.0) * (2.0 * u - 1.0)


def np_route(token: str, seed: int, k: int):
    e = np_embedding(token)
    z = e @ np_router(seed)
    p = np.exp(z - z.max())
    p /= p.sum()
    # A stable sort of -p keeps the lower index first among equal probabilities.
    top = np.argsort(-p, kind="stable")[:k]
    return e, z, p, top, p[top] / p[top].sum()


# ------------------------------------------------------------------ router


@pytest.mark.parametrize("token", WORDS)
def test_embedding_matches_numpy(token):
    ours = np.array(moe.embed(token))
    assert np.max(np.abs(ours - np_embedding(token))) <= 1e-12
    assert math.isclose(float(np.linalg.norm(ours)), 1.0, rel_tol=1e-12)


def test_digest_is_plain_sha256_of_utf8():
    # FIPS 180-2 test vector for "abc".
    assert moe.token_digest("abc").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_byte_to_number_mapping_by_hand():
    digest = moe.token_digest("router")
    u0 = digest[0] * 256 + digest[1]
    x = [(2 * (digest[2 * j] * 256 + digest[2 * j + 1]) - 65535) / 65535 for j in range(16)]
    norm = math.sqrt(sum(v * v for v in x))
    assert moe.embed("router")[0] == pytest.approx((2 * u0 - 65535) / 65535 / norm, abs=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_router_matrix_matches_numpys_mersenne_twister(seed):
    ours = np.array(moe.router_matrix(seed))
    assert ours.shape == (16, 8)
    np.testing.assert_array_equal(ours, np_router(seed))


def test_router_weights_have_unit_variance():
    w = np.array([moe.router_matrix(s) for s in range(200)]).ravel()
    assert abs(w.mean()) < 0.03
    assert w.var() == pytest.approx(1.0, abs=0.03)
    assert np.abs(w).max() <= math.sqrt(3)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 2, 5, 8])
def test_route_matches_numpy(seed, k):
    for token in WORDS:
        r = moe.route(token, seed, k)
        e, z, p, top, g = np_route(token, seed, k)
        assert np.max(np.abs(np.array(r.logits) - z)) <= 1e-12
        assert np.max(np.abs(np.array(r.probs) - p)) <= 1e-12
        assert r.experts == top.tolist()
        assert np.max(np.abs(np.array(r.gates) - g)) <= 1e-12
        assert math.isclose(sum(r.gates), 1.0, rel_tol=1e-12)


def test_logits_are_correctly_rounded_so_every_python_version_agrees():
    """sum() of floats changed in CPython 3.12 (compensated); the page runs 3.14, the tests 3.11.
    Rounded products summed exactly, then rounded once (math.fsum), are the same bits on both."""
    from fractions import Fraction

    w = moe.router_matrix(5)
    for token in WORDS:
        e = moe.embed(token)
        exact = [float(sum(Fraction(e[i] * w[i][j]) for i in range(16))) for j in range(8)]
        assert moe.logits(e, 5) == exact


def test_mixtral_style_softmax_of_top_logits_equals_renormalised_gates():
    """Mixtral computes softmax(TopK(z)); this page renormalises softmax(z) over the top-K: the same."""
    r = moe.route("experts", 3, 3)
    direct = moe.softmax([r.logits[i] for i in r.experts])
    assert direct == pytest.approx(r.gates, rel=1e-12)


def test_routing_is_deterministic_within_a_run():
    assert moe.route("déjà vu", 42, 2) == moe.route("déjà vu", 42, 2)


def test_routing_does_not_depend_on_the_process_hash_seed():
    """Python's hash() changes with PYTHONHASHSEED; the router must not."""
    code = "import json; from course import moe; print(json.dumps([moe.route(w, 9, 3).probs for w in ('a', 'naïve', '🙂')]))"
    outputs = set()
    for hash_seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(Path(moe.__file__).parent.parent)}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [moe.route(w, 9, 3).probs for w in ("a", "naïve", "🙂")]


def test_bytes_not_looks_decide_the_route():
    composed, decomposed = "\u00e9", "e\u0301"
    assert moe.embed(composed) != moe.embed(decomposed)


def test_lone_surrogate_is_hashed_not_refused():
    assert len(moe.embed("\ud800")) == 16


def test_softmax_is_stable_for_huge_logits():
    p = moe.softmax([1000.0, 1000.0, 999.0])
    expected = np.exp(np.array([0.0, 0.0, -1.0]))
    assert p == pytest.approx((expected / expected.sum()).tolist(), rel=1e-14)
    assert moe.softmax([-1e6, 0.0]) == [0.0, 1.0]


def test_softmax_of_nothing_is_refused():
    with pytest.raises(ValueError, match="empty"):
        moe.softmax([])


def test_top_k_ties_go_to_the_lower_index():
    assert moe.top_k([0.25, 0.25, 0.25, 0.25], 2) == [0, 1]
    assert moe.top_k([0.1, 0.3, 0.3, 0.3], 2) == [1, 2]


@pytest.mark.parametrize("k", [0, 9, -1, 2.5, True])
def test_top_k_outside_one_to_n_is_rejected(k):
    with pytest.raises(ValueError, match="top-K needs a whole K from 1 to 8"):
        moe.top_k([0.125] * 8, k)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "7", True])
def test_invalid_seed_is_rejected(seed):
    with pytest.raises(ValueError, match="seed must be a whole number from 0 to 4294967295"):
        moe.router_matrix(seed)


def test_tokenize_splits_on_any_whitespace_and_caps_the_count():
    assert moe.tokenize("a\u3000b\nc\t d") == ["a", "b", "c", "d"]
    assert len(moe.tokenize("w " * 400)) == moe.MAX_TOKENS


# ------------------------------------------------------------------ balance and capacity


def test_balance_loss_hand_example():
    # f = (1, 0); P = (0.65, 0.35); loss = 2 × (1 × 0.65 + 0 × 0.35) = 1.3.
    b = moe.load_balance([[0.7, 0.3], [0.6, 0.4]], [[0], [0]], 2)
    assert b.fraction == [1.0, 0.0]
    assert b.mean_prob == pytest.approx([0.65, 0.35], rel=1e-15)
    assert b.loss == pytest.approx(1.3, rel=1e-15)


def test_balance_loss_top_2_hand_example():
    # Four experts, two tokens, K = 2. Assignments: E0, E1, E0, E2 -> f = (2, 1, 1, 0) / 4.
    # P = mean of the rows = (0.45, 0.25, 0.2, 0.1); loss = 4 × (0.5·0.45 + 0.25·0.25 + 0.25·0.2) = 1.35.
    probs = [[0.5, 0.3, 0.1, 0.1], [0.4, 0.2, 0.3, 0.1]]
    b = moe.load_balance(probs, [[0, 1], [0, 2]], 4)
    assert b.loss == pytest.approx(1.35, rel=1e-14)


def test_perfect_balance_scores_one_and_collapse_scores_n():
    uniform = [[1 / 8] * 8 for _ in range(8)]
    assert moe.load_balance(uniform, [[i] for i in range(8)]).loss == pytest.approx(1.0)
    collapsed = [[1.0] + [0.0] * 7 for _ in range(5)]
    assert moe.load_balance(collapsed, [[0]] * 5).loss == pytest.approx(8.0)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_balance_loss_matches_a_vectorised_huggingface_style_loss(k):
    """HF Mixtral's load_balancing_loss_func sums over the K slots: it equals K times ours."""
    words = "the quick brown fox jumps over the lazy dog while seven experts watch".split()
    routes = [moe.route(w, 11, k) for w in words]
    ours = moe.load_balance([r.probs for r in routes], [r.experts for r in routes]).loss
    selected = np.array([r.experts for r in routes])  # [T, K]
    mask = np.eye(8)[selected]  # [T, K, N]
    tokens_per_expert = mask.mean(axis=0)  # [K, N]
    prob_per_expert = np.array([r.probs for r in routes]).mean(axis=0)  # [N]
    hf = 8 * np.sum(tokens_per_expert * prob_per_expert[None, :])
    assert ours == pytest.approx(hf / k, rel=1e-12)


def test_balance_needs_matching_rows():
    with pytest.raises(ValueError, match="one list of chosen experts per token"):
        moe.load_balance([[0.5, 0.5]], [], 2)


@pytest.mark.parametrize(
    "tokens, k, cf, expected",
    [(9, 2, 1.25, 3), (10, 2, 1.25, 4), (8, 2, 1.0, 2), (1, 1, 1.0, 1), (200, 2, 1.25, 63), (3, 1, 0.1, 1), (100, 8, 2.0, 200)],
)
def test_expert_capacity(tokens, k, cf, expected):
    # ceil(cf·T·K/N), at least 1: (9, 2, 1.25) -> ceil(2.8125) = 3; (200, 2, 1.25) -> ceil(62.5) = 63.
    assert moe.expert_capacity(tokens, k, 8, cf) == expected


@pytest.mark.parametrize("cf", [0, -1, math.inf, math.nan])
def test_capacity_factor_must_be_positive(cf):
    with pytest.raises(ValueError, match="capacity factor must be a positive number"):
        moe.expert_capacity(10, 2, 8, cf)


def test_dispatch_serves_first_choices_before_second_choices():
    # Expert 0 has one slot: token 0's SECOND choice and token 1's FIRST choice both want it.
    d = moe.dispatch([[1, 0], [0, 2]], capacity=1, n_experts=3)
    assert d.dropped == [(0, 0)]
    assert d.kept == [1, 1, 1] and d.demand == [2, 1, 1]
    assert d.tokens_fully_dropped == 0


def test_dispatch_counts_tokens_that_lose_every_expert():
    d = moe.dispatch([[0]] * 5, capacity=2, n_experts=2)
    assert d.kept == [2, 0] and len(d.dropped) == 3 and d.tokens_fully_dropped == 3
    assert [t for t, _ in d.dropped] == [2, 3, 4]  # later tokens are dropped first


def test_dispatch_invariants_on_real_routes():
    words = ("lorem ipsum dolor sit amet " * 12).split()
    for k in (1, 2, 3):
        chosen = [moe.route(w, 5, k).experts for w in words]
        cap = moe.expert_capacity(len(words), k, 8, 1.0)
        d = moe.dispatch(chosen, cap)
        assert all(kept <= cap for kept in d.kept)
        assert sum(d.kept) + len(d.dropped) == len(words) * k
        assert d.demand == np.bincount(np.array(chosen).ravel(), minlength=8).tolist()


# ------------------------------------------------------------------ parameter counts


def state_dict(a: moe.Architecture) -> dict[str, tuple[int, ...]]:
    """Every weight tensor's shape, named as in the Hugging Face checkpoints."""
    d, shapes = a.d_model, {}
    mats = ("gate_proj", "up_proj", "down_proj") if a.gated_ffn else ("up_proj", "down_proj")

    def ffn(prefix, width, bias=False):
        for m in mats:
            shapes[f"{prefix}.{m}.weight"] = (d, width) if m != "down_proj" else (width, d)
            if bias:
                shapes[f"{prefix}.{m}.bias"] = (width if m != "down_proj" else d,)

    shapes["model.embed_tokens.weight"] = (a.vocab, d)
    if not a.tied_embeddings:
        shapes["lm_head.weight"] = (a.vocab, d)
    shapes["model.norm.weight"] = (d,)
    for i in range(a.layers):
        p = f"model.layers.{i}"
        shapes[f"{p}.input_layernorm.weight"] = (d,)
        shapes[f"{p}.post_attention_layernorm.weight"] = (d,)
        m = a.latent_attention
        if m:
            shapes[f"{p}.self_attn.q_a_proj.weight"] = (m.q_lora_rank, d)
            shapes[f"{p}.self_attn.q_a_layernorm.weight"] = (m.q_lora_rank,)
            shapes[f"{p}.self_attn.q_b_proj.weight"] = (a.heads * (m.qk_nope_head_dim + m.qk_rope_head_dim), m.q_lora_rank)
            shapes[f"{p}.self_attn.kv_a_proj_with_mqa.weight"] = (m.kv_lora_rank + m.qk_rope_head_dim, d)
            shapes[f"{p}.self_attn.kv_a_layernorm.weight"] = (m.kv_lora_rank,)
            shapes[f"{p}.self_attn.kv_b_proj.weight"] = (a.heads * (m.qk_nope_head_dim + m.v_head_dim), m.kv_lora_rank)
            shapes[f"{p}.self_attn.o_proj.weight"] = (d, a.heads * m.v_head_dim)
        else:
            for name, out in (("q", a.heads), ("k", a.kv_heads), ("v", a.kv_heads)):
                shapes[f"{p}.self_attn.{name}_proj.weight"] = (out * a.head_dim, d)
                if a.attention_bias:
                    shapes[f"{p}.self_attn.{name}_proj.bias"] = (out * a.head_dim,)
            shapes[f"{p}.self_attn.o_proj.weight"] = (d, a.heads * a.head_dim)
            if a.attention_bias:
                shapes[f"{p}.self_attn.o_proj.bias"] = (d,)
            if a.attention_sinks:
                shapes[f"{p}.self_attn.sinks"] = (a.heads,)
            if a.qk_norm:
                shapes[f"{p}.self_attn.q_norm.weight"] = (a.head_dim,)
                shapes[f"{p}.self_attn.k_norm.weight"] = (a.head_dim,)
        if i < a.dense_layers:
            ffn(f"{p}.mlp", a.dense_ffn)
            continue
        shapes[f"{p}.mlp.gate.weight"] = (a.routed_experts, d)
        if a.router_bias:
            shapes[f"{p}.mlp.gate.bias"] = (a.routed_experts,)
        for e in range(a.routed_experts):
            ffn(f"{p}.mlp.experts.{e}", a.expert_ffn, a.expert_bias)
        for s in range(a.shared_experts):
            ffn(f"{p}.mlp.shared_experts.{s}", a.expert_ffn, a.expert_bias)
    return shapes


def active_from_state_dict(a: moe.Architecture, shapes: dict) -> int:
    """Active = everything but the embedding lookup and the experts a token did not pick
    (say it picks experts 0..K-1: every expert has the same size)."""
    total = 0
    for name, shape in shapes.items():
        if name == "model.embed_tokens.weight" and not a.tied_embeddings:
            continue
        if ".mlp.experts." in name and int(name.split(".mlp.experts.")[1].split(".")[0]) >= a.top_k:
            continue
        total += int(np.prod(shape))
    return total


SMALL = moe.Architecture(
    d_model=64, layers=3, heads=4, kv_heads=2, head_dim=16, vocab=100, tied_embeddings=False,
    dense_ffn=96, dense_layers=1, routed_experts=6, shared_experts=2, top_k=2, expert_ffn=32,
)
VARIANTS = {
    "small": SMALL,
    "small tied, GELU": moe.Architecture(**{**SMALL.__dict__, "tied_embeddings": True, "gated_ffn": False}),
    "small with gpt-oss extras": moe.Architecture(
        **{**SMALL.__dict__, "attention_bias": True, "attention_sinks": True, "expert_bias": True, "router_bias": True, "qk_norm": True}
    ),
    "small MLA": moe.Architecture(**{**SMALL.__dict__, "latent_attention": moe.LatentAttention(24, 16, 8, 4, 8)}),
    "mixtral-8x7b": moe.PRESETS["mixtral-8x7b"].arch,
    "gpt-oss-120b": moe.PRESETS["gpt-oss-120b"].arch,
}


@pytest.mark.parametrize("name", VARIANTS)
def test_counts_match_a_state_dict_built_tensor_by_tensor(name):
    a = VARIANTS[name]
    shapes = state_dict(a)
    c = moe.count_parameters(a)
    assert c.total == sum(int(np.prod(s)) for s in shapes.values())
    assert c.active == active_from_state_dict(a, shapes)


@pytest.mark.parametrize("key", moe.PRESETS)
def test_presets_reproduce_the_published_counts_within_two_percent(key):
    p = moe.PRESETS[key]
    c = moe.count_parameters(p.arch)
    assert abs(moe.relative_error(c.total, p.published_total)) < 0.02
    assert abs(moe.relative_error(c.active, p.published_active)) < 0.02


def test_published_figures_are_the_model_cards():
    published = {k: (p.published_total, p.published_active) for k, p in moe.PRESETS.items()}
    assert published == {
        "mixtral-8x7b": (46.7e9, 12.9e9),
        "deepseek-v3": (671e9, 37e9),
        "qwen3-235b-a22b": (235e9, 22e9),
        "gpt-oss-120b": (116.83e9, 5.13e9),
    }


def test_deepseek_v3_matches_its_readme_weights_breakdown():
    """README_WEIGHTS.md: main model 671B, 36.6B activated including 0.9B for the output head."""
    c = moe.count_parameters(moe.PRESETS["deepseek-v3"].arch)
    assert c.total == 671_026_419_200
    assert round(c.active / 1e9, 1) == 36.6
    assert round(c.active_by["output head"] / 1e9, 1) == 0.9


def test_gpt_oss_matches_its_model_card_table():
    """arXiv 2508.10925, Table 1: MLP 114.71B, attention 0.96B, embed + unembed 1.16B,
    active 5.13B, total 116.83B."""
    c = moe.count_parameters(moe.PRESETS["gpt-oss-120b"].arch)
    assert round((c.total_by["routed experts"] + c.total_by["router"]) / 1e9, 2) == 114.71
    assert round(c.total_by["attention"] / 1e9, 2) == 0.96
    assert round((c.total_by["input embedding"] + c.total_by["output head"]) / 1e9, 2) == 1.16
    assert round(c.active / 1e9, 2) == 5.13
    assert round(c.total / 1e9, 2) == 116.83


def test_only_gpt_oss_needs_the_embedding_lookup_left_out():
    """The page says: three presets are within 2% under either convention, gpt-oss only under this one."""
    for key, p in moe.PRESETS.items():
        c = moe.count_parameters(p.arch)
        with_lookup = c.active + c.total_by["input embedding"]
        within = abs(moe.relative_error(with_lookup, p.published_active)) < 0.02
        assert within == (key != "gpt-oss-120b")


def test_tied_embeddings_count_once_and_stay_active():
    tied = moe.Architecture(**{**SMALL.__dict__, "tied_embeddings": True})
    c, u = moe.count_parameters(tied), moe.count_parameters(SMALL)
    assert u.total - c.total == 100 * 64
    assert c.active == u.active


def test_gelu_experts_have_two_matrices():
    assert moe.ffn_parameters(10, 20, gated=False) == 2 * 10 * 20
    assert moe.ffn_parameters(10, 20, gated=True, bias=True) == 3 * 10 * 20 + 2 * 20 + 10


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kv_heads": 8}, "kv_heads \\(8\\) cannot exceed heads \\(4\\)"),
        ({"top_k": 7}, "top_k \\(7\\) cannot exceed routed_experts \\(6\\)"),
        ({"dense_layers": 4}, "dense_layers \\(4\\) cannot exceed layers \\(3\\)"),
        ({"layers": 0}, "layers must be a whole number of at least 1"),
        ({"shared_experts": -1}, "shared_experts must be a whole number of at least 0"),
    ],
)
def test_impossible_architectures_are_refused_with_the_number_named(change, message):
    with pytest.raises(ValueError, match=message):
        moe.count_parameters(moe.Architecture(**{**SMALL.__dict__, **change}))


def test_repair_clamps_and_says_what_it_changed():
    bad = moe.Architecture(**{**SMALL.__dict__, "kv_heads": 9, "top_k": 50, "dense_layers": 10})
    fixed, notes = moe.repair_architecture(bad)
    assert (fixed.kv_heads, fixed.top_k, fixed.dense_layers) == (4, 6, 3)
    assert len(notes) == 3 and "KV heads (9) cannot exceed query heads; using 4." in notes
    moe.count_parameters(fixed)


def test_expert_combinations_by_factorials():
    assert moe.expert_combinations(8, 2) == 28
    assert moe.expert_combinations(256, 8) == math.factorial(256) // (math.factorial(8) * math.factorial(248))


def test_self_checks_are_json_numbers():
    for name, check in moe.SELF_CHECKS.items():
        json.dumps(check(), allow_nan=False)
