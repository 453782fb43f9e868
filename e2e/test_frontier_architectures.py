"""The frontier-architectures planner end to end, driven like a person: type a
budget, pick a use case, slide the serving volume with the keyboard, open a
link with out-of-range parameters, and follow the links to the labs it
points to."""

from __future__ import annotations

import re

from helpers import draw_all_plots, expect_view_readouts, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect

PATH = "lessons/frontier-architectures.html"
PAGE = "frontier-architectures"
READOUTS = ("rec-params", "rec-total-params", "rec-tokens", "rec-tokens-per-param", "train-cost", "reasoning", "moe",
            "context-tokens", "precision-bits", "memory-need", "decode-tps", "lifetime-flops",
            "chinchilla-lifetime-flops", "lifetime-saving", "budget-flops")


def expect_readouts(page, raw: dict) -> dict:
    """Every read-out shows what the pure view computes for ``raw``."""
    return expect_view_readouts(page, PAGE, raw, READOUTS)


def test_default_plan_and_tables_are_shown(page, guard):
    goto_ready(page, PATH)
    expected = expect_readouts(page, {})
    expect(page.locator("#plan-table tbody tr")).to_have_count(len(expected["panels"]["plan-table"][0]["rows"]))
    expect(page.locator("#frontier-table tbody tr")).to_have_count(5)
    expect(page.locator("#frontier-table")).to_contain_text("DeepSeek-V3")
    draw_all_plots(page)
    expect(page.locator("#cap-lifetime")).to_have_text(expected["captions"]["lifetime"])


def test_typing_a_budget_updates_the_plan(page, guard):
    goto_ready(page, PATH)
    before = readout(page, "rec-params")
    box = page.get_by_label("Training budget", exact=True)
    box.fill("1000")
    expect_readouts(page, {"budget": "1000"})
    assert readout(page, "rec-params") < before
    # 10 T served tokens dwarf a $1,000 run: the plan over-trains and outspends the budget.
    assert readout(page, "rec-tokens-per-param") > 100 and readout(page, "train-cost") > 1000
    wait_for_url_state(page)
    assert "budget=1000" in page.url


def test_a_budget_in_flops(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Budget in", exact=True).select_option("flops")
    page.get_by_label("Training budget", exact=True).fill("1e24")
    expected = expect_readouts(page, {"budget-unit": "flops", "budget": "1e24"})
    assert expected["notices"] == {}
    expect(page.locator("#budget-flops")).to_have_text("1.00 × 10²⁴ FLOP")
    page.get_by_label("Training budget", exact=True).fill("1e30")
    expect(page.locator("#budget-msg")).to_contain_text("using 7.12 × 10²⁷ FLOP")


def test_on_device_use_case_gives_a_small_dense_four_bit_model(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Use case", exact=True).select_option("on-device")
    page.get_by_label("Serving memory per replica (GB)").fill("8")
    expect_readouts(page, {"use-case": "on-device", "replica-memory-gb": "8"})
    expect(page.locator("#moe")).to_have_text("dense")
    expect(page.locator("#precision-bits")).to_have_text("INT4, 4-bit groups of 128")
    assert readout(page, "memory-need") <= 8e9
    expect(page.locator("#plan-table")).to_contain_text("hybrid")


def test_maths_turns_reasoning_on(page, guard):
    goto_ready(page, PATH)
    expect(page.locator("#reasoning")).to_have_text("off")
    page.get_by_label("Use case", exact=True).select_option("maths")
    expect_readouts(page, {"use-case": "maths"})
    expect(page.locator("#reasoning")).to_have_text("on")
    expect(page.locator("#plan-table")).to_contain_text("thinking tokens")


def test_sliding_the_serving_volume_by_keyboard_over_trains_the_model(page, guard):
    goto_ready(page, PATH)
    chinchilla_tpp = readout(page, "rec-tokens-per-param")
    slider = page.get_by_label("Tokens served over the model's life")
    slider.focus()
    for _ in range(30):
        slider.press("ArrowRight")
    expect(page.locator("#log-served-tokens-out")).to_contain_text("(10^16.0)")
    expected = expect_readouts(page, {"log-served-tokens": "16"})
    assert readout(page, "rec-tokens-per-param") > 10 * chinchilla_tpp
    assert readout(page, "lifetime-flops") < readout(page, "chinchilla-lifetime-flops")
    expect(page.locator("#moe")).to_have_text(expected["readouts"]["moe"]["text"])
    draw_all_plots(page)
    expect(page.locator("#cap-lifetime")).to_have_text(expected["captions"]["lifetime"])


def test_out_of_range_link_parameters_are_clamped_with_a_notice(page, guard):
    goto_ready(page, PATH + "?budget=5&log-served-tokens=99&use-case=poetry")
    notices = page.locator("#lab-notices")
    expect(notices).to_contain_text("Link parameter budget")
    expect(notices).to_contain_text("Link parameter log-served-tokens")
    expect(notices).to_contain_text("Link parameter use-case")
    expect(page.locator("#budget-msg")).to_have_text("5 is outside 1000 to 1e+30; using 1000.")
    expect(page.get_by_label("Training budget", exact=True)).to_have_value("1000")
    expect_readouts(page, {"budget": "1000", "log-served-tokens": "17", "use-case": "chat"})
    expect(page).to_have_url(re.compile(r"budget=1000"))


def test_typed_nonsense_in_the_budget_is_explained(page, guard):
    goto_ready(page, PATH)
    set_value(page, "#budget", "-20")
    expect(page.locator("#budget-msg")).to_have_text("-20 is outside 1000 to 1e+30; using 1000.")
    expect_readouts(page, {"budget": "-20"})


def test_links_to_pick_a_model_and_cost_and_latency_resolve(page, guard):
    goto_ready(page, PATH)
    for href in ("pick-a-model.html", "cost-and-latency.html"):
        links = page.locator(f"main a[href='{href}']")
        assert links.count() >= 1
        response = page.request.get(page.url.split("?")[0].rsplit("/", 1)[0] + "/" + href)
        assert response.status == 200
    page.locator("main .prose a[href='pick-a-model.html']").last.click()
    expect(page).to_have_url(re.compile(r"lessons/pick-a-model\.html"))
    goto_ready(page, PATH)
    page.locator("main .prose a[href='cost-and-latency.html']").last.click()
    expect(page).to_have_url(re.compile(r"lessons/cost-and-latency\.html"))
    page.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=30_000)
