"""Attention masks and their cost against masks materialised by numpy,
hand computation from the published configs, and the papers' own figures.

The oracle below builds each mask from its definition with vectorised numpy
(broadcast i - j comparisons; BigBird's random blocks re-derived with a
vectorised SplitMix64), so it shares no code with the module's closed forms.
"""

import math
import time

import numpy as np
import pytest

from course import attention as at

# ---------------------------------------------------------------- the oracle

_U64 = np.uint64


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 on a uint64 array (numpy wraps the products modulo 2^64)."""
    with np.errstate(over="ignore"):
        x = x + _U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _random_block_matrix(blocks: int, window: int, glob: int, r: int, seed: int) -> np.ndarray:
    """R[I, J] = J is one of block row I's random blocks (stratified picks)."""
    chosen = np.zeros((blocks, blocks), dtype=bool)
    rows = np.arange(blocks)
    count = rows - window + 1 - glob  # candidates [glob, I - window]
    if r == 0:
        return chosen
    take_all = (count > 0) & (count <= r)
    cols = np.arange(blocks)[None, :]
    chosen |= take_all[:, None] & (cols >= glob) & (cols <= (rows - window)[:, None])
    sample = count > r
    for k in range(r):
        lo = glob + (k * count) // r
        hi = glob + ((k + 1) * count) // r
        key = (np.uint64(seed) << _U64(40)) + (rows.astype(np.uint64) << _U64(8)) + _U64(k)
        width = np.where(sample, hi - lo, 1).astype(np.uint64)
        pick = lo + (_splitmix64(key) % width).astype(np.int64)
        chosen[rows[sample], pick[sample]] = True
    return chosen


def oracle_mask(pattern: str, n: int, w=1, l=1, g=0, b=1, W=1, G=0, r=0, seed=at.BIGBIRD_SEED) -> np.ndarray:
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    d = i - j
    if pattern == "full":
        return np.ones((n, n), dtype=bool)
    if pattern == "causal":
        return d >= 0
    if pattern == "sliding":
        return (d >= 0) & (d < w)
    if pattern == "strided":
        return (d >= 0) & ((d < l) | (d % l == 0))
    if pattern == "global-local":
        return (d >= 0) & ((d < w) | (j < g))
    if pattern == "bigbird":
        blocks = -(-n // b)
        bi = np.arange(blocks)[:, None]
        bj = np.arange(blocks)[None, :]
        allowed = (bi - bj < W) | (bj < G) | _random_block_matrix(blocks, W, G, r, seed)
        return (d >= 0) & allowed[i // b, j // b]
    raise ValueError(pattern)


def make(pattern: str, w=1, l=1, g=0, b=1, W=1, G=0, r=0) -> at.Mask:
    return {
        "full": lambda: at.full(),
        "causal": lambda: at.causal(),
        "sliding": lambda: at.sliding(w),
        "strided": lambda: at.strided(l),
        "global-local": lambda: at.global_local(w, g),
        "bigbird": lambda: at.bigbird(b, W, G, r),
    }[pattern]()


def _cases():
    """A grid of N and knobs including the edge cases of the issue: w = 1,
    w >= N, l > N, g = 0, g >= N, blocks of 1, b > N, partial last blocks."""
    for n in (1, 2, 3, 5, 8, 16, 17, 31, 64, 100):
        yield "full", n, {}
        yield "causal", n, {}
        for w in sorted({1, 2, 3, 7, max(1, n - 1), n, n + 5}):
            yield "sliding", n, {"w": w}
            for g in sorted({0, 1, 3, n, n + 2}):
                yield "global-local", n, {"w": w, "g": g}
        for l in sorted({1, 2, 3, 5, n, n + 1}):
            yield "strided", n, {"l": l}
        for b in sorted({1, 2, 3, 4, 8, n, n + 3}):
            for W in (1, 2, 3):
                for G in (0, 1, 2):
                    for r in (0, 1, 2, 5):
                        yield "bigbird", n, {"b": b, "W": W, "G": G, "r": r}


CASES = list(_cases())


def _id(case):
    pattern, n, knobs = case
    return f"{pattern}-n{n}-" + "-".join(f"{k}{v}" for k, v in knobs.items())


# ---------------------------------------------------------------- pair counts


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_analytic_pair_count_equals_the_materialised_mask(case):
    pattern, n, knobs = case
    assert at.pair_count(make(pattern, **knobs), n) == int(oracle_mask(pattern, n, **knobs).sum())


@pytest.mark.parametrize("pattern, knobs", [
    ("sliding", {"w": 3}), ("strided", {"l": 4}), ("global-local", {"w": 3, "g": 2}),
    ("bigbird", {"b": 3, "W": 2, "G": 1, "r": 2}), ("bigbird", {"b": 2, "W": 1, "G": 0, "r": 3}),
])
def test_the_predicate_is_the_materialised_mask(pattern, knobs):
    n = 40
    mask = make(pattern, **knobs)
    ours = np.array([[at.allows(mask, i, j) for j in range(n)] for i in range(n)])
    assert (ours == oracle_mask(pattern, n, **knobs)).all()


def test_edge_cases_reduce_to_known_masks():
    n = 50
    causal = at.causal_pairs(n)
    assert at.pair_count(at.sliding(1), n) == n  # the diagonal only
    assert at.pair_count(at.sliding(n), n) == causal == at.pair_count(at.sliding(10 * n), n)
    assert at.pair_count(at.strided(1), n) == causal
    assert at.pair_count(at.strided(n + 1), n) == causal
    assert at.pair_count(at.global_local(7, 0), n) == at.pair_count(at.sliding(7), n)
    assert at.pair_count(at.global_local(7, n), n) == causal
    assert at.pair_count(at.bigbird(n + 3, 1, 0, 0), n) == causal  # one block
    assert at.pair_count(at.bigbird(1, 1, 0, 0), n) == n
    assert at.pair_count(at.full(), n) == n * n


@pytest.mark.parametrize("n", [2**16, 2**20, 1_000_003])
def test_million_token_counts_against_other_closed_forms(n):
    w, l, g = 4096, 1000, 64
    # Sliding: a w(w+1)/2 ramp, then w keys for each of the remaining N - w rows.
    assert at.pair_count(at.sliding(w), n) == w * (w + 1) // 2 + (n - w) * w
    # Strided: the local band plus, for each positive multiple m·l, the N - m·l rows it reaches.
    band = l * (l + 1) // 2 + (n - l) * l
    assert at.pair_count(at.strided(l), n) == band + sum(n - m * l for m in range(1, (n - 1) // l + 1))
    # Global-local: the band plus, for each global key j, the rows i >= j + w that see it only as global.
    assert at.pair_count(at.global_local(w, g), n) == w * (w + 1) // 2 + (n - w) * w + sum(n - j - w for j in range(g))


def test_bigbird_at_a_million_tokens_sums_its_block_rows():
    n, b, W, G, r = 2**20, 1024, 3, 2, 3
    blocks = n // b
    per_row = [min(I, W - 1) + min(G, max(0, I - W + 1)) + min(r, max(0, I - W + 1 - G)) for I in range(blocks)]
    expected = b * b * sum(per_row) + blocks * b * (b + 1) // 2
    assert at.pair_count(at.bigbird(b, W, G, r), n) == expected


def test_density_and_ratio():
    assert at.density(at.full(), 64) == 1.0
    assert at.density(at.causal(), 64) == pytest.approx(65 / 128)
    assert at.causal_ratio(at.causal(), 64) == 1.0
    assert at.causal_ratio(at.sliding(8), 2**20) == pytest.approx((36 + (2**20 - 8) * 8) / (2**20 * (2**20 + 1) / 2))


def test_pair_counts_are_analytic_not_quadratic():
    masks = [at.full(), at.causal(), at.sliding(4096), at.strided(3), at.global_local(512, 64),
             at.bigbird(64, 3, 2, 3)]
    started = time.perf_counter()
    for mask in masks:
        for k in range(4, 21):
            at.pair_count(mask, 2**k)
    assert time.perf_counter() - started < 0.05  # 102 counts; a loop over N would take minutes


# ---------------------------------------------------------------- BigBird's random blocks


@pytest.mark.parametrize("W, G, r", [(1, 0, 1), (3, 2, 3), (2, 5, 8), (4, 0, 2)])
def test_random_blocks_are_distinct_in_their_strata_and_reproducible(W, G, r):
    mask = at.bigbird(64, W, G, r)
    for row in range(200):
        picks = at.bigbird_random_blocks(mask, row)
        count = max(0, row - W + 1 - G)
        assert len(picks) == min(r, count) == len(set(picks))
        assert all(G <= j <= row - W for j in picks)
        if count > r:
            for k, j in enumerate(picks):
                assert G + k * count // r <= j < G + (k + 1) * count // r
        assert picks == at.bigbird_random_blocks(at.bigbird(64, W, G, r), row)


def test_the_seed_changes_the_random_blocks():
    rows = range(50, 90)
    a = [at.bigbird_random_blocks(at.bigbird(64, 3, 2, 3, seed=1), i) for i in rows]
    b = [at.bigbird_random_blocks(at.bigbird(64, 3, 2, 3, seed=2), i) for i in rows]
    assert a != b


def test_splitmix64_reference_outputs():
    # The first outputs of SplitMix64 seeded with 0 (state advanced by the golden gamma each call).
    assert at.splitmix64(0) == 0xE220A8397B1DCDAF
    assert at.splitmix64(0x9E3779B97F4A7C15) == 0x6E789E6AA1B965F4
    assert int(_splitmix64(np.array([12345], dtype=np.uint64))[0]) == at.splitmix64(12345)


# ---------------------------------------------------------------- the picture


def _picture_cases():
    for n, cells in ((8, 8), (16, 4), (32, 8), (64, 16), (64, 64), (128, 16)):
        s = n // cells
        yield "full", n, cells, {}
        yield "causal", n, cells, {}
        for w in (1, 3, s, s + 1, 2 * s + 3, n):
            yield "sliding", n, cells, {"w": w}
            for g in (1, s - 1, s, s + 2, n):
                if g > 0:
                    yield "global-local", n, cells, {"w": w, "g": g}
        for l in (1, 2, 3, s, s + 1, 7, n + 1):
            yield "strided", n, cells, {"l": l}
        for b in (s, 2 * s, 4 * s):
            if b <= n and n % b == 0:
                for W, G, r in ((1, 0, 0), (2, 1, 2), (3, 2, 5)):
                    yield "bigbird", n, cells, {"b": b, "W": W, "G": G, "r": r}


@pytest.mark.parametrize("case", list(_picture_cases()), ids=lambda c: f"{c[0]}-n{c[1]}-c{c[2]}-{c[3]}")
def test_cell_counts_equal_numpy_block_sums(case):
    pattern, n, cells, knobs = case
    s = n // cells
    expected = oracle_mask(pattern, n, **knobs).reshape(cells, s, cells, s).sum(axis=(1, 3))
    ours = np.array(at.cell_counts(make(pattern, **knobs), n, cells))
    assert ours.shape == (cells, cells)
    assert (ours == expected).all()


def test_cell_levels_follow_the_log_scale():
    mask, n, cells = at.global_local(37, 100), 1024, 64
    s = n // cells
    counts = oracle_mask("global-local", n, w=37, g=100).reshape(cells, s, cells, s).sum(axis=(1, 3))
    with np.errstate(divide="ignore"):
        position = np.clip(1 + np.log10(counts / s**2) / at.DECADES, 0, 1)
    expected = np.where(counts > 0, 1 + np.rint(254 * position), 0)
    ours = np.array([list(row) for row in at.cell_levels(mask, n, cells)])
    assert (ours == expected).all()


def test_exact_cells_are_the_mask_itself():
    n = 64
    for mask, oracle in ((at.strided(5), oracle_mask("strided", n, l=5)),
                         (at.bigbird(4, 2, 1, 2), oracle_mask("bigbird", n, b=4, W=2, G=1, r=2))):
        levels = np.array([list(row) for row in at.cell_levels(mask, n, n)])
        assert ((levels == 255) == oracle).all() and ((levels == 0) == ~oracle).all()


def test_picture_rejects_cells_that_do_not_divide_the_sequence():
    with pytest.raises(ValueError, match="do not divide"):
        at.cell_counts(at.causal(), 100, 64)
    with pytest.raises(ValueError, match="multiple of the cell size"):
        at.cell_counts(at.bigbird(2, 1, 0, 0), 64, 16)


def test_a_million_token_picture_is_quick():
    started = time.perf_counter()
    for mask in (at.sliding(4096), at.strided(3), at.global_local(512, 70_000), at.bigbird(1024, 3, 2, 8)):
        rows = at.cell_levels(mask, 2**20, 1024)
        assert len(rows) == 1024 and all(len(row) == 1024 for row in rows)
    assert time.perf_counter() - started < 2.0


# ---------------------------------------------------------------- receptive field


def _oracle_receptive(mask: np.ndarray, layers: int) -> list[int]:
    n = mask.shape[0]
    reach = np.zeros(n, dtype=bool)
    reach[-1] = True
    out = []
    for _ in range(layers):
        reach = (reach.astype(np.int64) @ mask.astype(np.int64)) > 0
        out.append(int(reach.sum()))
    return out


@pytest.mark.parametrize("pattern, n, knobs", [
    ("full", 20, {}), ("causal", 20, {}),
    ("sliding", 100, {"w": 1}), ("sliding", 100, {"w": 4}), ("sliding", 30, {"w": 50}),
    ("strided", 100, {"l": 7}), ("strided", 100, {"l": 1}), ("strided", 10, {"l": 30}),
    ("global-local", 100, {"w": 5, "g": 3}), ("global-local", 100, {"w": 1, "g": 10}),
    ("global-local", 60, {"w": 9, "g": 0}), ("global-local", 30, {"w": 2, "g": 40}),
    ("bigbird", 256, {"b": 4, "W": 2, "G": 1, "r": 2}), ("bigbird", 250, {"b": 8, "W": 1, "G": 0, "r": 1}),
    ("bigbird", 256, {"b": 4, "W": 3, "G": 2, "r": 0}), ("bigbird", 97, {"b": 5, "W": 2, "G": 3, "r": 4}),
])
def test_receptive_field_equals_reachability_of_the_materialised_mask(pattern, n, knobs):
    layers = 12
    expected = _oracle_receptive(oracle_mask(pattern, n, **knobs), layers)
    assert at.receptive_field(make(pattern, **knobs), n, layers) == expected


def test_mistral_attention_span_is_about_131k_tokens():
    # Jiang et al. 2023, section 2: "with W = 4096 ... a theoretical attention span of approximately 131K tokens".
    span = at.receptive_field(at.sliding(4096), 2**20, 32)[-1]
    assert span == 32 * 4095 + 1
    assert round(span / 1000) == 131


# ---------------------------------------------------------------- models, FLOPs and the KV cache


def test_presets_carry_the_published_config_values():
    p = at.PRESETS
    shape = lambda m: (m.layers, m.heads, m.kv_heads, m.head_dim, m.v_head_dim, m.context_limit)
    assert shape(p["llama-3-8b"]) == (32, 32, 8, 4096 // 32, 128, 8192)
    assert shape(p["llama-3-70b"]) == (80, 64, 8, 8192 // 64, 128, 8192)
    assert shape(p["mistral-7b"]) == (32, 32, 8, 4096 // 32, 128, 32768)
    assert p["mistral-7b"].sliding_window == 4096
    assert shape(p["deepseek-v3"]) == (61, 128, 128, 128 + 64, 128, 163840)
    assert (p["deepseek-v3"].kv_lora_rank, p["deepseek-v3"].rope_dim) == (512, 64)
    for model in p.values():
        assert model.source.startswith("https://huggingface.co/") and model.source.endswith("/config.json")


# KV bytes per token in bf16, by hand from each config.json:
# 2 (K and V) · layers · kv_heads · head_dim · 2 bytes; MLA: layers · (512 + 64) · 2 bytes.
KV_PER_TOKEN_BF16 = {
    "llama-3-8b": 2 * 32 * 8 * 128 * 2,  # 131,072 B = 128 KiB
    "llama-3-70b": 2 * 80 * 8 * 128 * 2,  # 327,680 B = 320 KiB
    "mistral-7b": 2 * 32 * 8 * 128 * 2,
    "deepseek-v3": 61 * (512 + 64) * 2,  # 70,272 B
}


@pytest.mark.parametrize("key", list(at.PRESETS))
@pytest.mark.parametrize("bytes_per_element", [2, 1, 0.5])
def test_kv_cache_of_every_preset_by_hand(key, bytes_per_element):
    model = at.PRESETS[key]
    per_token = KV_PER_TOKEN_BF16[key] * bytes_per_element / 2
    assert at.kv_bytes_per_token(model, bytes_per_element) == per_token
    assert at.kv_cache_bytes(model, 131072, bytes_per_element) == 131072 * per_token


def test_kv_cache_published_orders_of_magnitude():
    # Llama 3 70B in bf16 at its 8,192-token limit: 2.68 GB per sequence.
    assert at.kv_cache_bytes(at.PRESETS["llama-3-70b"], 8192, 2) == 2_684_354_560
    # DeepSeek-V2 paper, Table 1: MLA caches (d_c + d_h^R) = 576 elements per token and layer,
    # against 2 · n_h · d_h = 2 · 128 · 128 = 32,768 for standard multi-head attention: 1.76%.
    ratio = (512 + 64) / (2 * 128 * 128)
    assert at.kv_bytes_per_token(at.PRESETS["deepseek-v3"], 2) / (61 * 2 * 128 * 128 * 2) == pytest.approx(ratio)


@pytest.mark.parametrize("key", list(at.PRESETS))
def test_attention_flops_of_every_preset_by_hand(key):
    model = at.PRESETS[key]
    n = 8192
    pairs = n * (n + 1) // 2
    if key == "deepseek-v3":
        # logits over 192-dimensional query/key heads, values 128-dimensional
        expected = 61 * 128 * pairs * (2 * 192 + 2 * 128)
    else:
        expected = 4 * pairs * model.heads * 128 * model.layers
    assert at.attention_flops(model, pairs) == expected


def test_chinchilla_table_4_attention_terms_for_a_full_mask():
    # Hoffmann et al. 2022, Table 4: logits 2·S·S·(key_size·heads) + reductions 2·S·S·(key_size·heads), per layer.
    model = at.custom_model(layers=1, heads=16, kv_heads=16, head_dim=64)
    s = 2048
    assert at.attention_flops(model, at.pair_count(at.full(), s)) == 2 * s * s * 64 * 16 * 2


def test_kv_tokens_kept_by_pattern():
    n = 100_000
    assert at.kv_tokens_kept(at.causal(), n) == n
    assert at.kv_tokens_kept(at.full(), n) == n
    assert at.kv_tokens_kept(at.strided(300), n) == n
    assert at.kv_tokens_kept(at.sliding(4096), n) == 4096
    assert at.kv_tokens_kept(at.sliding(4096), 1000) == 1000
    assert at.kv_tokens_kept(at.global_local(4096, 4), n) == 4100
    assert at.kv_tokens_kept(at.bigbird(64, 3, 2, 0), n) == 320
    assert at.kv_tokens_kept(at.bigbird(64, 3, 2, 1), n) == n


def test_kv_tokens_kept_is_exactly_the_keys_a_later_query_can_still_use():
    """At length n, a cached key j is needed iff some query i >= n (the ones
    still to come) attends to it; check the count on materialised masks."""
    n, horizon = 40, 200
    for pattern, knobs in (("sliding", {"w": 6}), ("global-local", {"w": 6, "g": 3}),
                           ("strided", {"l": 7}), ("bigbird", {"b": 4, "W": 2, "G": 1, "r": 0})):
        future = oracle_mask(pattern, horizon, **knobs)[n:, :n]
        needed = int(future.any(axis=0).sum())
        kept = at.kv_tokens_kept(make(pattern, **knobs), n)
        assert needed <= kept, pattern
        # The bound is tight except for BigBird, whose next block may not have started.
        if pattern != "bigbird":
            assert kept - needed <= 1, pattern


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("build", [
    lambda: at.sliding(0), lambda: at.strided(-2), lambda: at.global_local(3, -1),
    lambda: at.bigbird(0, 1, 0, 0), lambda: at.bigbird(8, 0, 0, 0), lambda: at.sliding(2.5),
    lambda: at.sliding(True), lambda: at.custom_model(32, 32, 5, 128),
])
def test_bad_knobs_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_bad_sequence_length_and_pattern_are_refused():
    with pytest.raises(ValueError, match="sequence length"):
        at.pair_count(at.causal(), 0)
    with pytest.raises(ValueError, match="unknown pattern"):
        at.pair_count(at.Mask("dilated"), 8)
    with pytest.raises(ValueError, match="bytes per element"):
        at.kv_bytes_per_token(at.PRESETS["llama-3-8b"], 0)


def test_self_checks_are_json_numbers():
    import json

    for name, check in at.SELF_CHECKS.items():
        value = check()
        assert json.loads(json.dumps(value)) == value, name
        assert not (isinstance(value, float) and math.isnan(value))
