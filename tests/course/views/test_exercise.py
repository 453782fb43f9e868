"""The exercise view: predictions for the learner's prompt, the table after
each edit, refusals that keep the table, corrupted storage set aside, and
plot sources and captions that follow the rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import exercise as ex
from course import reasoning as rs
from course import views
from course.views import exercise as v

PAGE = "exercise"
ROOT = Path(__file__).resolve().parents[3]
FORM_ROW = {"model": "o4-mini", "quality": "5", "latency_s": "9.5", "cost_usd": "0.0031", "confidence": "4", "notes": "ok"}


def render(raw=None, previous=None):
    return views.render(PAGE, raw or {}, previous)


def value(result, key) -> float:
    return float(result["readouts"][key]["value"])


def edits(*items) -> str:
    return json.dumps(list(items))


def add(**changes) -> dict:
    return {"op": "add", "row": {**FORM_ROW, **changes}}


def test_default_view_predicts_the_sample_prompt_on_every_profile():
    result = render()
    assert result["query"] is None  # QUERY = False: the table stays out of the URL
    assert value(result, v.PROMPT_TOKENS) == rs.tokens(ex.SAMPLE_PROMPT)
    for model in ex.MODELS:
        p = ex.predict(ex.SAMPLE_PROMPT, model)
        assert value(result, v.predicted_id(model, v.PRED_TOKENS)) == p.output_tokens
        assert value(result, v.predicted_id(model, v.PRED_LATENCY)) == pytest.approx(p.latency_s)
        assert value(result, v.predicted_id(model, v.PRED_COST)) == pytest.approx(p.cost_usd)
    assert result["table"]["rows"] == [] and not result["table"]["changed"]
    assert ex.parse_json(result["table"]["json"]) == []
    assert result["notices"] == {}


def test_the_prompt_and_the_edited_assumptions_drive_the_predictions():
    prompt = "Solve: " + "a train leaves at 3 pm at 80 km/h; " * 40
    raw = {v.PROMPT: prompt, v.EFFORT: "3", "sonnet-4-6-out-tokens": "400", "sonnet-4-6-price-out": "10", "sonnet-4-6-speed": "40"}
    result = render(raw)
    assert value(result, v.PROMPT_TOKENS) == rs.tokens(prompt)
    sonnet = rs.PROFILES["sonnet-4-6"]
    assert value(result, "sonnet-4-6-pred-latency") == pytest.approx(sonnet.ttft_s + 400 / 40)
    assert value(result, "sonnet-4-6-pred-cost") == pytest.approx((rs.tokens(prompt) * sonnet.usd_per_m_input + 400 * 10) / 1e6)
    high = round(sum(rs.attempt(k, 3).output_tokens for k in rs.PROBLEMS) / len(rs.PROBLEMS))
    assert value(result, "o4-mini-pred-tokens") == high
    assert result["outputs"][v.EFFORT_OUT] == "high"


def test_a_too_long_prompt_is_truncated_with_a_message():
    result = render({v.PROMPT: "x " * v.MAX_PROMPT_CHARS})
    assert "truncated" in result["notices"][v.PROMPT]


def test_adding_rows_returns_the_new_table_and_marks_it_changed():
    result = render({v.EDIT: edits(add(), add(model="haiku-4-5", notes="<b>bold</b>"))})
    table = result["table"]
    assert table["changed"] and len(table["rows"]) == 2
    assert table["rows"][1][0] == "Claude Haiku 4.5" and table["rows"][1][-1] == "<b>bold</b>"
    rows = ex.parse_json(table["json"])
    assert ex.parse_csv(table["csv"]) == rows
    assert "Row 2 added. 2 rows in the table" in result["outputs"][v.TABLE_STATUS]
    # The stored JSON goes back in as ``rows`` next time.
    again = render({v.ROWS: table["json"]})
    assert again["table"]["rows"] == table["rows"] and not again["table"]["changed"]


def test_a_refused_row_keeps_the_table_and_says_why():
    stored = ex.to_json([ex.validate_row(FORM_ROW)])
    result = render({v.ROWS: stored, v.EDIT: edits(add(quality="0"))})
    assert "Row not added: quality must be a whole number from 1 to 5" in result["notices"][v.EDIT]
    assert result["table"]["json"] == stored and not result["table"]["changed"]


def test_delete_and_clear():
    stored = ex.to_json([ex.validate_row(FORM_ROW), ex.validate_row({**FORM_ROW, "notes": "second"})])
    result = render({v.ROWS: stored, v.EDIT: edits({"op": "delete", "index": 0})})
    assert [r["notes"] for r in ex.parse_json(result["table"]["json"])] == ["second"]
    assert render({v.ROWS: stored, v.EDIT: edits({"op": "clear"})})["table"]["rows"] == []


def test_a_valid_import_replaces_the_table():
    rows = [ex.validate_row({**FORM_ROW, "model": m}) for m in ex.MODELS]
    result = render({v.ROWS: ex.to_json(rows[:1]), v.EDIT: edits({"op": "import", "kind": "csv", "text": ex.to_csv(rows)})})
    assert ex.parse_json(result["table"]["json"]) == rows and result["table"]["changed"]
    assert "Imported 3 rows from the CSV file" in result["outputs"][v.TABLE_STATUS]


@pytest.mark.parametrize(
    "kind, text",
    [
        ("json", "{not json"),
        ("csv", "model,evil\r\nx,y\r\n"),
        ("csv", "x" * (ex.MAX_IMPORT_BYTES + 1)),
        ("json", ex.to_json([ex.validate_row(FORM_ROW)] * (ex.MAX_ROWS + 1))),
    ],
)
def test_a_refused_import_keeps_the_table_and_says_why(kind, text):
    stored = ex.to_json([ex.validate_row(FORM_ROW)])
    result = render({v.ROWS: stored, v.EDIT: edits({"op": "import", "kind": kind, "text": text})})
    assert result["notices"][v.EDIT].startswith("Import refused:")
    assert result["notices"][v.EDIT].endswith("The table is unchanged.")
    assert result["table"]["json"] == stored and not result["table"]["changed"]


def test_an_edit_list_that_is_not_json_is_refused():
    result = render({v.EDIT: "{oops"})
    assert "unknown edit" in result["notices"][v.EDIT] and result["table"]["rows"] == []


@pytest.mark.parametrize("stored", ["{corrupt", "null", json.dumps({"format": ex.FORMAT, "version": 1, "rows": [{"model": 1}]})])
def test_corrupted_storage_is_set_aside_with_a_notice(stored):
    result = render({v.ROWS: stored})
    assert "could not be read" in result["notices"][v.ROWS]
    assert result["table"]["rows"] == [] and not result["table"]["changed"]
    # An edit on top of it replaces it (and the page then stores the new table).
    fixed = render({v.ROWS: stored, v.EDIT: edits(add())})
    assert fixed["table"]["changed"] and len(fixed["table"]["rows"]) == 1


def test_plot_sources_pair_each_run_with_its_models_prediction():
    rows = [ex.validate_row({**FORM_ROW, "model": "haiku-4-5", "latency_s": "2"}), ex.validate_row(FORM_ROW)]
    result = render({v.ROWS: ex.to_json(rows)})
    predicted = {m: ex.predict(ex.SAMPLE_PROMPT, m) for m in ex.MODELS}
    points = result["sources"][v.FIG_LATENCY]
    assert points[v.MEASURED] == [2.0, 9.5]
    assert points[v.PREDICTED] == pytest.approx([predicted["haiku-4-5"].latency_s, predicted["o4-mini"].latency_s])
    cost = result["sources"][v.FIG_COST]  # per 1,000 requests
    assert cost[v.MEASURED] == pytest.approx([3.1, 3.1])
    assert cost[v.PREDICTED][1] == pytest.approx(1000 * predicted["o4-mini"].cost_usd)
    pred = result["sources"][v.FIG_LATENCY + v.PRED_SUFFIX]
    assert pred[v.PREDICTED] == pred[v.MEASURED] == pytest.approx([p.latency_s for p in predicted.values()])
    diagonal = result["sources"][v.FIG_COST + v.DIAG_SUFFIX]
    assert diagonal[v.PREDICTED] == diagonal[v.MEASURED] and diagonal[v.PREDICTED][1] >= 3.1
    assert "2 runs recorded; 2 above the diagonal" in result["captions"][v.FIG_LATENCY]
    comparison = result["panels"][v.COMPARISON]
    assert comparison[0]["rows"][0][:3] == ["Claude Haiku 4.5", "1", "5.0"]
    assert any("OpenAI o4-mini: 1 run" in block.get("text", "") for block in comparison)


def test_every_figure_has_its_own_sources_and_a_caption():
    result = render()
    for figure in v.FIGURES:
        for glyph in figure["glyphs"]:
            assert glyph["source"] in result["sources"]
        assert "No runs recorded yet" in result["captions"][figure["id"]]


def test_the_page_and_the_pure_module_agree_on_the_import_limit():
    page = (ROOT / "py" / "pages" / "exercise.py").read_text()
    limit = re.search(r"^MAX_IMPORT_BYTES = ([\d_]+)", page, re.M).group(1)
    assert int(limit.replace("_", "")) == ex.MAX_IMPORT_BYTES


def test_the_html_sample_prompt_is_the_modules():
    html = (ROOT / "lessons" / "exercise.html").read_text()
    assert f'<p id="sample-prompt">{ex.SAMPLE_PROMPT}</p>' in html
    assert f">{ex.SAMPLE_PROMPT}</textarea>" in html
