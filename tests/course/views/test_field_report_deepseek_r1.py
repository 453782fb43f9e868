"""The field-report view: read-outs from course.grpo, the all-equal group,
bad input, the URL round trip, and the page's cited numbers against the
modules that hold them."""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path

import pytest

from course import deepseek_r1 as r1
from course import grpo, reasoning, views
from course.views import field_report_deepseek_r1 as fr

PAGE = "field-report-deepseek-r1"
HTML = (Path(__file__).resolve().parents[3] / "lessons" / f"{PAGE}.html").read_text()
# The page's text without tags or entities, whitespace collapsed (prose wraps lines).
TEXT = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", HTML)).split())


def value(result, key):
    return float(result["readouts"][key]["value"])


def test_default_readouts_come_from_the_grpo_module():
    result = views.render(PAGE, {})
    rewards = list(fr.DEFAULT_REWARDS[: fr.DEFAULT_G])
    adv = grpo.advantages(rewards)
    for i, a in enumerate(adv, start=1):
        assert value(result, fr.advantage_id(i)) == a
        assert value(result, fr.term_id(i)) == grpo.clipped_objective(1.3, a, 0.2)
    assert fr.advantage_id(fr.DEFAULT_G + 1) not in result["readouts"]
    assert value(result, fr.MEAN) == grpo.mean(rewards)
    assert value(result, fr.STD) == grpo.std(rewards)
    assert value(result, fr.KL) == 0.04 * grpo.kl_estimate(1 / 1.3)
    assert value(result, fr.OBJECTIVE) == grpo.objective(rewards, [1.3] * 6, 0.2, 0.04, [1 / 1.3] * 6)
    assert value(result, fr.CLIPPED) == 2  # the two best answers, ρ = 1.3 > 1 + ε
    assert result["readouts"][fr.term_id(1)]["text"].endswith("(clipped)")
    assert result["show"] == {fr.row_id(i): i <= 6 for i in range(1, 9)}
    json.dumps(result, allow_nan=False)


def test_setting_rewards_moves_the_advantages():
    result = views.render(PAGE, {"group-size": "4", "reward-1": "2", "reward-2": "0", "reward-3": "0", "reward-4": "0"})
    assert [value(result, fr.advantage_id(i)) for i in range(1, 5)] == grpo.advantages([2.0, 0.0, 0.0, 0.0])
    assert value(result, fr.advantage_id(1)) == pytest.approx(3 ** 0.5)
    assert result["sources"][fr.SRC_ADV][fr.ANSWER] == [1, 2, 3, 4]
    assert "answer 1 1.73" in result["captions"][fr.FIG_ADV]


@pytest.mark.parametrize("norm", grpo.NORMALISATIONS)
def test_each_normalisation(norm):
    result = views.render(PAGE, {"normalisation": norm})
    rewards = list(fr.DEFAULT_REWARDS[:6])
    assert [value(result, fr.advantage_id(i)) for i in range(1, 7)] == grpo.advantages(rewards, norm)


def test_all_equal_rewards_give_zero_advantages_and_say_so():
    raw = {f"reward-{i}": "1" for i in range(1, 9)}
    result = views.render(PAGE, raw)
    assert all(value(result, fr.advantage_id(i)) == 0 for i in range(1, 7))
    assert value(result, fr.STD) == 0
    note = result["panels"][fr.NOTE][0]["text"]
    assert "All 6 rewards are equal" in note and "every advantage is 0" in note
    panel = " ".join(block.get("text", "") for block in result["panels"][fr.MATH])
    assert "every A_i = 0" in panel
    assert value(result, fr.CLIPPED) == 0
    # Only the KL term is left.
    assert value(result, fr.OBJECTIVE) == pytest.approx(-value(result, fr.KL))


def test_the_clip_curve_and_marker():
    result = views.render(PAGE, {"epsilon": "0.1", "ratio": "0.7"})
    src = result["sources"][fr.SRC_CLIP]
    assert src[fr.RHO][0] == 0.5 and src[fr.RHO][-1] == 1.5
    assert max(src[fr.POS]) == pytest.approx(1.1) and min(src[fr.NEG]) == pytest.approx(-1.5)
    assert result["sources"][fr.SRC_CLIP_HERE] == {fr.RHO: [0.7], fr.POS: [0.7], fr.NEG: [-0.9]}
    assert "Marked at ρ = 0.70: 0.70 for A = +1 and −0.90 for A = −1" in result["captions"][fr.FIG_CLIP]


def test_the_kl_penalty_vanishes_at_ratio_one():
    result = views.render(PAGE, {"ratio": "1"})
    assert value(result, fr.KL) == 0 and value(result, fr.CLIPPED) == 0
    assert abs(value(result, fr.OBJECTIVE)) < 1e-15


def test_out_of_range_input_is_clamped_with_a_message():
    result = views.render(PAGE, {"reward-2": "7", "group-size": "12", "epsilon": "-1", "ratio": "abc",
                                 "normalisation": "<b>median</b>"})
    notes, state = result["notices"], result["state"]
    assert notes["reward-2"] == "7 is above the maximum 2; using 2." and state["reward-2"] == 2.0
    assert "above the maximum 8" in notes["group-size"] and state["group-size"] == 8
    assert "below the minimum 0" in notes["epsilon"] and state["epsilon"] == 0.0
    assert "is not a number" in notes["ratio"] and state["ratio"] == 1.3
    assert "is not one of population, sample, none" in notes["normalisation"]
    assert len(result["readouts"]) == 5 + 2 * 8


def test_state_round_trips_through_the_url_query():
    raw = {"group-size": "5", "reward-3": "1.7", "normalisation": "sample", "epsilon": "0.33", "ratio": "0.62",
           "beta": "0.1"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["readouts"] == first["readouts"]


def test_html_controls_hide_the_answers_beyond_the_default_group():
    for i in range(1, 9):
        tag = re.search(rf'<div class="control" id="{fr.row_id(i)}"( hidden)?>', HTML)
        assert tag and bool(tag.group(1)) == (i > fr.DEFAULT_G)


# ------------------------------------------------------------------ the page's numbers


def test_r1_zero_numbers_are_those_of_the_reasoning_lab():
    assert (r1.R1_ZERO_AIME_START, r1.R1_ZERO_AIME_END, r1.R1_ZERO_AIME_CONS64) == (15.6, 71.0, 86.7)
    for n in (r1.R1_ZERO_AIME_START, r1.R1_ZERO_AIME_END, r1.R1_ZERO_AIME_CONS64):
        assert f"{n:.1f}%" in TEXT
    assert "from 15.6% at the start of RL to 71.0% at the end" in TEXT
    assert "86.7% with a majority vote over 64 samples (cons@64, Table 2)" in TEXT


def test_headline_scores_are_on_the_page_with_their_table():
    assert "DeepSeek-R1, arXiv 2501.12948, Table 4" in TEXT
    for score in r1.R1_HEADLINE:
        assert score.source == "Table 4"
        assert re.search(rf"{re.escape(score.benchmark)} {re.escape(score.metric)}[^|]*? {re.escape(score.text)}", TEXT), score
    assert r1.R1_HEADLINE[0].value == reasoning.evidence("DeepSeek-R1").percent


def test_distilled_rows_match_table_5_and_the_reasoning_module():
    assert "Table 5" in TEXT
    for d in r1.DISTILLED:
        assert f"{d.name} {d.base} {d.aime_2024:.1f} {d.math_500:.1f}" in TEXT
        assert d.aime_2024 == reasoning.evidence(d.name).percent
    assert [d.math_500 for d in r1.DISTILLED] == [83.9, 92.8, 93.9, 94.3, 89.1, 94.5]


def test_pipeline_sample_counts_are_on_the_page():
    assert r1.SFT_REASONING_SAMPLES + r1.SFT_NON_REASONING_SAMPLES == r1.SFT_SAMPLES
    for n in (r1.SFT_REASONING_SAMPLES, r1.SFT_NON_REASONING_SAMPLES, r1.SFT_SAMPLES):
        assert f"about {n // 1000}k" in TEXT


def test_hyper_parameter_defaults_are_the_cited_ones():
    assert fr.CONTROLS[fr.EPSILON].default == grpo.PPO_EPSILON and "ε = 0.2, PPO" in TEXT
    assert fr.CONTROLS[fr.BETA].default == grpo.DEEPSEEKMATH_BETA and "β = 0.04, the KL weight" in TEXT


def test_the_page_links_the_reasoning_lab_and_the_exercise():
    assert 'href="reasoning-models.html"' in HTML and 'href="exercise.html"' in HTML
    assert 'src="../py/pages/field_report_deepseek_r1.py"' in HTML


def test_an_update_is_fast():
    views.render(PAGE, {})
    started = time.perf_counter()
    for k in range(20):
        views.render(PAGE, {"group-size": "8", "ratio": str(0.5 + k / 20), "reward-4": str(k / 10)})
    assert (time.perf_counter() - started) / 20 < 0.016


def test_the_aime_plot_draws_only_published_points():
    result = views.render(PAGE, {})
    src = result["sources"][fr.SRC_AIME]
    assert src[fr.SCORE] == [15.6, 71.0, 86.7, 79.8]
    published = {item.percent for item in reasoning.EVIDENCE}
    assert set(src[fr.SCORE]) <= published
    assert "no curve between them" in result["captions"][fr.FIG_AIME]
    assert 'id="plot-r1-zero-aime"' in HTML
