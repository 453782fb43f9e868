"""The long-context view: validation against N, what each pattern shows,
the picture it sends, the cost curves, and the numbers of the lesson prose."""

import base64
import json
import re
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from course import attention as at
from course import views
from course.units import nbytes, percent, sci
from course.views import long_context as lc

PAGE = "long-context"
ROOT = Path(__file__).resolve().parents[3]
HTML = (ROOT / "lessons" / "long-context.html").read_text()


def render(**raw):
    return views.render(PAGE, {key.replace("_", "-"): str(value) for key, value in raw.items()})


def value(result, readout_id):
    return float(result["readouts"][readout_id]["value"])


def decode_picture(url: str) -> np.ndarray:
    """Pixels (palette indices) of the view's PNG data URL."""
    data = base64.b64decode(url.split(",", 1)[1])
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    rows = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, width + 1)
    return rows[:, 1:]


# ---------------------------------------------------------------- defaults and read-outs


def test_default_view_is_a_512_token_window_over_4096_tokens_of_llama_3_8b():
    result = views.render(PAGE, {})
    mask, n, model = at.sliding(512), 4096, at.PRESETS["llama-3-8b"]
    pairs = at.pair_count(mask, n)
    assert result["readouts"][lc.PAIRS]["value"] == str(pairs)
    assert value(result, lc.DENSITY) == pairs / n**2
    assert value(result, lc.RATIO) == pairs / at.causal_pairs(n)
    assert value(result, lc.FLOPS) == at.attention_flops(model, pairs)
    assert value(result, lc.KV) == 512 * 131072  # 512 tokens kept × 131,072 B per token
    assert value(result, lc.RF) == 4096  # 32 layers × 511 + 1 > 4096: the whole sequence
    assert result["readouts"][lc.KV]["text"] == "67.1 MB"


@pytest.mark.parametrize("pattern", at.PATTERNS)
@pytest.mark.parametrize("log2", [4, 10, 11, 20])
def test_every_pattern_renders_at_every_scale_with_module_numbers(pattern, log2):
    result = render(pattern=pattern, log2_seq_len=log2, window=300, stride=40, globals=50, block_size=64)
    n = 1 << log2
    mask, _, _ = lc.build_mask(result["state"], n)
    assert mask.pattern == pattern
    assert result["readouts"][lc.PAIRS]["value"] == str(at.pair_count(mask, n))
    assert value(result, lc.RF) == at.receptive_field(mask, n, 32)[-1]
    assert result["notices"] == {}
    for fig in (lc.FIG_MASK, lc.FIG_FLOPS, lc.FIG_KV, lc.FIG_RF):
        assert f"{n:,}" in result["captions"][fig]
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("pattern, shown", [
    ("full", set()), ("causal", set()), ("sliding", {"knob-window"}), ("strided", {"knob-stride"}),
    ("global-local", {"knob-window", "knob-globals"}),
    ("bigbird", {"knob-window", "knob-globals", "knob-block-size", "knob-random-blocks"}),
])
def test_only_the_knobs_a_pattern_uses_are_shown(pattern, shown):
    show = render(pattern=pattern)["show"]
    assert {box for box, visible in show.items() if visible and box.startswith("knob-")} == shown
    assert show[lc.CUSTOM_BOX] is False
    assert render(model="custom")["show"][lc.CUSTOM_BOX] is True


def test_the_rule_states_the_current_numbers():
    assert "i − 300 < j ≤ i" in render(pattern="sliding", window=300)["outputs"][lc.RULE_OUT]
    assert "multiple of 40" in render(pattern="strided", stride=40)["outputs"][lc.RULE_OUT]
    assert "j < 7" in render(pattern="global-local", globals=7)["outputs"][lc.RULE_OUT]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("control", [lc.WINDOW, lc.STRIDE, lc.GLOBALS])
@pytest.mark.parametrize("bad, expected, fragment", [
    ("0", 1, "below the minimum 1"),
    ("-40", 1, "below the minimum 1"),
    ("abc", None, "not a whole number"),
    ("", None, "not a whole number"),
    ("2.5", 2, "not a whole number"),
    ("1e99", 2**20, "above the maximum 1048576"),
    ("<img src=x onerror=alert(1)>", None, "not a whole number"),
])
def test_bad_knob_values_are_clamped_with_a_message(control, bad, expected, fragment):
    result = views.render(PAGE, {lc.PATTERN: "bigbird", control: bad})
    expected = lc.CONTROLS[control].default if expected is None else expected
    assert result["state"][control] == expected
    assert fragment in result["notices"][control]


@pytest.mark.parametrize("pattern, control, what", [
    ("sliding", lc.WINDOW, "A window"), ("strided", lc.STRIDE, "A stride"),
    ("global-local", lc.GLOBALS, "A global count"), ("global-local", lc.WINDOW, "A window"),
])
def test_a_knob_longer_than_the_sequence_is_used_as_n_with_a_note(pattern, control, what):
    result = views.render(PAGE, {lc.PATTERN: pattern, lc.SEQ: "8", control: "5000"})
    note = result["outputs"][control + lc.NOTE]
    assert note == f"{what} of 5,000 is more than the sequence (256 tokens); using 256."
    assert result["state"][control] == 5000  # the learner's value is kept for a longer N
    causal = at.causal_pairs(256)
    if control != lc.WINDOW or pattern == "sliding":
        assert result["readouts"][lc.PAIRS]["value"] == str(causal)
    longer = views.render(PAGE, {lc.PATTERN: pattern, lc.SEQ: "14", control: "5000"})
    assert longer["outputs"][control + lc.NOTE] == ""


def test_notes_are_empty_for_knobs_the_pattern_does_not_use():
    result = views.render(PAGE, {lc.PATTERN: "causal", lc.SEQ: "4", lc.WINDOW: "999"})
    assert all(text == "" for key, text in result["outputs"].items() if key.endswith(lc.NOTE))


@pytest.mark.parametrize("raw, expected, fragment", [
    ("0", 4, "below the minimum 4"), ("-8", 4, "below the minimum 4"), ("abc", 64, "not a whole number"),
    ("100", 128, "not a power of two; using 128"), ("90", 64, "not a power of two; using 64"),
    ("1e9", 65536, "above the maximum 65536"),
])
def test_block_size_must_be_a_power_of_two_in_range(raw, expected, fragment):
    result = views.render(PAGE, {lc.PATTERN: "bigbird", lc.BLOCK: raw})
    assert result["state"][lc.BLOCK] == expected
    assert fragment in result["notices"][lc.BLOCK]


def test_block_size_is_kept_between_n_over_1024_and_n():
    big = views.render(PAGE, {lc.PATTERN: "bigbird", lc.SEQ: "6", lc.BLOCK: "4096"})
    assert "using 64 (one block)" in big["outputs"][lc.BLOCK + lc.NOTE]
    assert big["readouts"][lc.PAIRS]["value"] == str(at.causal_pairs(64))
    small = views.render(PAGE, {lc.PATTERN: "bigbird", lc.SEQ: "20", lc.BLOCK: "64"})
    assert "keeps to 512 blocks" in small["outputs"][lc.BLOCK + lc.NOTE]
    assert "using blocks of 2,048" in small["outputs"][lc.BLOCK + lc.NOTE]
    assert "512 blocks of 2,048 tokens" in small["outputs"][lc.BLOCKS_OUT]
    exact = views.render(PAGE, {lc.PATTERN: "bigbird", lc.SEQ: "10", lc.BLOCK: "4"})
    assert exact["outputs"][lc.BLOCK + lc.NOTE] == ""  # exact cells fit any block size


def test_bigbird_rounds_window_and_globals_up_to_whole_blocks():
    result = views.render(PAGE, {lc.PATTERN: "bigbird", lc.SEQ: "10", lc.BLOCK: "32", lc.WINDOW: "65", lc.GLOBALS: "1"})
    mask, _, text = lc.build_mask(result["state"], 1024)
    assert (mask.block_size, mask.window_blocks, mask.global_blocks, mask.random_blocks) == (32, 3, 1, 3)
    assert "Window 65 tokens → 3 blocks" in text and "1 global token → 1 global block" in text


@pytest.mark.parametrize("bad", ["dilated", "", "<script>alert(1)</script>", "FULL"])
def test_unknown_pattern_falls_back_to_the_default_with_a_message(bad):
    result = views.render(PAGE, {lc.PATTERN: bad})
    assert result["state"][lc.PATTERN] == "sliding"
    assert "is not one of full, causal, sliding" in result["notices"][lc.PATTERN]


@pytest.mark.parametrize("control, bad", [(lc.SEQ, "99"), (lc.SEQ, "x"), (lc.MODEL, "gpt-5"), (lc.DTYPE, "3"), (lc.RANDOM, "9")])
def test_other_controls_are_validated(control, bad):
    result = views.render(PAGE, {control: bad})
    assert control in result["notices"]


def test_custom_kv_heads_are_made_to_divide_the_query_heads():
    result = views.render(PAGE, {lc.MODEL: "custom", lc.HEADS: "12", lc.KV_HEADS: "5"})
    model, notes = lc.build_model(result["state"])
    assert model.kv_heads == 4
    assert "using 4, the largest divisor of 12 up to 5" in result["outputs"][lc.KV_HEADS + lc.NOTE]
    more = views.render(PAGE, {lc.MODEL: "custom", lc.HEADS: "8", lc.KV_HEADS: "64"})
    assert lc.build_model(more["state"])[0].kv_heads == 8


def test_custom_model_cost_by_hand():
    raw = {lc.MODEL: "custom", lc.LAYERS: "10", lc.HEADS: "16", lc.KV_HEADS: "2", lc.HEAD_DIM: "64",
           lc.PATTERN: "causal", lc.SEQ: "10", lc.DTYPE: "1"}
    result = views.render(PAGE, raw)
    pairs = 1024 * 1025 // 2
    assert value(result, lc.FLOPS) == 4 * pairs * 16 * 64 * 10
    assert value(result, lc.KV) == 1024 * 2 * 10 * 2 * 64 * 1
    assert result["sources"][lc.FIG_KV + lc.LIMIT] == {lc.N_COL: [], lc.Y: []}  # no context limit


# ---------------------------------------------------------------- the picture


@pytest.mark.parametrize("pattern", at.PATTERNS)
@pytest.mark.parametrize("log2", [4, 9, 10, 13, 20])
def test_the_picture_is_the_cell_levels_of_the_mask(pattern, log2):
    result = render(pattern=pattern, log2_seq_len=log2, window=100, stride=9, globals=30, block_size=16)
    n = 1 << log2
    mask = lc.build_mask(result["state"], n)[0]
    cells = lc.picture_cells(n)
    pixels = decode_picture(result["sources"][lc.SRC_MASK][lc.URL][0])
    factor = max(1, -(-lc.MIN_PIXELS // cells))
    assert pixels.shape == (cells * factor, cells * factor)
    expected = np.array([list(row) for row in at.cell_levels(mask, n, cells)], dtype=np.uint8)
    assert (pixels[::factor, ::factor] == expected).all()
    if n <= lc.EXACT_UP_TO:  # exact cells: allowed pairs solid, masked ones blank
        assert set(np.unique(pixels)) <= {0, 255}
        assert int((pixels[::factor, ::factor] == 255).sum()) == at.pair_count(mask, n)
    source = result["sources"][lc.SRC_MASK]
    assert (source[lc.X], source[lc.W], source[lc.RIGHT], source[lc.BOTTOM]) == ([n / 2], [n], [n], [n])


def test_the_caption_says_exactly_what_the_picture_shows():
    small = views.render(PAGE, {lc.SEQ: "10"})["captions"][lc.FIG_MASK]
    assert "Exact: each of the 1,024 × 1,024 cells is one (query, key) pair" in small
    big = views.render(PAGE, {lc.SEQ: "20"})["captions"][lc.FIG_MASK]
    assert "each of the 512 × 512 cells covers 2,048 × 2,048 = 4,194,304 pairs" in big
    assert "each of the 512 × 512 cells covers 4 × 4 = 16 pairs" in views.render(PAGE, {lc.SEQ: "11"})["captions"][lc.FIG_MASK]
    assert "exact fraction" in big and "log scale" in big


def test_palette_is_transparent_for_masked_cells_and_opaque_for_full_ones():
    assert lc.PALETTE[0][3] == 0
    assert lc.PALETTE[255] == (*lc.MASK_RGB, 255)
    alphas = [colour[3] for colour in lc.PALETTE[1:]]
    assert alphas == sorted(alphas) and alphas[0] > 0
    # The colour key beside the plot (site.css) shows these three levels.
    css = (ROOT / "assets" / "css" / "site.css").read_text()
    r, g, b = lc.MASK_RGB
    for level, percent_alpha in ((1, 22), (128, 61)):
        assert round(100 * lc.PALETTE[level][3] / 255) == percent_alpha
        assert f"rgb({r} {g} {b} / {percent_alpha}%)" in css


# ---------------------------------------------------------------- cost curves and receptive field


@pytest.mark.parametrize("pattern", at.PATTERNS)
def test_cost_curves_come_from_the_module_and_pass_through_the_current_point(pattern):
    result = render(pattern=pattern, log2_seq_len=15, model="llama-3-70b", dtype_bytes="0.5")
    model = at.PRESETS["llama-3-70b"]
    flops = result["sources"][lc.FIG_FLOPS]
    kv = result["sources"][lc.FIG_KV]
    assert flops[lc.N_COL] == [2**k for k in range(4, 21)]
    for i, n in enumerate(flops[lc.N_COL]):
        mask = lc.build_mask(result["state"], n)[0]
        assert flops[lc.THIS][i] == at.attention_flops(model, at.pair_count(mask, n))
        assert flops[lc.BASE][i] == 4 * at.causal_pairs(n) * 64 * 128 * 80
        assert kv[lc.THIS][i] == at.kv_cache_bytes(model, at.kv_tokens_kept(mask, n), 0.5)
        assert kv[lc.BASE][i] == n * 2 * 80 * 8 * 128 * 0.5
    here = flops[lc.N_COL].index(2**15)
    assert result["sources"][lc.FIG_FLOPS + lc.HERE] == {lc.N_COL: [2**15], lc.Y: [flops[lc.THIS][here]]}
    assert result["sources"][lc.FIG_KV + lc.HERE][lc.Y] == [kv[lc.THIS][here]]
    limit = result["sources"][lc.FIG_KV + lc.LIMIT]
    assert limit[lc.N_COL] == [8192, 8192] and limit[lc.Y] == [min(kv[lc.THIS]), max(kv[lc.BASE])]


def test_beyond_the_context_limit_the_page_says_so():
    assert views.render(PAGE, {lc.SEQ: "13"})["outputs"][lc.CONTEXT_OUT] == ""
    assert "beyond Llama 3 8B's context limit of 8,192 tokens" in views.render(PAGE, {lc.SEQ: "14"})["outputs"][lc.CONTEXT_OUT]
    assert views.render(PAGE, {lc.SEQ: "17", lc.MODEL: "deepseek-v3"})["outputs"][lc.CONTEXT_OUT] == ""


def test_receptive_field_series_covers_every_layer_of_the_model():
    result = render(pattern="sliding", window=4096, log2_seq_len=20, model="mistral-7b")
    series = result["sources"][lc.SRC_RF]
    assert series[lc.LAYER] == list(range(1, 33))
    assert series[lc.TOKENS] == [k * 4095 + 1 for k in range(1, 33)]
    assert value(result, lc.RF) == 131041
    assert result["sources"][lc.SRC_RF_ALL] == {lc.LAYER: [1, 32], lc.TOKENS: [2**20, 2**20]}


def test_kv_cache_uses_the_rolling_buffer_for_a_sliding_window():
    result = render(pattern="sliding", window=4096, log2_seq_len=20, model="mistral-7b")
    assert value(result, lc.KV) == 4096 * 131072
    assert "4,096 tokens kept" in result["outputs"][lc.COST_OUT]


# ---------------------------------------------------------------- the page contract


def test_state_round_trips_through_the_query():
    raw = {lc.PATTERN: "bigbird", lc.SEQ: "17", lc.WINDOW: "700", lc.GLOBALS: "3", lc.BLOCK: "256",
           lc.RANDOM: "5", lc.MODEL: "custom", lc.LAYERS: "12", lc.DTYPE: "0.5"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["notices"] == {}
    assert again["readouts"] == first["readouts"]


def test_block_size_select_lists_exactly_the_allowed_powers_of_two():
    select = re.search(r'<select id="block-size" data-control>(.*?)</select>', HTML, re.S).group(1)
    options = tuple(re.findall(r'<option value="(\d+)"', select))
    assert options == lc.CONTROLS[lc.BLOCK].options
    assert re.search(r'<option value="64" selected>', select)


def test_every_element_the_view_writes_exists_in_the_page():
    result = views.render(PAGE, {lc.PATTERN: "bigbird", lc.MODEL: "custom"})
    ids = set(re.findall(r'id="([^"]+)"', HTML))
    for key in (*result["outputs"], *result["show"], *result["panels"]):
        assert key in ids, key
    for control in lc.CONTROLS:
        assert f"{control}-msg" in ids, control


def test_a_million_token_update_is_analytic_and_quick():
    slowest = 0.0
    for pattern in at.PATTERNS:
        raw = {lc.PATTERN: pattern, lc.SEQ: "20", lc.STRIDE: "3", lc.GLOBALS: "70000", lc.BLOCK: "1024", lc.RANDOM: "8"}
        views.render(PAGE, raw)
        started = time.perf_counter()
        views.render(PAGE, raw)
        slowest = max(slowest, time.perf_counter() - started)
    assert slowest < 0.25  # measured 4-12 ms; a quadratic step would take minutes


# ---------------------------------------------------------------- the lesson's numbers


def prose_numbers() -> dict[str, str]:
    """Every number of the lesson text tagged data-check, from the module."""
    p = at.PRESETS
    million = 2**20
    per_token = {key: at.kv_bytes_per_token(model, 2) for key, model in p.items()}
    mha = lambda model, heads: model.layers * 2 * heads * model.v_head_dim * 2  # one KV head per query head
    return {
        "flops-8b-8k": sci(at.attention_flops(p["llama-3-8b"], at.causal_pairs(8192)), "FLOP"),
        "flops-8b-1m": sci(at.attention_flops(p["llama-3-8b"], at.causal_pairs(million)), "FLOP"),
        "ratio-1m-8k": f"{round(at.causal_pairs(million) / at.causal_pairs(8192)):,}",
        "sliding-share-1m": percent(at.causal_ratio(at.sliding(4096), million)),
        "strided-share-1m": percent(at.causal_ratio(at.strided(1024), million)),
        "mistral-span": f"{at.receptive_field(at.sliding(p['mistral-7b'].sliding_window), million, p['mistral-7b'].layers)[-1]:,}",
        "kv-token-llama-3-8b": nbytes(per_token["llama-3-8b"]),
        "kv-token-llama-3-70b": nbytes(per_token["llama-3-70b"]),
        "kv-token-deepseek-v3": nbytes(per_token["deepseek-v3"]),
        "kv-70b-8k": nbytes(at.kv_cache_bytes(p["llama-3-70b"], 8192, 2)),
        "kv-70b-128k": nbytes(at.kv_cache_bytes(p["llama-3-70b"], 131072, 2)),
        "kv-70b-1m": nbytes(at.kv_cache_bytes(p["llama-3-70b"], million, 2)),
        "kv-mistral-window": nbytes(at.kv_cache_bytes(p["mistral-7b"], at.kv_tokens_kept(at.sliding(4096), million), 2)),
        "gqa-factor-70b": str(p["llama-3-70b"].heads // p["llama-3-70b"].kv_heads),
        "70b-mha-token": nbytes(mha(p["llama-3-70b"], p["llama-3-70b"].heads)),
        "mla-elements": str(p["deepseek-v3"].kv_lora_rank + p["deepseek-v3"].rope_dim),
        "mha-elements": f"{2 * 128 * 128:,}",
        "mla-share": percent((p["deepseek-v3"].kv_lora_rank + p["deepseek-v3"].rope_dim) / (2 * 128 * 128)),
        "dsv3-mha-token": nbytes(mha(p["deepseek-v3"], p["deepseek-v3"].heads)),
    }


class _Checked(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._key = None

    def handle_starttag(self, tag, attrs):
        self._key = dict(attrs).get("data-check", self._key)

    def handle_data(self, data):
        if self._key:
            self.found[self._key] = data
            self._key = None


def test_every_number_in_the_lesson_text_comes_from_the_module():
    parser = _Checked()
    parser.feed(HTML)
    expected = prose_numbers()
    assert set(parser.found) == set(expected)
    for key, text in expected.items():
        assert parser.found[key] == text, key


def test_lesson_quotes_the_preset_shapes_it_uses():
    # "32 layers, 32 heads of 128" (Llama 3 8B); "64 query heads but only 8 KV heads" (70B).
    assert "32 layers, 32 heads of 128" in HTML
    m8 = at.PRESETS["llama-3-8b"]
    assert (m8.layers, m8.heads, m8.head_dim) == (32, 32, 128)
    assert "64 query heads but only 8 KV heads" in HTML
    m70 = at.PRESETS["llama-3-70b"]
    assert (m70.heads, m70.kv_heads) == (64, 8)
    for model in at.PRESETS.values():
        assert model.source in HTML
