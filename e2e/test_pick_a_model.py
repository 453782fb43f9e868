"""The pick-a-model lab end to end, driven like a person: weight sliders by
keyboard, constraint selects, number boxes with bad input, links with state."""

from __future__ import annotations

import re

from helpers import draw_all_plots, expect_view_readouts, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect


PATH = "lessons/pick-a-model.html"
READOUTS = ("top-model", "top-score", "top-memory", "top-gpus", "candidates", "excluded-count")


def expect_readouts(page, raw: dict) -> dict:
    return expect_view_readouts(page, "pick-a-model", raw, READOUTS)


def test_weights_by_keyboard_rerank_and_show_the_computation(page, guard):
    goto_ready(page, PATH)
    expected = expect_readouts(page, {})
    expect(page.locator("#computation p").first).to_have_text(expected["panels"]["computation"][0]["text"])
    slider = page.get_by_label("Licence freedom")
    slider.focus()
    slider.press("End")
    expected = expect_readouts(page, {"w-licence": "10"})
    expect(page.locator("#computation p").first).to_have_text(expected["panels"]["computation"][0]["text"])
    quality = page.get_by_label("Quality (MMLU)")
    quality.focus()
    quality.press("Home")
    expect_readouts(page, {"w-licence": "10", "w-quality": "0"})
    draw_all_plots(page)
    expect(page.locator("#cap-scores")).to_contain_text("best first: 1.")
    wait_for_url_state(page)
    assert "w-licence=10" in page.url and "w-quality=0" in page.url


def test_constraints_exclude_and_readmit_models(page, guard):
    goto_ready(page, PATH)
    expect(page.locator("#excluded")).to_contain_text("Mistral Large 2")
    page.get_by_label("Commercial use").select_option("not-required")
    expect_readouts(page, {"commercial": "not-required"})
    expect(page.locator("#excluded")).to_contain_text("No model is excluded")
    page.get_by_label("Context you need (tokens)").select_option("1048576")
    expected = expect_readouts(page, {"commercial": "not-required", "context-need": "1048576"})
    assert expected["readouts"]["top-model"]["text"] == "Llama 4 Scout 17B-16E Instruct"
    page.get_by_label("Where it runs").select_option("device")
    expect(page.locator("#device-box")).to_be_visible()
    expect(page.locator("#server-box")).to_be_hidden()
    expect(page.locator("#top-model")).to_have_text("none fits")
    expect(page.locator("#computation")).to_contain_text("relax one")


def test_precision_changes_the_serving_memory_in_the_matrix(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Weight precision").select_option("q4_k")
    expected = expect_readouts(page, {"precision": "q4_k"})
    first_row = expected["panels"]["matrix"][0]["rows"][0]
    expect(page.locator("#matrix tbody tr").first).to_contain_text(first_row[-1])
    draw_all_plots(page)
    expect(page.locator("#cap-memory")).to_contain_text("Q4_K")


def test_bad_numbers_are_refused_beside_the_box(page, guard):
    goto_ready(page, PATH)
    before = readout(page, "top-score")
    for bad in ("", "0", "-4", "1e9"):
        set_value(page, "#gpu-memory", bad)
        expect(page.locator("#gpu-memory-msg")).to_have_text("Enter a number from 1 to 1000 (kept 80).")
        expect(page.locator("#gpu-memory")).to_have_attribute("aria-invalid", "true")
    assert readout(page, "top-score") == before
    set_value(page, "#gpu-memory", "24")
    expect(page.locator("#gpu-memory-msg")).to_have_text("")
    expect_readouts(page, {"gpu-memory": "24"})


def test_a_link_restores_the_state_and_reports_bad_parameters(page, guard):
    goto_ready(page, PATH + "?w-cost=9&precision=int4&deploy=device&device-memory=24&w-latency=77")
    expect(page.get_by_label("Weight precision")).to_have_value("int4")
    expect(page.locator("#device-box")).to_be_visible()
    expect(page.locator("#lab-notices")).to_contain_text("Link parameter w-latency")
    expect_readouts(page, {"w-cost": "9", "precision": "int4", "deploy": "device", "device-memory": "24", "w-latency": "10"})
    expect(page).to_have_url(re.compile(r"w-latency=10"))
