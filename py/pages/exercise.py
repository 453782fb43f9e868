"""Exercise page: one hard prompt, three models (MicroPython, main thread).

Design, split as everywhere on the site:

* ``py/course/exercise.py`` (pure, tested under CPython) owns the results
  table: the row schema, strict validation, CSV and JSON writing and parsing
  (size, row and note limits; CSV formula-injection escaping) and the
  predictions, which reuse the reasoning lab's token counter and its latency
  and cost formulas (``course.reasoning``).
* ``py/course/views/exercise.py`` (the worker) receives the stored table as
  the hidden control ``rows`` (its JSON document) and the edits made since as
  the hidden control ``edit`` (a JSON list: add, delete, clear, import) and
  returns the table after them (``result.table``: JSON, CSV, display rows,
  ``changed``), the predictions, the comparison panel and the plots. A
  refused edit leaves the table as it was and comes back as a notice.
* This module holds no table logic. It keeps the last table the worker
  accepted (``rows_json``) and the queue of edits, hands both to the runner
  through ``extra_state``, and on each answer stores the table in
  localStorage (only when an edit changed it, so an unreadable stored table is
  never overwritten by the empty one that replaced it until the learner edits),
  draws the table (text only, a Delete button a row), and serves the export
  buttons from the answer's CSV and JSON.

Import reads the chosen file here (``js.read_file``, which refuses files over
the size limit before reading them) and sends its text to the worker as an
``import`` edit; the kind comes from the file name (``.json``, else CSV).

``rows`` and ``edit`` are never taken from the URL: a link must not be able
to rewrite or clear a learner's table.
"""

import asyncio
import json

import jsboundary as js
from lab import run

PAGE = "exercise"
STORE_KEY = "stage07.exercise.results"
ROWS, EDIT = "rows", "edit"
EDIT_MSG = "edit-msg"
MAX_IMPORT_BYTES = 256_000  # course.exercise.MAX_IMPORT_BYTES (a unit test keeps them equal)
FORM, NOTES = "row-form", "row-notes"
FIELDS = (  # form element id -> column of course.exercise.COLUMNS
    ("row-model", "model"),
    ("row-quality", "quality"),
    ("row-latency", "latency_s"),
    ("row-cost", "cost_usd"),
    ("row-confidence", "confidence"),
    ("row-notes", "notes"),
)
RESULTS, IMPORT = "results-table", "import-file"
EXPORT_CSV, EXPORT_JSON, CLEAR = "export-csv", "export-json", "clear-table"
HEAD = ("model", "quality", "latency", "cost", "confidence", "notes")
CLEAR_TEXT, CONFIRM_TEXT = "Clear table", "Click again to clear every row"
CONFIRM_MS = 5000  # a second click within this long clears; otherwise the button resets
FILE_STEM = "exercise-results"


class Results:
    def __init__(self):
        self.rows_json = js.storage_get(STORE_KEY) or ""
        self.edits = []
        self.csv = ""
        self.json = ""
        self.shown = None
        self.clear_notes = False
        self.refocus = False
        self.clear_armed = False
        self.clear_timer = js.Timer(self.disarm_clear)
        self.lab = None
        js.on(js.element(FORM), "submit", self.on_add)
        js.on(js.element(RESULTS), "click", self.on_table_click)
        js.on(js.element(EXPORT_CSV), "click", self.on_export_csv)
        js.on(js.element(EXPORT_JSON), "click", self.on_export_json)
        js.on(js.element(CLEAR), "click", self.on_clear)
        js.on(js.element(IMPORT), "change", self.on_import)

    # ------------------------------------------------------------ to the worker

    def extra_state(self):
        edits = json.dumps(self.edits) if self.edits else ""
        self.edits = []
        return {ROWS: self.rows_json, EDIT: edits}

    def edit(self, event, change):
        self.edits.append(change)
        self.lab.on_input(event)

    def on_add(self, event):
        js.prevent_default(event)
        row = {column: str(js.element(element_id).value) for element_id, column in FIELDS}
        self.clear_notes = True
        self.edit(event, {"op": "add", "row": row})

    def on_table_click(self, event):
        index = js.data_attribute(event, "row")
        if index is not None:
            self.refocus = True
            self.edit(event, {"op": "delete", "index": int(index)})

    def on_clear(self, event):
        # Clearing cannot be undone: the first click only asks for a second.
        if not self.clear_armed:
            self.clear_armed = True
            js.set_text(js.element(CLEAR), CONFIRM_TEXT)
            self.clear_timer.start(CONFIRM_MS)
            return
        self.disarm_clear()
        self.edit(event, {"op": "clear"})

    def disarm_clear(self):
        self.clear_timer.cancel()
        self.clear_armed = False
        js.set_text(js.element(CLEAR), CLEAR_TEXT)

    def on_import(self, event):
        asyncio.create_task(self.read_import(event))

    async def read_import(self, event):
        node = js.element(IMPORT)
        name = js.file_name(node).lower()
        text, error = await js.read_file(node, MAX_IMPORT_BYTES)
        node.value = ""  # choosing the same file again fires change again
        if error:
            js.set_text(js.element(EDIT_MSG), "Import refused: " + error + " The table is unchanged.")
            return
        kind = "json" if name.endswith(".json") else "csv"
        self.edit(event, {"op": "import", "kind": kind, "text": text})

    # ------------------------------------------------------------ exports

    def on_export_csv(self, event):
        js.download(FILE_STEM + ".csv", self.csv, "text/csv")

    def on_export_json(self, event):
        js.download(FILE_STEM + ".json", self.json, "application/json")

    # ------------------------------------------------------------ from the worker

    def on_result(self, result):
        table = result.table
        if not self.json:
            # Export waits for the first answer: before it there is no table to write.
            js.element(EXPORT_CSV).disabled = False
            js.element(EXPORT_JSON).disabled = False
        self.rows_json = str(table.json)
        self.json = self.rows_json
        self.csv = str(table.csv)
        if table.changed:
            if not js.storage_set(STORE_KEY, self.rows_json):
                js.set_text(js.element(EDIT_MSG), "This browser would not save the table (storage is off or full): export it to keep it.")
            if self.clear_notes:
                js.element(NOTES).value = ""
        self.clear_notes = False
        shown = js.json_text(table.rows)
        if shown != self.shown:
            self.shown = shown
            js.render_table(js.element(RESULTS), js.parse_json(json.dumps(HEAD)), table.rows, "Delete row")
        if self.refocus:
            # The pressed Delete button is gone with its row: keep keyboard
            # focus in the table instead of dropping it to the page's start.
            self.refocus = False
            js.element(RESULTS).focus()


def main():
    results = Results()
    lab = run(PAGE, on_result=results.on_result, extra_state=results.extra_state)
    for key in (ROWS, EDIT):
        lab.url_params.pop(key, None)
    results.lab = lab
    return lab


main()
