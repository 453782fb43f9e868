"""The Mixture-of-Experts lab in the browser, driven like a learner would drive it."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from helpers import assert_same, draw_all_plots, goto_ready, readout, set_value
from playwright.sync_api import expect

# The foundation's value-by-value comparison (floats to 1e-12); one definition for the site.

from course import moe, selfcheck, views
from course.views import mixture_of_experts as v

PATH = "lessons/mixture-of-experts.html"
PAGE = "mixture-of-experts"


def expected(**raw) -> dict:
    """What CPython computes for these control values (the page must show the same)."""
    return views.render(PAGE, {key.replace("_", "-"): value for key, value in raw.items()})["readouts"]


def expect_readouts(page, readouts: dict, keys) -> None:
    for key in keys:
        expect(page.locator(f"#{key}")).to_have_attribute("data-value", readouts[key]["value"])
        expect(page.locator(f"#{key}")).to_have_text(readouts[key]["text"])


def plot_png(page, figure: str) -> bytes:
    return page.locator(f"#plot-{figure}").screenshot()


def test_typing_a_word_routes_it_and_redraws_the_plots(page, guard):
    goto_ready(page, PATH)
    expect_readouts(page, expected(), [v.EXPERTS, v.GATES, v.BALANCE_LOSS, v.DROPPED, v.TOTAL, v.ACTIVE])
    draw_all_plots(page)
    before = {fig: plot_png(page, fig) for fig in (v.FIG_EMBEDDING, v.FIG_ROUTER, v.FIG_HEATMAP)}
    page.get_by_label("A word or a sentence").fill("router")
    expect_readouts(page, expected(word="router"), [v.EXPERTS, v.GATES, v.TOKENS, v.BALANCE_LOSS])
    expect(page.locator("#cap-router")).to_contain_text("“router”")
    expect(page.locator("#router-math")).to_contain_text("Token 1 of 1: “router”")
    expect(page.locator("#router-math")).to_contain_text(moe.token_digest("router").hex())
    for figure, png in before.items():
        assert plot_png(page, figure) != png, f"the {figure} plot did not change"


def test_moving_k_changes_the_experts_and_the_router_plot(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("A word or a sentence").fill("expert")
    expect_readouts(page, expected(word="expert"), [v.EXPERTS])
    router_before = plot_png(page, v.FIG_ROUTER)
    slider = page.locator("#top-k")
    slider.focus()
    for k in (3, 4):
        page.keyboard.press("ArrowRight")  # keyboard-operable, as a person would
        want = expected(word="expert", top_k=str(k))
        expect_readouts(page, want, [v.EXPERTS, v.GATES, v.CAPACITY])
        assert len(want[v.EXPERTS]["value"].split(",")) == k
        expect(page.locator("#top-k-out")).to_have_text(f"{k} of 8")
        expect(page.locator("#cap-router")).to_contain_text(f"top-{k}")
    assert plot_png(page, v.FIG_ROUTER) != router_before
    set_value(page, "#top-k", "1")
    expect_readouts(page, expected(word="expert", top_k="1"), [v.EXPERTS])


def test_inspecting_another_token_of_a_sentence(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("A word or a sentence").fill("alpha beta gamma")
    page.get_by_label("Token to inspect").fill("3")
    expect(page.locator("#router-math")).to_contain_text("Token 3 of 3: “gamma”")
    expect(page.locator("#token-out")).to_have_text("token 3 of 3: “gamma”")
    r = moe.route("gamma", 0, 2)
    expect(page.locator("#router-math")).to_contain_text(f"{r.probs[r.experts[0]]:.4f}")


def test_long_pasted_text_is_truncated_with_a_visible_notice(page, guard):
    goto_ready(page, PATH)
    long_text = ("Sparse experts scale parameters without scaling compute. " * 60)[:3000]
    page.get_by_label("A word or a sentence").fill(long_text)
    expect(page.locator("#word-msg")).to_have_text("Text truncated to the first 2,000 characters (it had 3,000).")
    expect(page.locator("#word")).to_have_attribute("aria-invalid", "true")
    want = expected(word=long_text)
    expect_readouts(page, want, [v.TOKENS, v.BALANCE_LOSS, v.DROPPED, v.CAPACITY])
    assert readout(page, v.TOKENS) == len(long_text[: v.MAX_CHARS].split())
    # Many short words: more than the router takes.
    page.get_by_label("A word or a sentence").fill("a " * 350)
    expect(page.locator("#word-status")).to_have_text("Routing the first 300 of 350 words (the lab's maximum is 300).")
    expect(page.locator("#word-msg")).to_be_empty()


def test_hostile_text_is_shown_as_text_and_never_run(page, guard):
    goto_ready(page, PATH)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <b>bold</b>'
    page.get_by_label("A word or a sentence").fill(hostile)
    first = hostile.split()[0]
    expect(page.locator("#router-math")).to_contain_text(f"“{first}”")
    expect_readouts(page, expected(word=hostile), [v.EXPERTS, v.TOKENS])
    assert page.locator("#router-math img, #router-math script, #router-math b, #balance-math b").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    # The URL carries the text (written once typing rests), and reloading it
    # shows it as text again.
    page.wait_for_function("new URLSearchParams(location.search).get('word') === document.getElementById('word').value")
    page.reload()
    page.wait_for_selector("html[data-py-ready=true]", state="attached")
    expect(page.locator("#word")).to_have_value(hostile)
    expect(page.locator("#router-math")).to_contain_text(f"“{first}”")
    assert page.evaluate("window.__pwned === undefined")


def test_empty_text_gives_a_friendly_prompt(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("A word or a sentence").fill("   ")
    expect(page.locator("#router-math")).to_have_text("Type a word or a sentence to watch the router pick its experts.")
    expect(page.locator("#experts")).to_have_text("–")
    expect(page.locator("#word-msg")).to_be_empty()
    page.get_by_label("A word or a sentence").fill("back")
    expect_readouts(page, expected(word="back"), [v.EXPERTS])


def test_any_unicode_is_routed_like_cpython_routes_it(page, guard):
    goto_ready(page, PATH)
    for text in ("שלום עולם", "👩🏽‍🚀 🙂", "e\u0301cole école", "東京"):
        page.get_by_label("A word or a sentence").fill(text)
        expect_readouts(page, expected(word=text), [v.EXPERTS, v.GATES, v.BALANCE_LOSS])


def test_bad_seed_k_and_capacity_are_explained_beside_the_input(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Router seed").fill("-3")
    expect(page.locator("#seed-msg")).to_have_text("-3 is below the minimum 0; using 0.")
    page.get_by_label("Router seed").fill("5")
    expect(page.locator("#seed-msg")).to_be_empty()
    expect_readouts(page, expected(seed="5"), [v.EXPERTS])
    page.get_by_label("Capacity factor").fill("0")
    expect(page.locator("#capacity-factor-msg")).to_have_text("Enter a number from 0.1 to 10 (kept 1.25).")
    expect_readouts(page, expected(seed="5"), [v.CAPACITY])
    page.get_by_label("Capacity factor").fill("2")
    expect(page.locator("#capacity-factor-msg")).to_be_empty()
    expect_readouts(page, expected(seed="5", capacity_factor="2"), [v.CAPACITY])
    expect(page.locator("#error-panel")).to_be_empty()


def test_state_round_trips_through_the_url(page, guard):
    raw = {v.WORD: "naïve experts 🙂", v.TOP_K: "3", v.SEED: "77", v.CAPACITY_FACTOR: "2", v.PRESET: "qwen3-235b-a22b"}
    goto_ready(page, PATH + "?" + urlencode(raw))
    expect(page.locator("#word")).to_have_value(raw[v.WORD])
    expect(page.locator("#top-k")).to_have_value("3")
    expect(page.locator("#seed")).to_have_value("77")
    expect(page.locator("#preset")).to_have_value("qwen3-235b-a22b")
    expect_readouts(page, expected(**{k.replace("-", "_"): val for k, val in raw.items()}), [v.EXPERTS, v.CAPACITY, v.TOTAL])
    # A change writes the state back into the URL.
    page.get_by_label("Router seed").fill("78")
    expect(page).to_have_url(re.compile(r"[?&]seed=78(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]top-k=3(&|$)"))


def test_link_parameters_out_of_range_are_reported(page, guard):
    goto_ready(page, PATH + "?top-k=20&seed=abc")
    expect(page.locator("#lab-notices")).to_contain_text("Link parameter top-k: 20 is above the maximum 8; using 8.")
    expect(page.locator("#lab-notices")).to_contain_text("Link parameter seed:")


def test_presets_and_a_custom_model(page, guard):
    goto_ready(page, PATH)
    custom = page.locator("#custom-arch")
    expect(custom).to_be_hidden()
    for key in moe.PRESETS:
        page.get_by_label("Model", exact=True).select_option(key)
        c = moe.count_parameters(moe.PRESETS[key].arch)
        expect(page.locator(f"#{v.TOTAL}")).to_have_attribute("data-value", str(c.total))
        expect(page.locator(f"#{v.ACTIVE}")).to_have_attribute("data-value", str(c.active))
        expect(page.locator("#cap-params")).to_contain_text(moe.PRESETS[key].label)
    page.get_by_label("Model", exact=True).select_option("custom")
    expect(custom).to_be_visible()
    page.get_by_label("Routed experts per layer").fill("64")
    page.get_by_label("Routed experts per token (top-K)").fill("4")
    want = views.render(PAGE, {v.PRESET: "custom", "arch-experts": "64", "arch-top-k": "4"})["readouts"]
    expect_readouts(page, want, [v.TOTAL, v.ACTIVE, v.ACTIVE_FRACTION])
    page.get_by_label("Key/value heads").fill("64")
    expect(page.locator("#custom-note")).to_have_text("KV heads (64) cannot exceed query heads; using 32.")


def test_the_page_reads_at_360_px_without_sideways_scrolling(page, guard):
    page.set_viewport_size({"width": 360, "height": 800})
    goto_ready(page, PATH)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the static pictures
    draw_all_plots(page)
    expect(page.locator("#plot-heatmap canvas").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the live figures


def test_pyodide_gives_the_same_experts_and_probabilities_as_cpython(page, guard):
    goto_ready(page, PATH)
    in_page = json.loads(page.evaluate("async () => await window.stage07.maths.self_check()"))
    in_cpython = json.loads(json.dumps(selfcheck.run()))
    names = [name for name in in_cpython if name.startswith("moe.") or name == f"view.{PAGE}"]
    assert len(names) == len(moe.SELF_CHECKS) + 1
    for name in names:
        assert_same(in_page[name], in_cpython[name], name)
    # A sentence with every kind of character, through the worker's view.
    raw = {v.WORD: "Ωmega naïve e\u0301 🙂 שלום 東京 <script>", v.TOP_K: "4", v.SEED: str(moe.SEED_MAX)}
    worker = json.loads(page.evaluate("async (raw) => await window.stage07.maths.view('mixture-of-experts', raw, 'null')", json.dumps(raw)))
    ours = json.loads(json.dumps(views.render(PAGE, raw)))
    assert_same(worker["sources"], ours["sources"], "sources")
    assert worker["panels"] == ours["panels"]
    for key, item in ours["readouts"].items():
        assert worker["readouts"][key]["text"] == item["text"]
        numbers = [[float(x) for x in r["value"].split(",") if x] for r in (worker["readouts"][key], item)]
        assert_same(numbers[0], numbers[1], f"readouts.{key}")


def test_every_plot_is_drawn_with_a_caption_of_its_current_values(page, guard):
    goto_ready(page, PATH)
    draw_all_plots(page)
    captions = views.render(PAGE, {})["captions"]
    for figure in (f["id"] for f in v.FIGURES):
        page.locator(f"#plot-{figure}").scroll_into_view_if_needed()
        expect(page.locator(f"#plot-{figure} canvas").first).to_be_visible()
        expect(page.locator(f"#cap-{figure}")).to_have_text(captions[figure])
