"""The scaling-laws lab end to end: a person drags the sliders, switches the
fit, types cost assumptions (good and bad) and shares a link; every read-out,
caption and plotted column must be what the pure view computes."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import READY, READY_TIMEOUT_MS, draw_all_plots, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect

from course import views
from course.views import scaling_laws as v

PAGE = "scaling-laws"
PATH = "lessons/scaling-laws.html"

# Every ColumnDataSource of the page's BokehJS documents, columns as plain arrays.
PLOTTED = """() => {
  const plain = (col) => Array.from(col, (x) => (ArrayBuffer.isView(x) ? Array.from(x) : x));
  const out = [];
  for (const doc of Bokeh.documents) {
    for (const model of doc.all_models) {
      if (model.type !== "ColumnDataSource") continue;
      const data = model.data instanceof Map ? Object.fromEntries(model.data) : model.data;
      out.push(Object.fromEntries(Object.entries(data).map(([k, col]) => [k, plain(col)])));
    }
  }
  return out;
}"""

CONTROL_VALUES = "els => Object.fromEntries(els.map(e => [e.id, e.value]))"


def _close(ours, theirs) -> bool:
    """Equal, numbers to 2e-5 (plot columns are rounded to 1e-5, and Pyodide's
    libm may differ from CPython's in the last bit)."""
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=2e-5)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(_close(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_close(ours[k], theirs[k]) for k in ours)
    return ours == theirs


def expected_view(page) -> dict:
    """What the pure view computes for the controls as they stand."""
    return views.render(PAGE, page.eval_on_selector_all("[data-control]", CONTROL_VALUES))


def expect_readouts(page, expected: dict) -> None:
    for key, item in expected["readouts"].items():
        node = page.locator(f"#{key}")
        expect(node).to_have_text(item["text"])
        assert math.isclose(readout(page, key), float(item["value"]), rel_tol=1e-9), key


def assert_plotted(page, expected: dict, names=None) -> None:
    """Each of the view's sources is drawn: some BokehJS source holds its data."""
    draw_all_plots(page)
    plotted = page.evaluate(PLOTTED)
    assert len(plotted) == len(expected["sources"]), "one BokehJS source per view source"
    for name in names or expected["sources"]:
        want = expected["sources"][name]
        assert any(_close(have, want) for have in plotted), f"source {name!r} is not drawn as the view computes it"


def expect_page_matches_view(page) -> dict:
    expected = expected_view(page)
    expect_readouts(page, expected)
    for figure, caption in expected["captions"].items():
        expect(page.locator(f"#cap-{figure}")).to_have_text(caption)
    for element_id, text in expected["outputs"].items():
        expect(page.locator(f"#{element_id}")).to_have_text(text)
    assert_plotted(page, expected)
    return expected


# ---------------------------------------------------------------- first view


def test_plots_are_drawn_before_python_is_ready(page, guard):
    page.goto(PATH)
    page.wait_for_selector("#plot-landscape[data-drawn=static] img.plot-static", state="attached", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("!document.documentElement.hasAttribute('data-py-ready')")
    page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
    draw_all_plots(page)
    expect(page.locator("#plot-iso-flop canvas").first).to_be_attached()


def test_default_view_is_the_modules(page, guard):
    goto_ready(page, PATH)
    expected = expect_page_matches_view(page)
    assert expected["state"]["fit"] == "hoffmann"
    expect(page.locator("#models-table tbody tr")).to_have_count(6)
    expect(page.locator("#compare-table tbody tr")).to_have_count(4)
    assert urlsplit(page.url).query == "", "a first visit keeps a clean URL"


# ---------------------------------------------------------------- sliders


@pytest.mark.parametrize("control, values", [("log-n", ["9.5", "12.73"]), ("log-d", ["10.2", "14.6"])])
def test_each_slider_updates_readouts_and_plots_like_the_module(page, guard, control, values):
    goto_ready(page, PATH)
    before = {key: readout(page, key) for key in (v.LOSS, v.FLOPS, v.OPT_PARAMS)}
    for value in values:
        set_value(page, f"#{control}", value)
        expect(page.locator(f"#{control}")).to_have_value(value)
        expected = expected_view(page)
        assert expected["state"][control] == float(value)
        expect_readouts(page, expected)
        assert_plotted(page, expected, [v.HERE, v.ISO_LINE, v.OPTIMUM, v.RULE_POINT, v.CURVE, v.CURVE_MIN])
    after = {key: readout(page, key) for key in before}
    assert all(after[key] != before[key] for key in before)
    # The URL now holds the state (written once the slider rests).
    wait_for_url_state(page)
    assert parse_qs(urlsplit(page.url).query)[control] == [values[-1]]


def test_keyboard_moves_the_parameter_slider(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Parameters N").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#log-n")).to_have_value("10.9")
    expected = expected_view(page)
    expect_readouts(page, expected)
    expect(page.locator("#log-n-out")).to_have_text(expected["outputs"]["log-n-out"])


# ---------------------------------------------------------------- the fit


def test_switching_the_fit_changes_the_frontier_landscape_and_optimum(page, guard):
    goto_ready(page, PATH)
    hoffmann = expected_view(page)
    page.get_by_label("Fit of L(N, D)").select_option("epoch")
    expect(page.locator("#opt-params")).not_to_have_attribute("data-value", hoffmann["readouts"][v.OPT_PARAMS]["value"])
    epoch = expect_page_matches_view(page)
    assert epoch["state"]["fit"] == "epoch"
    assert not _close(epoch["sources"][v.FRONTIER], hoffmann["sources"][v.FRONTIER])
    assert 15 < readout(page, v.OPT_RATIO) < 25 < 60 < float(hoffmann["readouts"][v.OPT_RATIO]["value"])
    expect(page.locator("#fit-note")).to_contain_text("2085.43")
    expect(page.locator("#models-table")).to_contain_text("Epoch AI")


# ---------------------------------------------------------------- cost inputs


def test_cost_inputs_update_hours_and_dollars(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("GPU peak, TFLOP/s").fill("2250")
    page.get_by_label("Model FLOPs utilisation").fill("0.5")
    page.get_by_label("Price, US$ per GPU-hour").fill("3.5")
    expect(page.locator("#usd-per-gpu-hour")).to_have_value("3.5")
    expected = expected_view(page)
    expect_readouts(page, expected)
    flops = readout(page, v.FLOPS)
    assert math.isclose(readout(page, v.GPU_HOURS), flops / (2250e12 * 0.5) / 3600, rel_tol=1e-12)
    assert math.isclose(readout(page, v.COST), 3.5 * readout(page, v.GPU_HOURS), rel_tol=1e-12)


@pytest.mark.parametrize("control, bad", [("mfu", "0"), ("mfu", "-1"), ("mfu", ""), ("mfu", "abc"),
                                          ("gpu-peak-flops", "0"), ("usd-per-gpu-hour", "-3")])
def test_bad_cost_input_shows_a_message_and_keeps_the_last_result(page, guard, control, bad):
    goto_ready(page, PATH)
    page.locator("#mfu").fill("0.5")
    expect(page.locator("#gpu-hours")).to_have_attribute("data-value", expected_view(page)["readouts"][v.GPU_HOURS]["value"])
    kept = {key: page.get_attribute(f"#{key}", "data-value") for key in (v.GPU_HOURS, v.COST)}
    set_value(page, f"#{control}", bad)  # a number input turns "abc" into "", as a browser does
    message = page.locator(f"#{control}-msg")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Enter a number from")
    expect(page.locator(f"#{control}")).to_have_attribute("aria-invalid", "true")
    for key, value in kept.items():
        expect(page.locator(f"#{key}")).to_have_attribute("data-value", value)
    # A valid entry clears the message.
    set_value(page, f"#{control}", {"mfu": "0.45", "gpu-peak-flops": "1000", "usd-per-gpu-hour": "2.5"}[control])
    expect(message).to_be_hidden()
    expect(page.locator(f"#{control}")).not_to_have_attribute("aria-invalid", "true")
    expect_readouts(page, expected_view(page))


# ---------------------------------------------------------------- links


def test_a_link_restores_the_view(page, guard):
    query = "log-n=9.5&log-d=11.2&fit=epoch&gpu-peak-flops=2250&mfu=0.5&usd-per-gpu-hour=3.5"
    goto_ready(page, f"{PATH}?{query}")
    for control, value in parse_qs(query).items():
        expect(page.locator(f"#{control}")).to_have_value(value[0])
    expected = expect_page_matches_view(page)
    assert expected["state"]["fit"] == "epoch"
    expect(page.locator("#lab-notices")).to_be_empty()


def test_a_link_copied_after_moving_sliders_reproduces_the_view(page, guard, context):
    goto_ready(page, PATH)
    # One change at a time, each waited for, as a person reads the result.
    set_value(page, "#log-n", "8.25")
    expect(page.locator("#log-n-out")).to_contain_text("10^8.25")
    page.get_by_label("Fit of L(N, D)").select_option("epoch")
    expect(page.locator("#fit-note")).to_contain_text("2085.43")
    set_value(page, "#log-d", "13.4")
    expect(page.locator("#log-d-out")).to_contain_text("10^13.40")
    expect_readouts(page, expected_view(page))
    wait_for_url_state(page)
    link = page.url
    texts = {key: page.locator(f"#{key}").text_content() for key in (v.LOSS, v.OPT_PARAMS, v.COST)}
    other = context.new_page()
    goto_ready(other, link)
    for key, text in texts.items():
        expect(other.locator(f"#{key}")).to_have_text(text)
    expect(other.locator("#fit")).to_have_value("epoch")
    other.close()


def test_bad_link_parameters_are_clamped_with_visible_notices(page, guard):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    goto_ready(page, f"{PATH}?log-n=99&log-d=abc&fit=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&mfu=-2")
    notices = page.locator("#lab-notices")
    expect(notices).to_contain_text("Link parameter log-n: 99 is above the maximum 13; using 13.")
    expect(notices).to_contain_text("Link parameter log-d: 'abc' is not a number; using 12.15.")
    expect(notices).to_contain_text("Link parameter fit: '<img src=x onerror=al")
    expect(notices).to_contain_text("Link parameter mfu: Enter a number from 0.01 to 1 (kept 0.4).")
    expect(page.locator("#log-n-msg")).to_have_text("99 is above the maximum 13; using 13.")
    expect(page.locator("#log-n")).to_have_value("13")
    expect(page.locator("#log-d")).to_have_value("12.15")
    expect(page.locator("#fit")).to_have_value("hoffmann")
    assert page.locator("main img:not(.plot-static)").count() == 0, "hostile text must stay text"
    assert dialogs == []
    expect_page_matches_view(page)
