"""The three-model exercise: predicted cost and latency of one prompt on each
model profile, and the learner's table of measured results.

What it models
--------------
A learner runs the same hard prompt through a small fast model, a frontier
model without extended thinking and a reasoning model, then records for each
run the quality of the answer (1 to 5), the measured latency, the cost and
their confidence in the answer (1 to 5), with notes.

* **Predictions** reuse the reasoning lab (:mod:`course.reasoning`): the
  prompt's tokens are counted with its o200k_base-style counter
  (:func:`course.reasoning.tokens`), latency is
  :func:`course.reasoning.latency_s` (time to first token + output tokens /
  output speed) and cost :func:`course.reasoning.cost_usd` (input tokens x
  input price + output tokens x output price, reasoning billed as output), on
  the profiles of :data:`course.reasoning.PROFILES` (published prices,
  assumed speeds).
* **Expected output tokens** per profile come from the reasoning lab's
  written responses (:func:`default_output_tokens`): the two non-reasoning
  profiles answer at once (effort ``none``), the reasoning profile thinks at
  ``medium`` (the default ``reasoning_effort`` of OpenAI's o-series); the
  expectation is the mean output over the lab's four problems. It is an
  assumption the page lets the learner edit.
* **The results table** is a list of rows (:data:`COLUMNS`), validated
  strictly (:func:`validate_row`) and written to and read from CSV and JSON
  (:func:`to_csv`, :func:`to_json`, :func:`parse`). Import refuses, with a
  message, anything larger than :data:`MAX_IMPORT_BYTES`, longer than
  :data:`MAX_ROWS` rows, with unknown or missing columns, wrong types or
  out-of-range values; it never returns part of a file. CSV export guards
  against formula injection (OWASP, "CSV Injection"): a cell starting with
  ``= + - @``, a tab or a carriage return is written with a leading ``'``,
  which import removes again, so the round trip is exact.

>>> rows = [validate_row({"model": "o4-mini", "quality": "5", "latency_s": "12.5",
...                       "cost_usd": "0.0021", "confidence": "4", "notes": "=1+1"})]
>>> to_csv(rows).splitlines()[1]
"o4-mini,5,12.5,0.0021,4,'=1+1"
>>> parse(to_csv(rows), "csv") == rows == parse(to_json(rows), "json")
True
>>> default_output_tokens("haiku-4-5"), default_output_tokens("o4-mini")
(18, 286)
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass

from course import reasoning as rs

MODELS: tuple[str, ...] = tuple(rs.PROFILES)
"""The three profiles of the reasoning lab: small fast, frontier, reasoning."""

COLUMNS = ("model", "quality", "latency_s", "cost_usd", "confidence", "notes")
"""One row of the results table, in this order (the CSV header)."""

FORMAT = "stage07-exercise-results"
VERSION = 1
MAX_ROWS = 200
MAX_NOTE_CHARS = 280
MAX_IMPORT_BYTES = 256_000
"""Large enough for any table the page can hold (200 rows of 280-character
notes, 4 bytes a character at worst, in CSV or JSON), small enough that a
browser tab never parses megabytes of hostile text."""
MAX_LATENCY_S = 3600.0
MAX_COST_USD = 100.0
SCORE_RANGE = (1, 5)  # quality and confidence, as a 1-5 rating

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet may read as a formula (OWASP CSV injection)."""

EFFORT_OF = {"haiku-4-5": "none", "sonnet-4-6": "none", "o4-mini": "medium"}
"""The reasoning-lab effort whose responses stand for each profile's output."""

SAMPLE_PROMPT = rs.PROBLEMS["jacket"].prompt
"""A multi-step maths word problem with two traps (from the reasoning lab)."""


class TableError(ValueError):
    """A row, file or edit refused; the message says what to fix."""


# ------------------------------------------------------------------ predictions


def default_output_tokens(model: str) -> int:
    """Expected output tokens of ``model``: the mean output (reasoning +
    answer) of the reasoning lab's responses at the profile's effort."""
    effort = rs.EFFORTS.index(EFFORT_OF[model])
    counts = [rs.attempt(problem, effort).output_tokens for problem in rs.PROBLEMS]
    return round(sum(counts) / len(counts))


@dataclass(frozen=True)
class Prediction:
    model: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cost_usd: float


def predict(
    prompt: str,
    model: str,
    *,
    output_tokens: int | None = None,
    usd_per_m_input: float | None = None,
    usd_per_m_output: float | None = None,
    ttft_s: float | None = None,
    output_tokens_per_s: float | None = None,
) -> Prediction:
    """Predicted latency and cost of ``prompt`` on ``model``; each assumption
    defaults to the profile's (or :func:`default_output_tokens`).

    >>> p = predict("A bat and a ball cost $1.10 in total.", "sonnet-4-6", output_tokens=300)
    >>> p.input_tokens, p.latency_s, round(p.cost_usd, 6)
    (13, 6.0, 0.004539)
    """
    if model not in rs.PROFILES:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    profile = rs.PROFILES[model]
    output = default_output_tokens(model) if output_tokens is None else output_tokens
    input_tokens = rs.tokens(prompt)
    return Prediction(
        model=model,
        input_tokens=input_tokens,
        output_tokens=output,
        latency_s=rs.latency_s(output, profile.ttft_s if ttft_s is None else ttft_s,
                               profile.output_tokens_per_s if output_tokens_per_s is None else output_tokens_per_s),
        cost_usd=rs.cost_usd(input_tokens, output,
                             profile.usd_per_m_input if usd_per_m_input is None else usd_per_m_input,
                             profile.usd_per_m_output if usd_per_m_output is None else usd_per_m_output),
    )


# ------------------------------------------------------------------ rows


def _shown(value: object, limit: int = 30) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _model(value: object) -> str:
    if isinstance(value, str):
        text = value.strip()
        if text in rs.PROFILES:
            return text
        for key, profile in rs.PROFILES.items():
            if text == profile.label:
                return key
    raise TableError(f"model must be one of {', '.join(MODELS)}, got {_shown(value)}")


def _number(name: str, value: object, low: float, high: float, *, whole: bool, typed: bool, low_open: bool = False) -> float | int:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and not typed:
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    else:
        number = None
    kind = "a whole number" if whole else "a number"
    bounds = f"above {low:g} and at most {high:g}" if low_open else f"from {low:g} to {high:g}"
    expected = f"{name} must be {kind} {bounds}"
    if number is None or not math.isfinite(number):
        raise TableError(f"{expected}, got {_shown(value)}")
    if whole and (number != int(number) or (isinstance(value, float) and not isinstance(value, bool))):
        raise TableError(f"{expected}, got {_shown(value)}")
    if number > high or number < low or (low_open and number <= low):
        raise TableError(f"{expected}, got {_shown(value)}")
    return int(number) if whole else number


def _notes(value: object) -> str:
    if not isinstance(value, str):
        raise TableError(f"notes must be text, got {_shown(value)}")
    if len(value) > MAX_NOTE_CHARS:
        raise TableError(f"notes must be at most {MAX_NOTE_CHARS} characters, got {len(value):,}")
    if "\x00" in value:
        raise TableError("notes must not contain a NUL character")
    return value


def validate_row(fields: dict, typed: bool = False) -> dict:
    """One row with exactly :data:`COLUMNS`, checked and normalised.

    Values may be text (a form, a CSV cell) or numbers; with ``typed`` (JSON)
    numbers must be numbers, not text. Nothing is clamped: a wrong value is
    refused with a :class:`TableError`.

    >>> validate_row({"model": "Claude Haiku 4.5", "quality": 3, "latency_s": "0.8",
    ...               "cost_usd": 0, "confidence": "2", "notes": ""})["model"]
    'haiku-4-5'
    >>> validate_row({"model": "o4-mini", "quality": "6", "latency_s": "1",
    ...               "cost_usd": "0", "confidence": "2", "notes": ""})
    Traceback (most recent call last):
    ...
    course.exercise.TableError: quality must be a whole number from 1 to 5, got '6'
    """
    if not isinstance(fields, dict):
        raise TableError(f"a row must be an object with the columns {', '.join(COLUMNS)}")
    unknown = [key for key in fields if key not in COLUMNS]
    if unknown:
        raise TableError(f"unknown column {_shown(str(unknown[0]))}; the columns are {', '.join(COLUMNS)}")
    missing = [key for key in COLUMNS if key not in fields]
    if missing:
        raise TableError(f"missing column {missing[0]!r}; the columns are {', '.join(COLUMNS)}")
    low, high = SCORE_RANGE
    return {
        "model": _model(fields["model"]),
        "quality": _number("quality", fields["quality"], low, high, whole=True, typed=typed),
        "latency_s": _number("latency_s", fields["latency_s"], 0, MAX_LATENCY_S, whole=False, typed=typed, low_open=True),
        "cost_usd": _number("cost_usd", fields["cost_usd"], 0, MAX_COST_USD, whole=False, typed=typed),
        "confidence": _number("confidence", fields["confidence"], low, high, whole=True, typed=typed),
        "notes": _notes(fields["notes"]),
    }


def _rows(items: list, where: str, typed: bool) -> list[dict]:
    if len(items) > MAX_ROWS:
        raise TableError(f"{where} has {len(items):,} rows; the limit is {MAX_ROWS}")
    rows = []
    for number, item in enumerate(items, start=1):
        try:
            rows.append(validate_row(item, typed))
        except TableError as error:
            raise TableError(f"{where}, row {number}: {error}") from None
    return rows


# ------------------------------------------------------------------ CSV and JSON


def _text(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def escape_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula.

    >>> escape_cell("=HYPERLINK(1)"), escape_cell("'=x"), escape_cell("fine"), escape_cell("'quoted")
    ("'=HYPERLINK(1)", "''=x", 'fine', "'quoted")
    """
    if text.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` (a cell it did not change is left alone).

    >>> all(unescape_cell(escape_cell(t)) == t for t in ["=1", "'=1", "''@x", "'a", "", "-"])
    True
    """
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_STARTS:
        return text[1:]
    return text


def to_csv(rows: list[dict]) -> str:
    """The table as CSV: a header of :data:`COLUMNS`, one line a row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_cell(_text(row[key])) for key in COLUMNS])
    return out.getvalue()


def to_json(rows: list[dict]) -> str:
    """The table as a JSON document (also what the browser stores)."""
    return json.dumps({"format": FORMAT, "version": VERSION, "rows": rows}, ensure_ascii=False, indent=1) + "\n"


def _check_size(text: object, kind: str) -> str:
    if not isinstance(text, str):
        raise TableError(f"the {kind} file must be text")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise TableError(f"the {kind} file is {size:,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes")
    if not text.strip():
        raise TableError(f"the {kind} file is empty")
    return text.removeprefix("\ufeff")  # a byte-order mark from a spreadsheet


def parse_csv(text: str) -> list[dict]:
    """Rows from CSV text with exactly the columns of :data:`COLUMNS` (any
    order); every row must be valid, or nothing is returned."""
    text = _check_size(text, "CSV")
    try:
        lines = [line for line in csv.reader(io.StringIO(text, newline=""), strict=True) if line]
    except csv.Error as error:
        raise TableError(f"the CSV file is malformed ({error})") from None
    header = [cell.strip() for cell in lines[0]]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise TableError(f"the CSV header has an unknown column {_shown(unknown[0])}; the columns are {', '.join(COLUMNS)}")
    if sorted(header) != sorted(COLUMNS):
        missing = [name for name in COLUMNS if name not in header] or ["(a repeated column)"]
        raise TableError(f"the CSV header lacks the column {missing[0]}; the columns are {', '.join(COLUMNS)}")
    body = lines[1:]
    if len(body) > MAX_ROWS:
        raise TableError(f"the CSV file has {len(body):,} rows; the limit is {MAX_ROWS}")
    items = []
    for number, cells in enumerate(body, start=1):
        if len(cells) != len(header):
            raise TableError(f"the CSV file, row {number}: {len(cells)} cells, expected {len(header)}")
        items.append({name: unescape_cell(cell) for name, cell in zip(header, cells)})
    return _rows(items, "the CSV file", typed=False)


def _refuse_constant(name: str) -> None:
    raise TableError(f"the JSON file contains {name}, which is not a number")


def _no_duplicates(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise TableError(f"the JSON file repeats the key {_shown(key)}")
    return dict(pairs)


def parse_json(text: str) -> list[dict]:
    """Rows from a JSON document written by :func:`to_json`."""
    text = _check_size(text, "JSON")
    try:
        document = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as error:
        if isinstance(error, TableError):
            raise
        raise TableError(f"the JSON file is malformed ({str(error)[:80]})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TableError(f'the JSON file is not a results table: expected an object with "format": "{FORMAT}"')
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        raise TableError(f"the JSON file has version {_shown(document.get('version'))}; this page reads version {VERSION}")
    extra = [key for key in document if key not in ("format", "version", "rows")]
    if extra:
        raise TableError(f"the JSON file has an unknown key {_shown(extra[0])}")
    if not isinstance(document.get("rows"), list):
        raise TableError('the JSON file needs "rows": a list of rows')
    return _rows(document["rows"], "the JSON file", typed=True)


KINDS = {"csv": parse_csv, "json": parse_json}


def parse(text: str, kind: str) -> list[dict]:
    """Rows from ``text`` in ``kind`` (``csv`` or ``json``)."""
    if kind not in KINDS:
        raise TableError(f"unknown file kind {_shown(kind)}; choose csv or json")
    return KINDS[kind](text)


# ------------------------------------------------------------------ edits


def apply_edit(rows: list[dict], edit: object) -> tuple[list[dict], str]:
    """The table after one edit, and what happened, for the page's status line.

    An edit is ``{"op": "add", "row": {...}}``, ``{"op": "delete", "index": i}``
    (0-based), ``{"op": "clear"}`` or ``{"op": "import", "kind": "csv"|"json",
    "text": ...}`` (the file replaces the table). A refused edit raises
    :class:`TableError` and the caller keeps ``rows`` as they were.

    >>> apply_edit([], {"op": "clear"})
    ([], 'Table cleared.')
    """
    if not isinstance(edit, dict) or edit.get("op") not in ("add", "delete", "clear", "import"):
        raise TableError("unknown edit; expected add, delete, clear or import")
    op = edit["op"]
    if op == "add":
        if len(rows) >= MAX_ROWS:
            raise TableError(f"the table is full ({MAX_ROWS} rows); delete or export some first")
        try:
            row = validate_row(edit.get("row"))
        except TableError as error:
            raise TableError(f"Row not added: {error}.") from None
        return [*rows, row], f"Row {len(rows) + 1} added."
    if op == "delete":
        index = edit.get("index")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(rows):
            raise TableError(f"there is no row {_shown(index)} to delete")
        return rows[:index] + rows[index + 1:], f"Row {index + 1} deleted."
    if op == "clear":
        return [], "Table cleared."
    kind = edit.get("kind")
    try:
        imported = parse(edit.get("text"), kind)
    except TableError as error:
        raise TableError(f"Import refused: {error}. The table is unchanged.") from None
    return imported, f"Imported {len(imported)} row{'s' if len(imported) != 1 else ''} from the {str(kind).upper()} file."


SELF_CHECKS = {
    "default_output_tokens": lambda: [default_output_tokens(model) for model in MODELS],
    "sample_prompt_predictions": lambda: [
        [p.input_tokens, p.output_tokens, p.latency_s, p.cost_usd] for p in (predict(SAMPLE_PROMPT, m) for m in MODELS)
    ],
}
