"""The MoE lab's view: read-outs from the pure module, bad input, the URL, and the prose."""

from __future__ import annotations

import re
import statistics
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from course import moe, views
from course.units import count, nbytes, percent, sci
from course.views import mixture_of_experts as v

PAGE = "mixture-of-experts"
HTML = Path(__file__).resolve().parents[3] / "lessons" / "mixture-of-experts.html"


def render(**raw):
    return views.render(PAGE, {key.replace("_", "-"): value for key, value in raw.items()})


def panel_text(result, panel):
    parts = []
    for block in result["panels"][panel]:
        if block["tag"] == "table":
            parts += block["head"] + [cell for row in block["rows"] for cell in row]
        else:
            parts.append(block["text"])
    return "\n".join(parts)


# ------------------------------------------------------------------ router read-outs


def test_default_view_routes_the_default_sentence():
    result = render()
    first = moe.route("Mixture", v.DEFAULT_SEED, 2)
    assert result["readouts"][v.EXPERTS]["value"] == ",".join(map(str, first.experts))
    assert result["readouts"][v.EXPERTS]["text"] == ", ".join(f"E{e}" for e in first.experts)
    assert [float(g) for g in result["readouts"][v.GATES]["value"].split(",")] == first.gates
    assert result["readouts"][v.TOKENS]["value"] == str(len(v.DEFAULT_TEXT.split()))


@pytest.mark.parametrize("k", ["1", "3", "8"])
def test_k_sets_how_many_experts_are_shown(k):
    result = render(word="router", top_k=k)
    experts = result["readouts"][v.EXPERTS]["value"].split(",")
    assert experts == [str(e) for e in moe.route("router", 0, int(k)).experts]
    router = result["sources"][v.SRC_ROUTER]
    assert sum(1 for p in router[v.CHOSEN] if p > 0) == int(k)
    assert f"top-{k}" in result["captions"][v.FIG_ROUTER]


def test_seed_changes_the_router_matrix_and_so_the_route():
    a = render(word="router", seed="0")["sources"][v.SRC_ROUTER][v.VALUE]
    b = render(word="router", seed="1")["sources"][v.SRC_ROUTER][v.VALUE]
    assert a == moe.route("router", 0, 2).probs and b == moe.route("router", 1, 2).probs and a != b


def test_balance_capacity_and_drops_come_from_the_module():
    text = "the cat sat on the mat and the dog sat on the cat"
    result = render(word=text, top_k="2", capacity_factor="1")
    tokens = text.split()
    routes = [moe.route(t, 0, 2) for t in tokens]
    balance = moe.load_balance([r.probs for r in routes], [r.experts for r in routes])
    capacity = moe.expert_capacity(len(tokens), 2, 8, 1.0)
    dispatched = moe.dispatch([r.experts for r in routes], capacity)
    assert float(result["readouts"][v.BALANCE_LOSS]["value"]) == balance.loss
    assert result["readouts"][v.CAPACITY]["value"] == str(capacity)
    assert result["readouts"][v.DROPPED]["value"] == str(len(dispatched.dropped))
    assert result["sources"][v.SRC_LOAD][v.DEMAND] == dispatched.demand
    assert result["sources"][v.SRC_CAPACITY][v.Y] == [capacity, capacity]
    assert f"{balance.loss:.4f}" in panel_text(result, v.BALANCE_MATH)


def test_heat_map_has_one_row_per_token_and_outlines_the_top_k():
    result = render(word="one two three", top_k="3")
    heat, chosen = result["sources"][v.SRC_HEAT], result["sources"][v.SRC_HEAT_CHOSEN]
    assert len(heat[v.PROB]) == 3 * 8 and sorted(set(heat[v.ROW])) == [1, 2, 3]
    assert len(chosen[v.EXPERT]) == 9
    assert result["sources"][v.SRC_HEAT_LABELS][v.LABEL] == ["one", "two", "three"]


def test_router_math_panel_shows_every_step_for_the_selected_token():
    result = render(word="alpha beta gamma", token="2")
    r = moe.route("beta", 0, 2)
    text = panel_text(result, v.ROUTER_MATH)
    assert "Token 2 of 3: “beta”" in text
    assert r.digest.hex() in text
    assert "62 65 74 61" in text  # the UTF-8 bytes of "beta"
    for j in range(8):
        assert f"{r.probs[j]:.4f}" in text
    assert f"top-2 = E{r.experts[0]}, E{r.experts[1]}" in text
    assert f"{r.gates[0]:.4f}" in text
    assert result["sources"][v.SRC_EMBEDDING][v.VALUE] == r.embedding
    tags = {block["tag"] for block in result["panels"][v.ROUTER_MATH]}
    assert tags <= {"h4", "p", "table"}


def test_token_beyond_the_text_shows_the_last_with_a_note():
    result = render(word="alpha beta", token="9")
    assert "there is no token 9; showing the last" in result["outputs"][v.TOKEN_OUT]
    assert "Token 2 of 2" in panel_text(result, v.ROUTER_MATH)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u3000"])
def test_empty_text_gives_a_friendly_prompt_not_an_error(text):
    result = render(word=text)
    assert result["notices"] == {}
    assert "Type a word or a sentence" in panel_text(result, v.ROUTER_MATH)
    assert result["readouts"][v.EXPERTS] == {"value": "", "text": "–"}
    assert result["readouts"][v.TOKENS]["value"] == "0"
    assert result["sources"][v.SRC_HEAT][v.PROB] == []
    assert float(result["readouts"][v.TOTAL]["value"]) > 0  # the parameter lab still works


@pytest.mark.parametrize(
    "text", ["🙂", "👩🏽‍🚀 launches", "שלום עולם", "مرحبا", "e\u0301cole", "東京 大阪", "\u202eevil", "null", "NaN"]
)
def test_any_unicode_is_routed(text):
    result = render(word=text)
    first = text.split()[0]
    assert result["readouts"][v.EXPERTS]["value"] == ",".join(map(str, moe.route(first, 0, 2).experts))
    assert result["notices"] == {}


def test_html_and_script_are_just_words():
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    result = render(word=hostile)
    assert result["readouts"][v.TOKENS]["value"] == str(len(hostile.split()))
    assert "“<script>alert(\"x\")</script>”" in panel_text(result, v.ROUTER_MATH)
    # Panels carry text blocks only; the page writes them with textContent.
    for blocks in result["panels"].values():
        for block in blocks:
            assert set(block) <= {"tag", "text", "head", "rows"}


def test_text_over_the_maximum_is_truncated_with_a_notice():
    result = render(word="ab " * 1000)
    assert result["notices"][v.WORD] == "Text truncated to the first 2,000 characters (it had 3,000)."
    assert len(result["state"][v.WORD]) == v.MAX_CHARS


def test_more_words_than_the_router_takes_are_counted_and_said():
    result = render(word="a " * 350)
    assert result["readouts"][v.TOKENS]["value"] == str(moe.MAX_TOKENS)
    assert result["outputs"][v.WORD_STATUS] == "Routing the first 300 of 350 words (the lab's maximum is 300)."


@pytest.mark.parametrize(
    "raw, expected, message",
    [
        ("0", 1, "0 is below the minimum 1; using 1."),
        ("12", 8, "12 is above the maximum 8; using 8."),
        ("2.5", 2, "2.5 is not a whole number; using 2."),
        ("two", 2, "'two' is not a whole number; using 2."),
    ],
)
def test_bad_k_is_clamped_with_a_message(raw, expected, message):
    result = render(top_k=raw)
    assert result["state"][v.TOP_K] == expected
    assert result["notices"][v.TOP_K] == message


@pytest.mark.parametrize(
    "raw, expected, message",
    [
        ("-5", 0, "-5 is below the minimum 0; using 0."),
        ("1e20", moe.SEED_MAX, "1e+20 is above the maximum 4294967295; using 4294967295."),
        ("<b>7</b>", 0, "'<b>7</b>' is not a whole number; using 0."),
    ],
)
def test_bad_seed_is_clamped_with_a_message(raw, expected, message):
    result = render(seed=raw)
    assert result["state"][v.SEED] == expected
    assert result["notices"][v.SEED] == message


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "11", "inf"])
def test_bad_capacity_factor_keeps_the_last_valid_value(raw):
    result = views.render(PAGE, {v.CAPACITY_FACTOR: raw}, {v.CAPACITY_FACTOR: 2.0})
    assert result["state"][v.CAPACITY_FACTOR] == 2.0
    assert result["notices"][v.CAPACITY_FACTOR] == "Enter a number from 0.1 to 10 (kept 2)."


def test_unknown_preset_falls_back_with_a_message():
    result = render(preset="llama")
    assert result["state"][v.PRESET] == "deepseek-v3"
    assert "'llama' is not one of" in result["notices"][v.PRESET]


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("key", moe.PRESETS)
def test_preset_readouts_are_the_module_counts(key):
    result = render(preset=key)
    c = moe.count_parameters(moe.PRESETS[key].arch)
    assert result["readouts"][v.TOTAL]["value"] == str(c.total)
    assert result["readouts"][v.ACTIVE]["value"] == str(c.active)
    assert float(result["readouts"][v.ACTIVE_FRACTION]["value"]) == c.active / c.total
    assert result["readouts"][v.MEMORY]["value"] == str(2 * c.total)
    assert result["readouts"][v.FLOPS]["value"] == str(2 * c.active)
    assert result["show"][v.CUSTOM_BOX] is False
    assert moe.PRESETS[key].config_url in panel_text(result, v.PARAMS_TABLE)
    params = result["sources"][v.SRC_PARAMS]
    assert sum(params[v.TOTAL_COL]) == pytest.approx(c.total / 1e9, rel=1e-12)


class _Table(HTMLParser):
    """The cells of the <table id="preset-check">, row by row."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._inside = self._cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == "preset-check":
            self._inside = True
        elif self._inside and tag == "tr":
            self.rows.append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self._inside = False
        elif tag in ("td", "th"):
            self._cell = False

    def handle_data(self, data):
        if self._inside and self._cell:
            self.rows[-1][-1] += data


def test_static_preset_check_table_is_what_the_module_computes():
    table = _Table()
    table.feed(HTML.read_text())
    assert table.rows[0] == list(v.PRESET_CHECK_HEAD)
    assert table.rows[1:] == v.preset_check_rows()
    for row, p in zip(table.rows[1:], moe.PRESETS.values()):
        c = moe.count_parameters(p.arch)
        assert row[6] == f"{(c.active - p.published_active) / p.published_active * 100:+.2f}%".replace("-", "−")


def test_custom_architecture_uses_the_typed_numbers():
    raw = {f"arch-{name}": value for name, value in {
        "d-model": "1024", "layers": "12", "heads": "16", "kv-heads": "4", "head-dim": "64", "vocab": "50000",
        "dense-ffn": "4096", "dense-layers": "2", "experts": "64", "shared": "2", "top-k": "6", "expert-ffn": "512",
    }.items()}
    result = views.render(PAGE, {v.PRESET: "custom", "arch-tied": "tied", "arch-ffn-type": "gelu", **raw})
    arch = moe.Architecture(
        d_model=1024, layers=12, heads=16, kv_heads=4, head_dim=64, vocab=50000, tied_embeddings=True,
        dense_ffn=4096, dense_layers=2, routed_experts=64, shared_experts=2, top_k=6, expert_ffn=512, gated_ffn=False,
    )
    c = moe.count_parameters(arch)
    assert result["readouts"][v.TOTAL]["value"] == str(c.total)
    assert result["readouts"][v.ACTIVE]["value"] == str(c.active)
    assert result["show"][v.CUSTOM_BOX] is True


def test_custom_defaults_are_mixtral():
    custom = render(preset="custom")["readouts"][v.TOTAL]
    assert custom == render(preset="mixtral-8x7b")["readouts"][v.TOTAL]


def test_contradictory_custom_numbers_are_repaired_and_explained():
    result = views.render(PAGE, {v.PRESET: "custom", "arch-heads": "8", "arch-kv-heads": "32", "arch-top-k": "20"})
    note = result["outputs"][v.CUSTOM_NOTE]
    assert "KV heads (32) cannot exceed query heads; using 8." in note
    assert "Experts per token (20) cannot exceed routed experts; using 8." in note


def test_custom_number_out_of_range_is_clamped_with_a_message():
    result = views.render(PAGE, {v.PRESET: "custom", "arch-layers": "0"})
    assert result["notices"]["arch-layers"] == "0 is below the minimum 1; using 1."


# ------------------------------------------------------------------ URL, captions, speed


def test_state_round_trips_through_the_url_query():
    raw = {v.WORD: "naïve <b>router</b> 🙂", v.TOP_K: "3", v.SEED: "99", v.CAPACITY_FACTOR: "1.5", v.PRESET: "gpt-oss-120b"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["notices"] == {}
    assert again["readouts"] == first["readouts"]
    assert first["query"][v.WORD] == raw[v.WORD]


def test_captions_state_the_current_values():
    result = render(word="router", top_k="2", preset="gpt-oss-120b")
    r = moe.route("router", 0, 2)
    assert f"E{r.experts[0]} p = {r.probs[r.experts[0]]:.3f}" in result["captions"][v.FIG_ROUTER]
    assert "“router”" in result["captions"][v.FIG_EMBEDDING]
    assert "gpt-oss-120b" in result["captions"][v.FIG_PARAMS] and "5.13 B active" in result["captions"][v.FIG_PARAMS]
    assert "capacity of 1 per expert" in result["captions"][v.FIG_LOAD]
    assert set(result["captions"]) == {f["id"] for f in v.FIGURES}


def test_every_figure_source_is_in_the_view():
    result = render()
    used = {glyph["source"] for figure in v.FIGURES for glyph in figure["glyphs"]}
    assert used <= set(result["sources"])
    assert used <= set(render(word="")["sources"]) | {v.SRC_PARAMS, v.SRC_MAP_MODELS, v.SRC_MAP_HERE, v.SRC_MAP_DENSE}


def test_a_200_word_view_is_fast_under_cpython():
    text = " ".join(f"word{i % 150}" for i in range(200))
    timings = []
    for seed in range(5):
        started = time.perf_counter()
        render(word=text, seed=str(seed))
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.05


# ------------------------------------------------------------------ numbers in the prose


class _Spans(HTMLParser):
    """Collects the text of every <span data-moe="key">."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._key = None

    def handle_starttag(self, tag, attrs):
        key = dict(attrs).get("data-moe")
        if key:
            self._key, self._text = key, ""

    def handle_data(self, data):
        if self._key:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "span" and self._key:
            self.found.append((self._key, re.sub(r"\s+", " ", self._text).strip()))
            self._key = None


def _expected_prose() -> dict[str, str]:
    expected = {}
    for key, p in moe.PRESETS.items():
        c = moe.count_parameters(p.arch)
        expected[f"{key}.total"] = count(c.total)
        expected[f"{key}.active"] = count(c.active)
        expected[f"{key}.fraction"] = percent(c.active_fraction)
        expected[f"{key}.memory"] = nbytes(2 * c.total)
        expected[f"{key}.flops"] = sci(2 * c.active, "FLOP")
        expected[f"{key}.active_with_embedding"] = count(c.active + c.total_by["input embedding"])
        expected[f"{key}.published_total"] = count(p.published_total)
        expected[f"{key}.published_active"] = count(p.published_active)
    default = render()
    repeat = render(word="the " * 10)
    repeat4 = render(word="the " * 10, capacity_factor="4")
    expected["default.loss"] = default["readouts"][v.BALANCE_LOSS]["text"]
    expected["repeat.experts"] = repeat["readouts"][v.EXPERTS]["text"]
    expected["repeat.loss"] = repeat["readouts"][v.BALANCE_LOSS]["text"]
    dropped = int(repeat["readouts"][v.DROPPED]["value"])
    expected["repeat.dropped"] = f"{dropped} of 20 assignments"
    expected["repeat.capacity4"] = repeat4["readouts"][v.CAPACITY]["value"]
    expected["repeat.slots4"] = str(8 * int(repeat4["readouts"][v.CAPACITY]["value"]))
    assert repeat4["readouts"][v.DROPPED]["value"] == "0"  # "a factor of 4 drops nothing"
    expected["comb.mixtral"] = f"{moe.expert_combinations(8, 2)}"
    expected["comb.deepseek"] = sci(moe.expert_combinations(256, 8))
    expected["max.chars"] = f"{v.MAX_CHARS:,}"
    expected["max.tokens"] = str(moe.MAX_TOKENS)
    return expected


def test_numbers_in_the_lesson_prose_come_from_the_module():
    parser = _Spans()
    parser.feed(HTML.read_text())
    expected = _expected_prose()
    assert len(parser.found) >= 25
    for key, text in parser.found:
        assert key in expected, f"no computation for data-moe={key!r}"
        assert text == expected[key], f"data-moe={key!r}: page says {text!r}, module gives {expected[key]!r}"


def test_deepseek_presets_are_the_deepseek_figures_quoted_in_the_html():
    """The counting-convention paragraph quotes DeepSeek's own 36.6 B and 0.9 B."""
    c = moe.count_parameters(moe.PRESETS["deepseek-v3"].arch)
    assert "36.6 B active \"including 0.9 B for the output head\"" in HTML.read_text()
    assert count(c.active) == "36.6 B" and round(c.active_by["output head"] / 1e9, 1) == 0.9
