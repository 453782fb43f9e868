"""The long-context lab end to end, driven like a person: pick patterns, drag
the length to a million tokens, type bad values, follow links, use the keyboard."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import READY, READY_TIMEOUT_MS, draw_all_plots, expect_view_readouts, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect

from course import attention as at
from course.views import long_context as lc

PATH = "lessons/long-context.html"
READOUTS = (lc.PAIRS, lc.DENSITY, lc.RATIO, lc.FLOPS, lc.KV, lc.RF)

# Share of the mask plot's canvas pixels that are clearly the mask's blue
# (Bokeh draws into canvases inside shadow roots; faint cells do not count).
BLUE_PIXELS = """() => {
  const canvases = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName === 'CANVAS') canvases.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document.getElementById('plot-mask'));
  let blue = 0;
  for (const canvas of canvases) {
    const ctx = canvas.getContext('2d');
    if (!ctx || !canvas.width) continue;
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && d[i + 2] > d[i] + 60 && d[i + 2] > d[i + 1] + 20) blue++;
    }
  }
  return blue;
}"""


def expect_view(page, raw: dict) -> dict:
    """Wait until every read-out, caption and note shows what the module computes for ``raw``."""
    expected = expect_view_readouts(page, "long-context", raw, READOUTS)
    for fig, caption in expected["captions"].items():
        expect(page.locator(f"#cap-{fig}")).to_have_text(caption)
    return expected


def change(page, control: str, value) -> None:
    """Set a control as a person would and wait until the page has applied it.

    One change at a time: lab.py writes an answer's state back into every
    control that does not have focus, so a second programmatic change made
    while the first is still being computed would be overwritten."""
    done = page.evaluate("() => window.stage07.latencies.length")
    set_value(page, f"#{control}", value)
    page.wait_for_function("n => window.stage07.latencies.length > n", arg=done)


def blue_after_update(page) -> int:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(BLUE_PIXELS)


def test_every_pattern_renders_its_mask_knobs_and_module_numbers(page, guard):
    goto_ready(page, PATH)
    draw_all_plots(page)
    blue = {}
    for pattern in at.PATTERNS:
        page.get_by_label("Attention pattern").select_option(pattern)
        expected = expect_view(page, {lc.PATTERN: pattern})
        for box, shown in expected["show"].items():
            if shown:
                expect(page.locator(f"#{box}")).to_be_visible()
            else:
                expect(page.locator(f"#{box}")).to_be_hidden()
        expect(page.locator(f"#{lc.RULE_OUT}")).to_have_text(expected["outputs"][lc.RULE_OUT])
        blue[pattern] = blue_after_update(page)
    # What a person sees: the full mask is twice the causal triangle, the band a
    # density-sized sliver of it, and every pattern draws something different.
    assert blue["causal"] == pytest.approx(blue["full"] / 2, rel=0.05)
    density = at.density(at.sliding(512), 4096)
    assert blue["sliding"] / blue["full"] == pytest.approx(density, rel=0.1)
    assert len(set(blue.values())) == len(blue) and min(blue.values()) > 0


def test_dragging_the_length_to_a_million_tokens_keeps_the_page_responsive(page, guard):
    goto_ready(page, PATH)
    slider = page.get_by_label("Sequence length N, log2")
    for pattern in at.PATTERNS:
        change(page, lc.PATTERN, pattern)
        slider.focus()  # a drag holds the slider: one input event per step, no waiting
        for log2 in range(4, 21):
            set_value(page, "#log2-seq-len", log2)
        started = time.perf_counter()
        expected = expect_view(page, {lc.PATTERN: pattern, lc.SEQ: "20"})
        settled = time.perf_counter() - started
        assert settled < 5.0, f"{pattern}: {settled:.1f} s to settle at 2^20 tokens"
        # The main thread still paints frames promptly.
        frame = page.evaluate(
            "() => { const t = performance.now(); return new Promise(r => requestAnimationFrame(() => r(performance.now() - t))); }"
        )
        assert frame < 250
        expect(page.locator("#log2-seq-len-out")).to_have_text("2²⁰ = 1,048,576 tokens")
        assert "512 × 512 cells covers 2,048 × 2,048" in expected["captions"][lc.FIG_MASK]
        expect(slider).to_have_value("20")
    # The page recorded each update's latency: none was anywhere near a second.
    latencies = page.evaluate("() => window.stage07.latencies.map(x => x[1])")
    assert latencies and max(latencies) < 1000


@pytest.mark.parametrize("raw", [
    {lc.PATTERN: "strided", lc.SEQ: "14", lc.STRIDE: "100", lc.MODEL: "llama-3-70b", lc.DTYPE: "1"},
    {lc.PATTERN: "global-local", lc.SEQ: "17", lc.WINDOW: "2000", lc.GLOBALS: "300", lc.MODEL: "deepseek-v3"},
    {lc.PATTERN: "bigbird", lc.SEQ: "12", lc.WINDOW: "200", lc.GLOBALS: "64", lc.BLOCK: "32", lc.RANDOM: "5", lc.MODEL: "mistral-7b", lc.DTYPE: "0.5"},
    {lc.PATTERN: "sliding", lc.SEQ: "20", lc.WINDOW: "4096", lc.MODEL: "mistral-7b"},
])
def test_readouts_match_the_module(page, guard, raw):
    goto_ready(page, PATH)
    for control, value in raw.items():
        change(page, control, value)
    expected = expect_view(page, raw)
    assert readout(page, lc.PAIRS) == float(expected["readouts"][lc.PAIRS]["value"])
    expect(page.locator(f"#{lc.COST_OUT}")).to_have_text(expected["outputs"][lc.COST_OUT])


def test_typed_bad_values_are_clamped_with_a_message_beside_the_control(page, guard):
    goto_ready(page, PATH)
    window = page.get_by_label("Window w (tokens)")
    window.fill("0")
    expect(page.locator("#window-msg")).to_have_text("0 is below the minimum 1; using 1.")
    expect(window).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{lc.PAIRS}")).to_have_attribute("data-value", "4096")  # w = 1: the diagonal
    window.fill("-25")
    expect(page.locator("#window-msg")).to_have_text("-25 is below the minimum 1; using 1.")
    change(page, lc.WINDOW, "abc")  # a number box hands the page an empty string
    expect(page.locator("#window-msg")).to_have_text("'' is not a whole number; using 512.")
    window.fill("300")
    expect(page.locator("#window-msg")).to_be_hidden()
    expect(window).not_to_have_attribute("aria-invalid", "true")
    # Longer than the sequence: used as N, said beside the box, the typed value kept.
    change(page, lc.SEQ, "8")
    window.fill("5000")
    expect(page.locator("#window-note")).to_have_text("A window of 5,000 is more than the sequence (256 tokens); using 256.")
    expect(page.locator(f"#{lc.PAIRS}")).to_have_attribute("data-value", str(at.causal_pairs(256)))
    expect(window).to_have_value("5000")
    change(page, lc.SEQ, "14")
    expect(page.locator("#window-note")).to_be_hidden()


def test_bigbird_block_size_is_limited_by_the_length_with_a_note(page, guard):
    goto_ready(page, PATH)
    change(page, lc.PATTERN, "bigbird")
    change(page, lc.BLOCK, "4096")
    change(page, lc.SEQ, "8")
    expect(page.locator("#block-size-note")).to_have_text("A block of 4,096 is more than the sequence (256 tokens); using 256 (one block).")
    change(page, lc.BLOCK, "16")
    change(page, lc.SEQ, "20")
    expect(page.locator("#block-size-note")).to_contain_text("using blocks of 2,048")
    expect(page.locator("#bigbird-blocks")).to_contain_text("512 blocks of 2,048 tokens")


def test_link_parameters_are_clamped_and_reported(page, guard):
    goto_ready(page, f"{PATH}?pattern=global-local&log2-seq-len=8&window=-3&globals=99999&stride=abc&block-size=100")
    notices = page.locator("#lab-notices")
    expect(notices).to_contain_text("Link parameter window: -3 is below the minimum 1; using 1.")
    expect(notices).to_contain_text("Link parameter stride: 'abc' is not a whole number; using 64.")
    expect(notices).to_contain_text("Link parameter block-size: 100 is not a power of two; using 128.")
    expect(page.locator("#globals-note")).to_have_text("A global count of 99,999 is more than the sequence (256 tokens); using 256.")
    expect_view(page, {lc.PATTERN: "global-local", lc.SEQ: "8", lc.WINDOW: "1", lc.GLOBALS: "99999"})
    wait_for_url_state(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["window"] == ["1"] and query["stride"] == ["64"] and query["block-size"] == ["128"]


def test_hostile_link_parameters_are_shown_as_text_never_markup(page, guard):
    goto_ready(page, f"{PATH}?pattern=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&window=%3Cb%3Ebold%3C%2Fb%3E")
    expect(page.locator("#lab-notices")).to_contain_text("'<img src=x onerror=aler…' is not one of")
    expect(page.locator("#lab-notices img")).to_have_count(0)
    expect(page.locator("#window-msg b")).to_have_count(0)
    expect(page.get_by_label("Attention pattern")).to_have_value("sliding")


def test_state_round_trips_through_the_url(page, guard, context):
    goto_ready(page, PATH)
    raw = {lc.PATTERN: "bigbird", lc.SEQ: "15", lc.WINDOW: "900", lc.GLOBALS: "40", lc.BLOCK: "128",
           lc.RANDOM: "6", lc.MODEL: "deepseek-v3", lc.DTYPE: "1"}
    for control, value in raw.items():
        change(page, control, value)
    expected = expect_view(page, raw)
    wait_for_url_state(page)
    other = context.new_page()
    guard.attach(other)
    goto_ready(other, page.url)
    for key in READOUTS:
        expect(other.locator(f"#{key}")).to_have_attribute("data-value", expected["readouts"][key]["value"])
    for control, value in raw.items():
        expect(other.locator(f"#{control}")).to_have_value(value)
    expect(other.locator("#lab-notices")).to_be_empty()


def test_keyboard_alone_drives_the_lab(page, guard):
    goto_ready(page, PATH)
    slider = page.get_by_label("Sequence length N, log2")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#log2-seq-len-out")).to_have_text("2¹³ = 8,192 tokens")
    expect(page.locator(f"#{lc.PAIRS}")).to_have_attribute("data-value", str(at.pair_count(at.sliding(512), 8192)))
    page.keyboard.press("End")
    expect(page.locator("#log2-seq-len-out")).to_have_text("2²⁰ = 1,048,576 tokens")
    pattern = page.get_by_label("Attention pattern")
    pattern.focus()
    pattern.select_option("strided")  # a select's keyboard menu is the browser's own; choose as it would
    expect(page.locator("#knob-stride")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#log2-seq-len")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Stride l (tokens)")).to_be_focused()


def test_custom_model_fields_appear_and_validate(page, guard):
    goto_ready(page, PATH)
    expect(page.locator("#custom-model")).to_be_hidden()
    change(page, lc.MODEL, "custom")
    expect(page.locator("#custom-model")).to_be_visible()
    page.get_by_label("Query heads").fill("12")
    expect(page.locator("#custom-heads")).to_have_value("12")
    page.get_by_label("KV heads (grouped-query attention)").fill("5")
    expect(page.locator("#custom-kv-heads-note")).to_contain_text("using 4, the largest divisor of 12 up to 5")
    expected = expect_view(page, {lc.MODEL: "custom", lc.HEADS: "12", lc.KV_HEADS: "5"})
    assert "4 (each shared by 3 query heads)" in str(expected["panels"][lc.MODEL_PANEL])
    expect(page.locator("#model-info")).to_contain_text("4 (each shared by 3 query heads)")
    # No context limit for your own model: the dotted line and the warning go.
    change(page, lc.SEQ, "20")
    expect(page.locator("#context-note")).to_be_hidden()


def test_the_kv_table_of_the_lesson_follows_the_precision(page, guard):
    goto_ready(page, PATH)
    table = page.locator("#kv-presets table")
    expect(table).to_contain_text("Llama 3 70B")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("328 KB")
    page.get_by_label("KV cache precision").select_option("0.5")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("81.9 KB")


def test_the_mask_is_drawn_before_python_is_ready(page, guard):
    page.goto(PATH)
    page.wait_for_selector("#plot-mask[data-drawn=static] img.plot-static", state="attached", timeout=READY_TIMEOUT_MS)
    drawn_before_ready = page.evaluate("!document.documentElement.hasAttribute('data-py-ready')")
    expect(page.locator(f"#{lc.PAIRS}")).to_have_attribute("data-value", "1966336")
    page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
    assert drawn_before_ready


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_accessibility_violations_with_every_knob_and_note_shown(page, guard, scheme):
    """e2e/test_accessibility.py checks every page at its defaults; this is the
    state with the most on screen: BigBird's knobs, the custom model, notes."""
    from test_accessibility import axe_violations

    page.emulate_media(color_scheme=scheme)
    goto_ready(page, f"{PATH}?pattern=bigbird&model=custom&custom-kv-heads=5&window=0&log2-seq-len=6")
    expect(page.locator("#custom-kv-heads-note")).not_to_be_empty()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazily drawn plots
    assert axe_violations(page) == []
