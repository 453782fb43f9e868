"""The field report's GRPO lab end to end: rewards set like a person would
(keyboard on a slider, a typed value), advantages that match course.grpo,
an all-equal group, a larger group, and a link with out-of-range values."""

from __future__ import annotations

import re

from helpers import draw_all_plots, expect_view_readouts, goto_ready, readout, set_value, wait_for_url_state
from playwright.sync_api import expect

from course import grpo, views
from course.views import field_report_deepseek_r1 as fr

PATH = "lessons/field-report-deepseek-r1.html"
PAGE = "field-report-deepseek-r1"


def expect_view(page, raw: dict) -> dict:
    """Every read-out on the page is the view's for ``raw``."""
    return expect_view_readouts(page, PAGE, raw)


def advantages_on_page(page, g: int) -> list[float]:
    return [readout(page, fr.advantage_id(i)) for i in range(1, g + 1)]


def test_setting_rewards_by_keyboard_updates_the_advantages(page, guard):
    goto_ready(page, PATH)
    expect_view(page, {})
    reward = page.get_by_label("Answer 3: reward")
    reward.focus()
    reward.press("End")  # answer 3 goes from wrong (0) to right and well formatted (2)
    expect(page.locator("#reward-3-out")).to_have_text("2.0")
    rewards = [2.0, 1.0, 2.0, 2.0, 1.0, 0.0]
    moved = views.render(PAGE, {"reward-3": "2"})["readouts"]["advantage-3"]["value"]
    expect(page.locator("#advantage-3")).to_have_attribute("data-value", moved)
    ours = advantages_on_page(page, 6)
    assert ours == grpo.advantages(rewards)
    assert abs(sum(ours)) < 1e-12 and ours[2] > 0
    reward.press("ArrowLeft")
    expected = expect_view(page, {"reward-3": "1.9"})
    draw_all_plots(page)
    expect(page.locator("#cap-advantages")).to_have_text(expected["captions"]["advantages"])
    expect(page.locator("#grpo-math")).to_contain_text("A_3 = (1.9 − ")
    wait_for_url_state(page)
    assert "reward-3=1.9" in page.url


def test_all_equal_rewards_give_zero_advantages_and_the_message(page, guard):
    goto_ready(page, PATH)
    for i in range(1, 7):
        set_value(page, f"#reward-{i}", "1")
    raw = {f"reward-{i}": "1" for i in range(1, 7)}
    expect_view(page, raw)
    assert advantages_on_page(page, 6) == [0.0] * 6
    expect(page.locator("#group-note")).to_contain_text("All 6 rewards are equal (1.0), so std = 0 and every advantage is 0")
    expect(page.locator("#grpo-math")).to_contain_text("every A_i = 0")
    # One answer right again: the group teaches something.
    page.get_by_label("Answer 2: reward").press("End")
    expect(page.locator("#group-note")).to_contain_text("Above the group mean")
    assert readout(page, "advantage-2") > 0


def test_a_larger_group_shows_more_answers_and_the_update_settings_apply(page, guard):
    goto_ready(page, PATH)
    expect(page.locator("#answer-8")).to_be_hidden()
    size = page.get_by_label("Group size G")
    size.focus()
    size.press("End")
    expect(page.locator("#answer-8")).to_be_visible()
    page.get_by_label("Divide r").select_option("sample")
    set_value(page, "#ratio", "0.7")
    expected = expect_view(page, {"group-size": "8", "normalisation": "sample", "ratio": "0.7"})
    rewards = list(fr.DEFAULT_REWARDS)
    assert advantages_on_page(page, 8) == grpo.advantages(rewards, grpo.SAMPLE)
    # ρ = 0.7 < 1 − ε: every answer below the mean (A < 0) is clipped, the others are not.
    assert readout(page, "clipped-count") == sum(a < 0 for a in grpo.advantages(rewards, grpo.SAMPLE)) == 5
    assert expected["readouts"]["surrogate-3"]["text"].endswith("(clipped)")
    expect(page.locator("#ratio-out")).to_have_text("0.70")


def test_an_out_of_range_link_is_clamped_with_a_notice(page, guard):
    goto_ready(page, PATH + "?reward-1=9&group-size=1&epsilon=0.9&normalisation=median")
    for line in ("reward-1: 9 is above the maximum 2; using 2.", "group-size: 1 is below the minimum 2; using 2.",
                 "epsilon: 0.9 is above the maximum 0.5; using 0.5.", "normalisation: 'median' is not one of"):
        expect(page.locator("#lab-notices")).to_contain_text("Link parameter " + line)
    expect(page.locator("#reward-1-msg")).to_have_text("9 is above the maximum 2; using 2.")
    expect(page.locator("#reward-1")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#answer-3")).to_be_hidden()
    expect_view(page, {"reward-1": "2", "group-size": "2", "epsilon": "0.5"})
    expect(page).to_have_url(re.compile(r"group-size=2"))
