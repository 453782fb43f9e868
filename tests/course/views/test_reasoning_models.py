"""The reasoning-models view: read-outs equal the module's numbers for the text
shown, bad input is refused or clamped with a message, captions state the
current values."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from course import reasoning as rs
from course import views
from course.views import reasoning_models as v

PAGE = "reasoning-models"
ROOT = Path(__file__).resolve().parents[3]


def render(raw=None, previous=None):
    return views.render(PAGE, raw or {}, previous)


def value(result, key) -> float:
    return float(result["readouts"][key]["value"])


def test_default_is_bat_and_ball_at_no_effort_with_the_intuitive_wrong_answer():
    result = render()
    assert result["state"][v.EFFORT] == 0 and result["state"][v.PROBLEM] == "bat-and-ball"
    assert value(result, v.ANSWER) == 0.10 and value(result, v.IS_CORRECT) == 0
    assert value(result, v.REASONING_TOKENS) == 0
    assert result["show"] == {**result["show"], v.TRACE: False, v.TRACE_EMPTY: True}


def test_low_effort_flips_the_answer():
    result = render({v.EFFORT: "1"})
    assert value(result, v.ANSWER) == 0.05 and value(result, v.IS_CORRECT) == 1
    assert result["readouts"][v.ANSWER]["text"] == "$0.05"
    assert result["outputs"][v.EFFORT_OUT] == "low"


@pytest.mark.parametrize("problem", list(rs.PROBLEMS))
@pytest.mark.parametrize("effort", range(4))
def test_token_readouts_count_the_text_shown(problem, effort):
    result = render({v.EFFORT: str(effort), v.PROBLEM: problem})
    outputs = result["outputs"]
    assert value(result, v.REASONING_TOKENS) == rs.tokens(outputs[v.TRACE])
    assert value(result, v.ANSWER_TOKENS) == rs.tokens(outputs[v.ANSWER_TEXT])
    assert value(result, v.INPUT_TOKENS) == rs.tokens(outputs[v.PROMPT_TEXT])
    assert value(result, v.ANSWER) == rs.graded_answer(outputs[v.ANSWER_TEXT])
    assert result["stream"]["ends"] == list(rs.token_ends(outputs[v.TRACE]))


def test_latency_and_cost_use_the_selected_profiles_edited_values():
    raw = {v.EFFORT: "3", v.MODEL: "sonnet-4-6", "sonnet-4-6-price-in": "2", "sonnet-4-6-price-out": "10",
           "sonnet-4-6-ttft": "0.25", "sonnet-4-6-speed": "50"}
    result = render(raw)
    a = rs.attempt("bat-and-ball", 3)
    assert value(result, v.LATENCY) == pytest.approx(0.25 + a.output_tokens / 50)
    assert value(result, v.COST) == pytest.approx((a.input_tokens * 2 + a.output_tokens * 10) / 1e6)
    assert result["show"][v.profile_box("sonnet-4-6")] and not result["show"][v.profile_box("o4-mini")]


def test_effort_sources_hold_every_level_and_highlight_the_current_one():
    result = render({v.EFFORT: "2", v.PROBLEM: "jacket"})
    levels = result["sources"][v.FIG_LATENCY]
    assert levels[v.LEVEL] == list(rs.EFFORTS)
    assert levels[v.SECONDS][2] == value(result, v.LATENCY)
    assert [c == v._HIGHLIGHT for c in levels[v.COLOUR]] == [False, False, True, False]
    assert result["sources"][v.FIG_COST][v.DOLLARS_PER_K][2] == pytest.approx(1000 * value(result, v.COST))
    assert levels[v.SECONDS] == sorted(levels[v.SECONDS])


def test_the_unchanging_evidence_travels_with_the_default_view_only():
    first, later = render(), render({v.EFFORT: "1"})
    assert first["sources"][v.PUBLISHED][v.SCORE] == [e.percent for e in rs.EVIDENCE]
    assert v.EVIDENCE_TABLE in first["panels"]
    assert v.PUBLISHED not in later["sources"] and v.EVIDENCE_TABLE not in later["panels"]


def test_model_comparison_prices_the_same_tokens_on_every_profile():
    result = render({v.EFFORT: "1", "haiku-4-5-speed": "300"})
    models = result["sources"][v.BY_MODEL]
    a = rs.attempt("bat-and-ball", 1)
    assert models[v.MODEL_LABEL] == [p.label for p in rs.PROFILES.values()]
    assert models[v.SECONDS][0] == pytest.approx(0.5 + a.output_tokens / 300)
    assert models[v.DOLLARS][1] == pytest.approx((a.input_tokens * 3 + a.output_tokens * 15) / 1e6)
    assert [c == v._HIGHLIGHT for c in models[v.COLOUR]] == [False, False, True]  # o4-mini is selected


@pytest.mark.parametrize("bad", ["", "0", "-3", "abc", "1e9", "nan"])
def test_bad_profile_input_keeps_the_last_valid_value_with_a_message(bad):
    first = render({"o4-mini-speed": "200"})
    second = render({"o4-mini-speed": bad}, first["state"])
    assert second["state"]["o4-mini-speed"] == 200
    assert "Enter a number from 1 to 5000 (kept 200)" in second["notices"]["o4-mini-speed"]
    assert second["readouts"][v.LATENCY] == first["readouts"][v.LATENCY]


@pytest.mark.parametrize(
    "raw, key, expected, message",
    [
        ({v.EFFORT: "9"}, v.EFFORT, 3, "above the maximum 3"),
        ({v.EFFORT: "-2"}, v.EFFORT, 0, "below the minimum 0"),
        ({v.EFFORT: "1.5"}, v.EFFORT, 2, "not a whole number"),
        ({v.EFFORT: "<b>x</b>"}, v.EFFORT, 0, "not a whole number"),
        ({v.PROBLEM: "<script>alert(1)</script>"}, v.PROBLEM, "bat-and-ball", "is not one of"),
        ({v.MODEL: "gpt-9"}, v.MODEL, "o4-mini", "is not one of"),
    ],
)
def test_url_parameters_are_clamped_with_a_notice(raw, key, expected, message):
    result = render(raw)
    assert result["state"][key] == expected
    assert message in result["notices"][key]
    assert result["query"][key] == str(expected)


def test_state_round_trips_through_the_query():
    first = render({v.EFFORT: "2", v.PROBLEM: "lily-pads", v.MODEL: "haiku-4-5", "haiku-4-5-price-out": "7.5"})
    again = render(first["query"])
    assert again["state"] == first["state"] and again["readouts"] == first["readouts"]


def test_captions_state_the_current_values():
    result = render({v.EFFORT: "3", v.PROBLEM: "widgets"})
    a = rs.attempt("widgets", 3)
    assert f"high {a.output_tokens:,}" in result["captions"][v.FIG_TOKENS]
    assert "Highlighted: high" in result["captions"][v.FIG_LATENCY]
    assert result["readouts"][v.LATENCY]["text"] in result["captions"][v.FIG_LATENCY]
    assert "15.6%" in result["captions"][v.FIG_EVIDENCE] and "71.0%" in result["captions"][v.FIG_EVIDENCE]
    assert "Fastest: " in result["captions"][v.FIG_MODELS]


def test_takeaway_names_the_cheapest_right_level():
    texts = [block["text"] for block in render({v.PROBLEM: "jacket"})["panels"][v.TAKEAWAY]]
    assert any("cheapest level that gets it right is medium" in t for t in texts)
    texts = [block["text"] for block in render()["panels"][v.TAKEAWAY]]
    assert any("cheapest level that gets it right is low" in t for t in texts)


def test_every_figure_source_exists_and_belongs_to_one_figure():
    """BokehJS refuses a data source shared by two figures (two documents)."""
    result = render()  # the default view: the one the page draws first
    owners = {}
    for figure in v.FIGURES:
        for glyph in figure["glyphs"]:
            assert glyph["source"] in result["sources"]
            owners.setdefault(glyph["source"], set()).add(figure["id"])
    assert all(len(figs) == 1 for figs in owners.values()), owners


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.controls = set(), {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])
        if "data-control" in a:
            self.controls[a["id"]] = a


def test_every_control_has_a_label_and_a_message_slot():
    html = (ROOT / "lessons" / "reasoning-models.html").read_text()
    parser = _Labels()
    parser.feed(html)
    assert set(parser.controls) == set(v.CONTROLS)
    for control_id in parser.controls:
        assert control_id in parser.labels, control_id
        assert f'id="{control_id}-msg"' in html
    assert parser.controls[v.EFFORT]["aria-valuetext"] == "none"
