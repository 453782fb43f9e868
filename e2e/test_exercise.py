"""The three-model exercise end to end, like a learner: type a prompt and see
the predictions follow, record runs, reload and find them again, export and
import the table, and have bad files and corrupted storage refused with a
message while the table stays as it was."""

from __future__ import annotations

import json

from helpers import draw_all_plots, goto_ready, readout
from playwright.sync_api import expect

from course import exercise as ex
from course import views

PATH = "lessons/exercise.html"
STORE_KEY = "stage07.exercise.results"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def add_row(page, model: str, quality: int, latency: str, cost: str, confidence: int, notes: str) -> None:
    page.get_by_label("Model", exact=True).select_option(model)
    page.get_by_label("Quality, 1–5").fill(str(quality))
    page.get_by_label("Measured latency, s").fill(latency)
    page.get_by_label("Cost, $").fill(cost)
    page.get_by_label("Confidence, 1–5").fill(str(confidence))
    page.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Add row").click()


def table_rows(page):
    return page.locator("#results-table tbody tr")


def fill_two_rows(page) -> None:
    add_row(page, "haiku-4-5", 2, "1.4", "0.0004", 2, "said $86.40: " + HOSTILE)
    expect(table_rows(page)).to_have_count(1)
    add_row(page, "o4-mini", 5, "9.5", "0.0031", 5, "=1+1 right, $82.94 ✓ é 😀")
    expect(table_rows(page)).to_have_count(2)


def test_rows_persist_across_a_reload_and_hostile_notes_stay_text(page, guard):
    goto_ready(page, PATH)
    fill_two_rows(page)
    page.reload()
    page.wait_for_selector("html[data-py-ready=true]", state="attached")
    rows = table_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Claude Haiku 4.5")
    expect(rows.nth(0)).to_contain_text(HOSTILE)  # shown as text ...
    assert page.locator("#results-table img").count() == 0  # ... never as markup
    assert page.evaluate("window.__pwned") is None
    expect(rows.nth(1)).to_contain_text("=1+1 right")
    expect(page.locator("#table-status")).to_contain_text("2 rows")
    # Delete the first row: one is left, and it stays deleted after a reload.
    page.get_by_role("button", name="Delete row 1").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#results-table")).to_be_focused()  # focus stays in the table
    page.reload()
    page.wait_for_selector("html[data-py-ready=true]", state="attached")
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).nth(0)).to_contain_text("OpenAI o4-mini")


def test_a_refused_row_says_why_and_adds_nothing(page, guard):
    goto_ready(page, PATH)
    add_row(page, "sonnet-4-6", 3, "", "0.001", 3, "no latency")
    expect(page.locator("#edit-msg")).to_contain_text("latency_s must be a number")
    expect(table_rows(page)).to_have_count(0)


def download_text(page, button: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    return download.suggested_filename, open(download.path(), encoding="utf-8").read()


def test_export_csv_and_json_then_import_them_back(page, guard, tmp_path):
    goto_ready(page, PATH)
    fill_two_rows(page)
    csv_name, csv_text = download_text(page, "Export CSV")
    json_name, json_text = download_text(page, "Export JSON")
    assert csv_name.endswith(".csv") and json_name.endswith(".json")
    rows = ex.parse(json_text, "json")
    assert [r["model"] for r in rows] == ["haiku-4-5", "o4-mini"]
    assert rows[0]["notes"] == "said $86.40: " + HOSTILE and rows[1]["latency_s"] == 9.5
    assert ex.parse(csv_text, "csv") == rows
    assert csv_text.splitlines()[0] == ",".join(ex.COLUMNS)
    assert "'=1+1 right" in csv_text  # formula-injection escape

    clear = page.locator("#clear-table")
    clear.click()  # the first click only asks for a second one
    expect(clear).to_have_text("Click again to clear every row")
    expect(table_rows(page)).to_have_count(2)
    clear.click()
    expect(table_rows(page)).to_have_count(0)
    expect(clear).to_have_text("Clear table")
    page.set_input_files("#import-file", files=[{"name": "back.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}])
    expect(table_rows(page)).to_have_count(2)
    expect(page.locator("#table-status")).to_contain_text("Imported 2 rows from the CSV file")
    expect(table_rows(page).nth(1)).to_contain_text("=1+1 right, $82.94 ✓ é 😀")

    page.get_by_role("button", name="Delete row 2").click()
    expect(table_rows(page)).to_have_count(1)
    page.set_input_files("#import-file", files=[{"name": "back.json", "mimeType": "application/json", "buffer": json_text.encode()}])
    expect(table_rows(page)).to_have_count(2)
    stored = page.evaluate(f"localStorage.getItem('{STORE_KEY}')")
    assert ex.parse_json(stored) == rows


def test_malformed_huge_and_hostile_imports_are_refused_and_the_table_kept(page, guard):
    goto_ready(page, PATH)
    fill_two_rows(page)
    before = page.evaluate(f"localStorage.getItem('{STORE_KEY}')")
    bad_files = [
        ("broken.json", b'{"format": "stage07-exercise-results", "rows": [', "malformed"),
        ("extra.csv", b"model,quality,latency_s,cost_usd,confidence,notes,evil\r\no4-mini,5,1,0,5,x,y\r\n", "unknown column"),
        ("types.json", json.dumps({"format": ex.FORMAT, "version": 1, "rows": [
            {"model": "o4-mini", "quality": "five", "latency_s": 1, "cost_usd": 0, "confidence": 5, "notes": HOSTILE}]}).encode(), "quality"),
        ("huge.csv", b"a" * (ex.MAX_IMPORT_BYTES + 1), "the limit is"),
    ]
    for name, body, message in bad_files:
        page.set_input_files("#import-file", files=[{"name": name, "mimeType": "text/plain", "buffer": body}])
        expect(page.locator("#edit-msg")).to_contain_text(message)
        expect(page.locator("#edit-msg")).to_contain_text("The table is unchanged")
        expect(table_rows(page)).to_have_count(2)
        assert page.evaluate(f"localStorage.getItem('{STORE_KEY}')") == before
    assert page.locator("#results-table img").count() == 0


def test_corrupted_storage_is_set_aside_with_a_notice(page, guard):
    page.add_init_script(f"localStorage.setItem('{STORE_KEY}', '{{not json <img src=x>')")
    goto_ready(page, PATH)
    expect(page.locator("#rows-msg")).to_contain_text("could not be read")
    expect(table_rows(page)).to_have_count(0)
    expect(page.locator("#table-status")).to_contain_text("0 rows")


def test_a_link_cannot_rewrite_the_table(page, guard):
    goto_ready(page, PATH)
    fill_two_rows(page)
    goto_ready(page, PATH + '?edit=[{"op":"clear"}]&rows=')
    expect(table_rows(page)).to_have_count(2)


def test_the_prompt_updates_the_predictions(page, guard):
    goto_ready(page, PATH)
    expected = views.render("exercise", {})["readouts"]
    assert readout(page, "prompt-tokens") == float(expected["prompt-tokens"]["value"])
    prompt = "Three friends split a bill of $96 with a 15% tip; one pays double. " * 20
    page.get_by_label("Your prompt").fill(prompt)
    want = views.render("exercise", {"prompt": prompt})["readouts"]
    for key in ("prompt-tokens", "haiku-4-5-pred-cost", "sonnet-4-6-pred-cost", "o4-mini-pred-cost", "o4-mini-pred-latency"):
        expect(page.locator(f"#{key}")).to_have_attribute("data-value", want[key]["value"])
    assert readout(page, "prompt-tokens") > float(expected["prompt-tokens"]["value"])
    # The effort slider moves the reasoning model's expected output.
    page.get_by_label("Reasoning model's effort").focus()
    page.keyboard.press("ArrowRight")
    high = views.render("exercise", {"prompt": prompt, "effort": "3"})["readouts"]
    expect(page.locator("#o4-mini-pred-tokens")).to_have_attribute("data-value", high["o4-mini-pred-tokens"]["value"])


def test_both_plots_are_drawn_with_captions_that_follow_the_table(page, guard):
    goto_ready(page, PATH)
    draw_all_plots(page)
    for fig in ("latency", "cost"):
        expect(page.locator(f"#cap-{fig}")).to_contain_text("No runs recorded yet")
    fill_two_rows(page)
    expect(page.locator("#cap-latency")).to_contain_text("2 runs recorded")
    expect(page.locator("#cap-cost")).to_contain_text("Claude Haiku 4.5")
    expect(page.locator("#comparison")).to_contain_text("OpenAI o4-mini: 1 run")
