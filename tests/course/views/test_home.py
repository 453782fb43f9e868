import math

import pytest

from course import views
from course.views import home


def test_default_view_is_chinchillas_budget():
    result = views.render("home", {})
    assert float(result["readouts"]["home-params"]["value"]) == pytest.approx(math.sqrt(10**23.77 / 120))
    assert result["query"] is None


def test_slider_value_flows_to_every_readout():
    result = views.render("home", {home.BUDGET: "24"})
    n = float(result["readouts"]["home-params"]["value"])
    assert n == pytest.approx(math.sqrt(1e24 / 120), rel=1e-12)
    assert float(result["readouts"]["home-tokens"]["value"]) == pytest.approx(20 * n, rel=1e-12)
    assert result["sources"][home.HERE] == {home.FLOPS: [1e24], home.PARAMS: [n]}


def test_out_of_range_budget_is_clamped_with_a_notice():
    result = views.render("home", {home.BUDGET: "40"})
    assert result["state"][home.BUDGET] == 26.0
    assert "above the maximum 26" in result["notices"][home.BUDGET]


def test_caption_states_the_current_values():
    caption = views.render("home", {home.BUDGET: "24"})["captions"]["home-size"]
    assert "1.00 × 10²⁴ FLOP" in caption and "parameters" in caption


def test_unknown_page_is_refused():
    with pytest.raises(ValueError, match="unknown page 'nope'"):
        views.render("nope", {})


def test_self_check_progress_is_shown_only_when_there_is_some():
    from course import quiz

    result = views.render("home", {})
    assert result["show"] == {home.SELF_CHECK_PROGRESS: False, home.SELF_CHECK_ABILITIES: False}
    stored = quiz.progress_text({"moe-why": {"correct": True, "seed": 1}, "tokens-why": {"correct": False, "seed": 1}})
    result = views.render("home", {home.PROGRESS: stored})
    assert result["show"][home.SELF_CHECK_PROGRESS] is True
    assert result["outputs"][home.SELF_CHECK_PROGRESS] == "Self-check: 2 of 12 answered, 1 correct"
    assert "MoE 1/3 ·" in result["outputs"][home.SELF_CHECK_ABILITIES]


def test_corrupt_self_check_progress_shows_nothing():
    for stored in ("{", "[]", "x" * 50_000, '{"v": 1, "answers": {"moe-why": 1}}'):
        result = views.render("home", {home.PROGRESS: stored})
        assert result["show"][home.SELF_CHECK_PROGRESS] is False
