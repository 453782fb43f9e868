"""The cost-and-latency lab end to end: each lever switched on like a person
would (click, keyboard), the speculative-decoding sliders, bad input and
links that carry the state."""

from __future__ import annotations

import re

import pytest
from helpers import draw_all_plots, expect_view_readouts, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect


PATH = "lessons/cost-and-latency.html"
READOUTS = ("monthly-cost", "p50-latency", "ttft", "api-monthly", "memory-bytes", "gpus", "spec-speedup", "break-even")


def expect_readouts(page, raw: dict) -> dict:
    return expect_view_readouts(page, "cost-and-latency", raw, READOUTS)


@pytest.mark.parametrize("lever, label", [("lever-quant", "Quantisation"), ("lever-cache", "Prompt caching"),
                                         ("lever-spec", "Speculative decoding")])
def test_switching_a_lever_on_lowers_the_bill_and_the_latency(page, guard, lever, label):
    goto_ready(page, PATH)
    expect_readouts(page, {})
    cost, latency = readout(page, "monthly-cost"), readout(page, "p50-latency")
    page.get_by_label(label, exact=True).check()
    expect_readouts(page, {lever: "1"})
    assert readout(page, "monthly-cost") < cost and readout(page, "p50-latency") < latency
    expect(page.locator("#lever-table tbody tr").last).to_contain_text(label.lower())
    wait_for_url_state(page)
    assert f"{lever}=1" in page.url


def test_all_levers_by_keyboard_then_off_again(page, guard):
    goto_ready(page, PATH)
    for label in ("Quantisation", "Prompt caching", "Speculative decoding"):
        box = page.get_by_label(label, exact=True)
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    expect_readouts(page, {"lever-quant": "1", "lever-cache": "1", "lever-spec": "1"})
    page.get_by_label("Prompt caching", exact=True).uncheck()
    expect_readouts(page, {"lever-quant": "1", "lever-spec": "1"})


def test_the_speculative_sliders_move_the_curve_and_marker(page, guard):
    goto_ready(page, PATH)
    alpha = page.get_by_label("Acceptance rate α")
    alpha.focus()
    for _ in range(10):
        alpha.press("ArrowRight")
    expect(page.locator("#alpha-out")).to_have_text("0.90")
    gamma = page.get_by_label("Draft length γ")
    gamma.focus()
    gamma.press("End")
    expected = expect_readouts(page, {"alpha": "0.9", "gamma": "16"})
    draw_all_plots(page)
    expect(page.locator("#cap-speculative")).to_have_text(expected["captions"]["speculative"])
    expect(page.locator("#tokens-per-step")).to_have_text(expected["readouts"]["tokens-per-step"]["text"])


def test_quantisation_scheme_and_model_change_memory(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Model", exact=True).select_option("llama-3.3-70b")
    expected = expect_readouts(page, {"model": "llama-3.3-70b"})
    assert expected["readouts"]["gpus"]["value"] == "2"
    page.get_by_label("Quantisation", exact=True).check()
    page.get_by_label("Scheme when the lever is on").select_option("int4")
    expected = expect_readouts(page, {"model": "llama-3.3-70b", "lever-quant": "1", "scheme": "int4"})
    assert expected["readouts"]["gpus"]["value"] == "1"


def test_bad_input_is_refused_or_clamped_with_a_message(page, guard):
    goto_ready(page, PATH)
    set_value(page, "#prefix-tokens", "9000")
    expect(page.locator("#prefix-tokens-msg")).to_contain_text("cannot be longer than the prompt")
    set_value(page, "#requests-per-day", "lots")
    expect(page.locator("#requests-per-day-msg")).to_have_text("Enter a number from 1 to 1000000000 (kept 100000).")
    set_value(page, "#price-in", "-1")
    expect(page.locator("#price-in-msg")).to_contain_text("Enter a number")
    expect_readouts(page, {"prefix-tokens": "9000"})


def test_a_link_switches_levers_on_and_reports_bad_parameters(page, guard):
    goto_ready(page, PATH + "?lever-spec=1&lever-cache=yes&gamma=40&alpha=0.7")
    expect(page.get_by_label("Speculative decoding", exact=True)).to_be_checked()
    expect(page.get_by_label("Prompt caching", exact=True)).not_to_be_checked()
    expect(page.locator("#lab-notices")).to_contain_text("Link parameter lever-cache")
    expect(page.locator("#lab-notices")).to_contain_text("Link parameter gamma")
    expect_readouts(page, {"lever-spec": "1", "gamma": "16", "alpha": "0.7"})
    expect(page).to_have_url(re.compile(r"gamma=16"))
