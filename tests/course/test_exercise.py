"""The exercise's results table and predictions: CSV and JSON round trips,
strict refusals (malformed, huge, wrong types, too many rows), hostile text
kept literal, formula-injection escaping, and predictions equal to the
reasoning lab's formulas computed independently with numpy."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from course import exercise as ex
from course import reasoning as rs

HOSTILE = '<img src=x onerror="alert(1)">'


def row(**changes) -> dict:
    base = {"model": "o4-mini", "quality": 4, "latency_s": 9.5, "cost_usd": 0.0031, "confidence": 5, "notes": "right"}
    return {**base, **changes}


ROWS = [
    row(),
    row(model="haiku-4-5", quality=1, latency_s=0.8, cost_usd=0.0, confidence=1, notes="said $86.40, \"sure\"\nnew line"),
    row(model="sonnet-4-6", notes=HOSTILE),
    row(notes="=HYPERLINK(\"http://evil\")"),
    row(notes="+1"), row(notes="-2"), row(notes="@SUM(A1)"), row(notes="\tx"), row(notes="'=already quoted"),
    row(notes="ünïcödé 😀, comma; 'quote'"),
]


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("kind, write", [("csv", ex.to_csv), ("json", ex.to_json)])
def test_round_trip_keeps_every_row_exactly(kind, write):
    rows = [ex.validate_row(r) for r in ROWS]
    assert ex.parse(write(rows), kind) == rows


@pytest.mark.parametrize("kind, write", [("csv", ex.to_csv), ("json", ex.to_json)])
def test_an_empty_table_round_trips(kind, write):
    assert ex.parse(write([]), kind) == []


@pytest.mark.parametrize("kind, write", [("csv", ex.to_csv), ("json", ex.to_json)])
def test_the_largest_table_the_page_holds_fits_the_import_limit(kind, write):
    worst = "😀" * ex.MAX_NOTE_CHARS  # 4 bytes a character in UTF-8
    rows = [row(notes=worst, latency_s=1234.56789012345, cost_usd=0.000123456789012345)] * ex.MAX_ROWS
    text = write(rows)
    assert len(text.encode()) <= ex.MAX_IMPORT_BYTES
    assert ex.parse(text, kind) == rows


def test_csv_columns_may_come_in_any_order_and_a_bom_is_ignored():
    text = "\ufeffnotes,confidence,cost_usd,latency_s,quality,model\r\nok,3,0.001,2.5,4,Claude Sonnet 4.6\r\n"
    assert ex.parse_csv(text) == [row(model="sonnet-4-6", quality=4, latency_s=2.5, cost_usd=0.001, confidence=3, notes="ok")]


# ------------------------------------------------------------------ formula injection


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_quotes_cells_a_spreadsheet_would_run(start):
    text = ex.to_csv([ex.validate_row(row(notes=start + "1+1"))])
    cell = list(csv.reader(io.StringIO(text)))[1][-1]
    assert cell == "'" + start + "1+1"


def test_no_exported_cell_starts_with_a_formula_character():
    text = ex.to_csv([ex.validate_row(r) for r in ROWS])
    for cells in csv.reader(io.StringIO(text)):
        for cell in cells:
            assert cell[:1] not in ex.FORMULA_STARTS, cell


def test_harmless_cells_are_written_as_they_are():
    assert ex.escape_cell("'just a quote") == "'just a quote"
    assert ex.escape_cell("fine = ok") == "fine = ok"


# ------------------------------------------------------------------ refusals


def refused(text: str, kind: str) -> str:
    with pytest.raises(ex.TableError) as error:
        ex.parse(text, kind)
    return str(error.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "stage07-exercise-results", "rows": [', "malformed"),
        ("[]", "not a results table"),
        (json.dumps({"format": "other", "version": 1, "rows": []}), "not a results table"),
        (json.dumps({"format": ex.FORMAT, "version": 2, "rows": []}), "version 2"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [], "extra": 1}), "unknown key 'extra'"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": {}}), "a list of rows"),
        ('{"format": "stage07-exercise-results", "version": 1, "version": 1, "rows": []}', "repeats the key"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(quality="4")]}), "quality must be a whole number"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(quality=4.5)]}), "row 1: quality"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(quality=True)]}), "quality"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(), row(latency_s=-1)]}), "row 2: latency_s"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(latency_s=0)]}), "latency_s must be a number above 0"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(cost_usd=1e9)]}), "cost_usd"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(model="gpt-9")]}), "model must be one of"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(notes=7)]}), "notes must be text"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [row(notes="x" * 281)]}), "at most 280 characters"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [{**row(), "evil": 1}]}), "unknown column 'evil'"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": [{k: v for k, v in row().items() if k != "notes"}]}), "missing column 'notes'"),
        (json.dumps({"format": ex.FORMAT, "version": 1, "rows": ["a row"]}), "must be an object"),
        ('{"format": "stage07-exercise-results", "version": 1, "rows": [{"model": "o4-mini", "quality": 4, "latency_s": NaN, '
         '"cost_usd": 0, "confidence": 5, "notes": ""}]}', "NaN"),
        ("[" * 100_000, "malformed"),
        ("   ", "empty"),
    ],
)
def test_bad_json_is_refused_with_a_message(text, message):
    assert message in refused(text, "json")


HEADER = ",".join(ex.COLUMNS)


@pytest.mark.parametrize(
    "text, message",
    [
        ("model,quality\r\no4-mini,4\r\n", "lacks the column latency_s"),
        (HEADER + ",evil\r\no4-mini,4,1,0,5,x,y\r\n", "unknown column 'evil'"),
        (HEADER.replace("notes", "model") + "\r\n", "lacks the column notes"),
        (HEADER + "\r\no4-mini,4,1,0,5\r\n", "row 1: 5 cells, expected 6"),
        (HEADER + "\r\no4-mini,four,1,0,5,x\r\n", "row 1: quality must be a whole number"),
        (HEADER + "\r\no4-mini,4,1,0,5,\"unclosed\r\n", "malformed"),
        ("", "empty"),
    ],
)
def test_bad_csv_is_refused_with_a_message(text, message):
    assert message in refused(text, "csv")


@pytest.mark.parametrize("kind, write", [("csv", ex.to_csv), ("json", ex.to_json)])
def test_too_many_rows_are_refused(kind, write):
    text = write([row()] * (ex.MAX_ROWS + 1))
    assert f"{ex.MAX_ROWS + 1} rows; the limit is {ex.MAX_ROWS}" in refused(text, kind)


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_huge_file_is_refused_before_parsing(kind):
    assert "the limit is 256,000 bytes" in refused("x" * (ex.MAX_IMPORT_BYTES + 1), kind)


def test_an_unknown_kind_is_refused():
    assert "choose csv or json" in refused("a", "xlsx")


@pytest.mark.parametrize("kind, write", [("csv", ex.to_csv), ("json", ex.to_json)])
def test_hostile_text_stays_literal(kind, write):
    rows = ex.parse(write([ex.validate_row(row(notes=HOSTILE))]), kind)
    assert rows[0]["notes"] == HOSTILE


# ------------------------------------------------------------------ edits


def test_edits_add_delete_clear_and_import():
    rows, message = ex.apply_edit([], {"op": "add", "row": {k: str(v) for k, v in row().items()}})
    assert rows == [row()] and message == "Row 1 added."
    rows, _ = ex.apply_edit(rows * 3, {"op": "delete", "index": 1})
    assert len(rows) == 2
    assert ex.apply_edit(rows, {"op": "clear"}) == ([], "Table cleared.")
    imported, message = ex.apply_edit(rows, {"op": "import", "kind": "csv", "text": ex.to_csv([row()])})
    assert imported == [row()] and "Imported 1 row from the CSV file" in message


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"op": "add", "row": {**row(), "quality": "9"}}, "Row not added: quality"),
        ({"op": "delete", "index": 5}, "no row 5"),
        ({"op": "delete", "index": True}, "no row"),
        ({"op": "import", "kind": "json", "text": "{"}, "Import refused: the JSON file is malformed"),
        ({"op": "drop tables"}, "unknown edit"),
        (None, "unknown edit"),
    ],
)
def test_refused_edits_say_why(edit, message):
    with pytest.raises(ex.TableError, match=message):
        ex.apply_edit([row()], edit)


def test_a_full_table_refuses_another_row():
    with pytest.raises(ex.TableError, match="the table is full"):
        ex.apply_edit([row()] * ex.MAX_ROWS, {"op": "add", "row": row()})


# ------------------------------------------------------------------ predictions


def numpy_prediction(prompt_tokens, output_tokens, price_in, price_out, ttft, speed):
    tokens = np.array([prompt_tokens, output_tokens], dtype=np.float64)
    prices = np.array([price_in, price_out]) / 1e6
    return ttft + np.divide(output_tokens, speed), float(np.dot(tokens, prices))


@pytest.mark.parametrize("model", ex.MODELS)
@pytest.mark.parametrize("prompt", [ex.SAMPLE_PROMPT, "", "A much longer prompt. " * 300])
def test_predictions_follow_the_reasoning_labs_formulas(model, prompt):
    p = rs.PROFILES[model]
    predicted = ex.predict(prompt, model)
    assert predicted.input_tokens == rs.tokens(prompt)
    latency, cost = numpy_prediction(rs.tokens(prompt), predicted.output_tokens, p.usd_per_m_input, p.usd_per_m_output,
                                     p.ttft_s, p.output_tokens_per_s)
    assert predicted.latency_s == pytest.approx(latency, rel=1e-12)
    assert predicted.cost_usd == pytest.approx(cost, rel=1e-12)


def test_edited_assumptions_are_used():
    predicted = ex.predict("x y z", "sonnet-4-6", output_tokens=500, usd_per_m_input=2, usd_per_m_output=10,
                           ttft_s=0.25, output_tokens_per_s=50)
    latency, cost = numpy_prediction(rs.tokens("x y z"), 500, 2, 10, 0.25, 50)
    assert (predicted.latency_s, predicted.cost_usd) == (pytest.approx(latency), pytest.approx(cost))


def test_expected_output_tokens_are_the_labs_mean_at_each_profiles_effort():
    def mean_at(effort):
        return int(np.rint(np.mean([rs.attempt(k, effort).output_tokens for k in rs.PROBLEMS])))

    assert ex.default_output_tokens("haiku-4-5") == ex.default_output_tokens("sonnet-4-6") == mean_at(0)
    assert ex.default_output_tokens("o4-mini") == mean_at(2)
    assert ex.default_output_tokens("o4-mini") > 10 * ex.default_output_tokens("haiku-4-5")


def test_an_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown model"):
        ex.predict("hi", "gpt-9")
