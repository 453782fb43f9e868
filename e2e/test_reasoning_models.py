"""The reasoning-models lab end to end, driven like a person: keyboard and
mouse on the effort slider, the problem and model selects, the profile
inputs, the streamed trace and its buttons, links with bad parameters."""

from __future__ import annotations

import re

from helpers import draw_all_plots, expect_view_readouts, goto_ready, readout, set_value
from playwright.sync_api import expect

from course import reasoning as rs
from course import views

PATH = "lessons/reasoning-models.html"
READOUTS = ("answer", "is-correct", "reasoning-tokens", "answer-tokens", "latency-s", "cost-usd")


def expect_readouts(page, raw: dict) -> dict:
    """Every read-out shows what the view computes for ``raw``."""
    return expect_view_readouts(page, "reasoning-models", raw, READOUTS)


def show_whole_trace(page):
    button = page.get_by_role("button", name="Show it all now")
    if button.is_enabled():
        button.click()
    expect(button).to_be_disabled()


def test_keyboard_moves_the_effort_and_updates_every_readout_and_the_trace(page, guard):
    goto_ready(page, PATH)
    slider = page.get_by_label("Reasoning effort")
    expect(slider).to_have_attribute("aria-valuetext", "none")
    expect_readouts(page, {})
    expect(page.locator("#trace-empty")).to_be_visible()

    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "low")
    expect(page.locator("#effort-out")).to_have_text("low")
    expected = expect_readouts(page, {"effort": "1"})
    assert readout(page, "answer") == 0.05 and readout(page, "is-correct") == 1

    show_whole_trace(page)
    expect(page.locator("#trace")).to_have_text(expected["outputs"]["trace"])
    expect(page.locator("#answer-text")).to_have_text(expected["outputs"]["answer-text"])
    # The read-outs count the text the page actually shows.
    shown_trace = page.eval_on_selector("#trace", "el => el.textContent")
    shown_answer = page.eval_on_selector("#answer-text", "el => el.textContent")
    assert readout(page, "reasoning-tokens") == rs.tokens(shown_trace)
    assert readout(page, "answer-tokens") == rs.tokens(shown_answer)

    slider.press("End")  # the button took focus: come back to the slider
    expect(slider).to_have_attribute("aria-valuetext", "high")
    expect_readouts(page, {"effort": "3"})
    slider.press("Home")
    expect(slider).to_have_attribute("aria-valuetext", "none")
    expect_readouts(page, {"effort": "0"})
    expect(page).to_have_url(re.compile(r"effort=0"))


def test_mouse_on_the_slider_updates_every_readout_and_the_trace(page, guard):
    goto_ready(page, PATH)
    slider = page.locator("#effort")
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    expect(slider).to_have_value("3")
    expected = expect_readouts(page, {"effort": "3"})
    show_whole_trace(page)
    expect(page.locator("#trace")).to_have_text(expected["outputs"]["trace"])

    # Drag back to the second tick: low (the button click may have scrolled).
    box = slider.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.34, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    expect(slider).to_have_value("1")
    expected = expect_readouts(page, {"effort": "1"})
    show_whole_trace(page)
    expect(page.locator("#trace")).to_have_text(expected["outputs"]["trace"])


def test_the_trace_streams_token_by_token_until_shown_at_once(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Model profile").select_option("sonnet-4-6")
    set_value(page, "#sonnet-4-6-speed", "20")  # slow enough to watch
    full = views.render("reasoning-models", {"effort": "3"})["outputs"]["trace"]
    set_value(page, "#effort", "3")
    status = page.locator("#trace-status")
    expect(status).to_contain_text("reasoning tokens")  # streaming has begun after the first token
    partial = page.eval_on_selector("#trace", "el => el.textContent")
    assert 0 < len(partial) < len(full) and full.startswith(partial)
    expect(page.locator("#answer-text")).to_have_text("")  # the answer comes after the thinking
    page.get_by_role("button", name="Show it all now").click()
    expect(page.locator("#trace")).to_have_text(full)
    expect(status).to_contain_text("Done")
    expect(page.locator("#answer-text")).to_contain_text("Final answer: $0.05")

    page.get_by_role("button", name="Replay").click()
    expect(page.get_by_role("button", name="Show it all now")).to_be_enabled()
    expect(page.locator("#answer-text")).to_have_text("")


def test_reduced_motion_shows_the_trace_at_once(page, guard):
    page.emulate_media(reduced_motion="reduce")
    goto_ready(page, PATH)
    set_value(page, "#sonnet-4-6-speed", "1")
    page.get_by_label("Model profile").select_option("sonnet-4-6")
    expected = views.render("reasoning-models", {"effort": "2", "problem": "widgets"})["outputs"]
    page.get_by_label("Problem").select_option("widgets")
    set_value(page, "#effort", "2")
    # At 1 token/s a stream would take minutes: only reduced motion shows it now.
    expect(page.locator("#trace")).to_have_text(expected["trace"], timeout=10_000)
    expect(page.locator("#answer-text")).to_have_text(expected["answer-text"])
    expect(page.get_by_role("button", name="Show it all now")).to_be_disabled()


def test_problem_and_model_selects_update_the_prompt_and_readouts(page, guard):
    goto_ready(page, PATH)
    page.get_by_label("Problem").select_option("jacket")
    expect(page.locator("#prompt-text")).to_contain_text("marks up an $80 jacket")
    set_value(page, "#effort", "1")
    expect_readouts(page, {"problem": "jacket", "effort": "1"})
    assert readout(page, "is-correct") == 0  # low effort taxes the wrong price
    set_value(page, "#effort", "2")
    expect_readouts(page, {"problem": "jacket", "effort": "2"})
    assert readout(page, "answer") == 82.94

    page.get_by_label("Model profile").select_option("haiku-4-5")
    expect(page.locator("#profile-haiku-4-5")).to_be_visible()
    expect(page.locator("#profile-o4-mini")).to_be_hidden()
    expect_readouts(page, {"problem": "jacket", "effort": "2", "model": "haiku-4-5"})
    expect(page.locator("#cap-models")).to_contain_text("Claude Haiku 4.5")


def test_bad_profile_input_is_refused_beside_the_input(page, guard):
    goto_ready(page, PATH)
    set_value(page, "#effort", "2")
    before = expect_readouts(page, {"effort": "2"})
    speed = page.get_by_label("Output tokens per second (assumed)").and_(page.locator("#o4-mini-speed"))
    for bad in ("", "0", "-4", "fast"):
        if bad == "fast":
            set_value(page, "#o4-mini-speed", bad)  # a number box cannot be typed into with letters
        else:
            speed.fill(bad)
        message = page.locator("#o4-mini-speed-msg")
        expect(message).to_contain_text("Enter a number from 1 to 5000 (kept 120)")
        expect(page.locator("#o4-mini-speed")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#latency-s")).to_have_attribute("data-value", before["readouts"]["latency-s"]["value"])
    page.locator("#o4-mini-speed").fill("240")
    expect(page.locator("#o4-mini-speed-msg")).to_be_hidden()
    expect_readouts(page, {"effort": "2", "o4-mini-speed": "240"})


def test_link_parameters_are_clamped_and_the_state_round_trips(page, guard):
    goto_ready(page, PATH + "?effort=7&problem=lily-pads&model=%3Cb%3Ex%3C%2Fb%3E&o4-mini-ttft=-1")
    notices = page.locator("#lab-notices")
    expect(notices).to_contain_text("Link parameter effort: 7 is above the maximum 3; using 3.")
    expect(notices).to_contain_text("Link parameter model: '<b>x</b>' is not one of")
    expect(notices.locator("b")).to_have_count(0)  # shown as text, never markup
    expect(page.locator("#effort")).to_have_value("3")
    expect_readouts(page, {"effort": "3", "problem": "lily-pads"})
    assert readout(page, "answer") == 47
    for param in ("effort=3", "problem=lily-pads", "model=o4-mini", "o4-mini-ttft=1"):
        expect(page).to_have_url(re.compile(rf"[?&]{param}(&|$)"))


def test_every_plot_is_drawn_with_a_caption(page, guard):
    goto_ready(page, PATH)
    draw_all_plots(page)  # live figures, drawn as they near the viewport (lab.py)
    for figure in ("effort-tokens", "effort-latency", "effort-cost", "models", "evidence"):
        expect(page.locator(f"#plot-{figure}[data-drawn=true] canvas").first).to_be_attached()
        expect(page.locator(f"#cap-{figure}")).not_to_be_empty()
    expect(page.locator("#cap-evidence")).to_contain_text("15.6% to 71.0%")
