"""Exercise page: one hard prompt, three models.

In: the learner's prompt, the reasoning model's effort, the expected output
tokens of the two non-reasoning models, the editable profile assumptions
(the reasoning lab's controls, :func:`course.views.reasoning_models.profile_input`),
the stored results table (``rows``: the JSON document of
:func:`course.exercise.to_json`) and the edits made since (``edit``: a JSON
list of :func:`course.exercise.apply_edit` edits: add, delete, clear, import).

Out: predicted tokens, latency and cost per model (read-outs), the table
after the edits (``table``: its JSON, which the page stores and exports, its
CSV, and the rows as display text), the per-model comparison of measured with
predicted (a panel), and two plots of measured against predicted latency and
cost with their text alternatives. A refused edit or an unreadable stored
table leaves the table as it was and says why (a notice on ``edit`` or
``rows``). ``QUERY = False``: the table is the learner's, not a link's.
"""

from __future__ import annotations

import json

from course import exercise as ex
from course import reasoning as rs
from course.controls import Integer, Number, Text
from course.units import readout, seconds, usd
from course.views import reasoning_models as lab

QUERY = False

# ------------------------------------------------------------------ control ids

PROMPT, EFFORT, ROWS, EDIT = "prompt", "effort", "rows", "edit"
OUT_TOKENS = "out-tokens"
MAX_PROMPT_CHARS = 20_000
NON_REASONING = ("haiku-4-5", "sonnet-4-6")
REASONING_MODEL = "o4-mini"


def out_tokens_input(model: str) -> str:
    """The id of a non-reasoning model's expected-output-tokens box."""
    return f"{model}-{OUT_TOKENS}"


CONTROLS = {
    PROMPT: Text(MAX_PROMPT_CHARS, ex.SAMPLE_PROMPT),
    EFFORT: Integer(0, len(rs.EFFORTS) - 1, rs.EFFORTS.index(ex.EFFORT_OF[REASONING_MODEL])),
    **{out_tokens_input(m): Number(1.0, 100_000.0, float(ex.default_output_tokens(m))) for m in NON_REASONING},
    **lab._profile_controls(),
    ROWS: Text(2 * ex.MAX_IMPORT_BYTES, ""),
    # An import travels inside an edit as a JSON string: room for escapes.
    EDIT: Text(8 * ex.MAX_IMPORT_BYTES, ""),
}

# ------------------------------------------------------------------ element ids

PROMPT_TOKENS, EFFORT_OUT, TABLE_STATUS, COMPARISON = "prompt-tokens", "effort-out", "table-status", "comparison"
TABLE = "table"  # extra result key read by py/pages/exercise.py
PRED_TOKENS, PRED_LATENCY, PRED_COST = "pred-tokens", "pred-latency", "pred-cost"


def predicted_id(model: str, what: str) -> str:
    """The id of one predicted read-out, e.g. ``o4-mini-pred-latency``."""
    return f"{model}-{what}"


FIG_LATENCY, FIG_COST = "latency", "cost"
PREDICTED, MEASURED, MODEL, COLOUR, LABEL = "predicted", "measured", "model", "colour", "label"
PRED_SUFFIX, DIAG_SUFFIX = "-pred", "-diag"
COLOURS = {"haiku-4-5": "#2ca02c", "sonnet-4-6": "#1f77b4", "o4-mini": "#e4572e"}


def _scatter_figure(fig_id: str, axis: str, unit_hover: str) -> dict:
    """Measured (y) against predicted (x), the diagonal where they agree; the
    colours are keyed in the page's HTML (a legend would cover the points)."""
    return {
        "id": fig_id,
        "figure": {
            "height": 300,
            "x_range": {"$model": "DataRange1d", "start": 0},
            "y_range": {"$model": "DataRange1d", "start": 0},
            "x_axis_label": f"predicted {axis}",
            "y_axis_label": f"measured {axis}",
        },
        "glyphs": [
            {
                "kind": "line",
                "source": fig_id + DIAG_SUFFIX,
                "fields": {"x": PREDICTED, "y": MEASURED},
                "props": {"line_dash": "dashed", "line_color": {"$theme": "muted"}, "line_width": 1.5},
            },
            {
                "kind": "scatter",
                "source": fig_id + PRED_SUFFIX,
                "fields": {"x": PREDICTED, "y": MEASURED, "fill_color": COLOUR},
                "props": {"marker": "diamond", "size": 16, "line_color": {"$theme": "fg"}},
            },
            {
                "kind": "scatter",
                "source": fig_id,
                "fields": {"x": PREDICTED, "y": MEASURED, "fill_color": COLOUR},
                "props": {"size": 10, "fill_alpha": 0.8, "line_color": {"$theme": "fg"}},
            },
        ],
        "hover": [["model", "@model"], [f"predicted {unit_hover}", "@predicted"], [f"measured {unit_hover}", "@measured"], ["", "@label"]],
    }


# A request costs a fraction of a cent: the cost plot shows a thousand of them
# (as the reasoning lab does), so its axes read $0.40 rather than 4.000e-4.
REQUESTS_PER_PLOT = lab.REQUESTS_PER_PLOT
FIGURES = [
    _scatter_figure(FIG_LATENCY, "latency, s", "s"),
    _scatter_figure(FIG_COST, f"cost, $ per {REQUESTS_PER_PLOT:,} requests", f"$ per {REQUESTS_PER_PLOT:,}"),
]

# ------------------------------------------------------------------ helpers


def _predictions(values: dict) -> dict[str, ex.Prediction]:
    effort = int(values[EFFORT])
    out = {}
    for model in ex.MODELS:
        price_in, price_out, ttft, speed = (float(values[lab.profile_input(model, f)]) for f in lab.PROFILE_FIELDS)
        if model == REASONING_MODEL:
            counts = [rs.attempt(problem, effort).output_tokens for problem in rs.PROBLEMS]
            tokens = round(sum(counts) / len(counts))
        else:
            tokens = round(float(values[out_tokens_input(model)]))
        out[model] = ex.predict(
            values[PROMPT], model, output_tokens=tokens, usd_per_m_input=price_in, usd_per_m_output=price_out,
            ttft_s=ttft, output_tokens_per_s=speed,
        )
    return out


def _stored(text: str) -> tuple[list[dict], str | None]:
    """The stored table, or an empty one and why the stored text was set aside."""
    if not text.strip():
        return [], None
    try:
        return ex.parse_json(text), None
    except ex.TableError as error:
        return [], f"The table saved in this browser could not be read ({error}); starting with an empty table. It is replaced when you add or import rows."


def _edits(text: str) -> list:
    if not text.strip():
        return []
    try:
        edits = json.loads(text)
    except ValueError:
        return [None]  # apply_edit refuses it with a message
    return edits if isinstance(edits, list) else [edits]


def _apply(rows: list[dict], edit_text: str) -> tuple[list[dict], bool, str | None, str | None]:
    """Apply each edit in turn; a refused one is skipped with its message."""
    changed, status, refused = False, None, None
    for edit in _edits(edit_text):
        try:
            rows, status = ex.apply_edit(rows, edit)
            changed = True
        except ex.TableError as error:
            refused = str(error)
    return rows, changed, status, refused


def _display(row: dict) -> list[str]:
    high = ex.SCORE_RANGE[1]
    return [
        rs.PROFILES[row["model"]].label,
        f"{row['quality']} / {high}",
        seconds(row["latency_s"]),
        usd(row["cost_usd"]),
        f"{row['confidence']} / {high}",
        row["notes"],
    ]


def _mean(items: list[float]) -> float:
    return sum(items) / len(items)


def _comparison(rows: list[dict], predicted: dict[str, ex.Prediction]) -> tuple[list[dict], list[str]]:
    table, summary = [], []
    for model in ex.MODELS:
        mine = [r for r in rows if r["model"] == model]
        p = predicted[model]
        label = rs.PROFILES[model].label
        if not mine:
            table.append([label, "0", "–", f"– (predicted {seconds(p.latency_s)})", f"– (predicted {usd(p.cost_usd)})", "–"])
            continue
        latency, cost = _mean([r["latency_s"] for r in mine]), _mean([r["cost_usd"] for r in mine])
        quality, confidence = _mean([r["quality"] for r in mine]), _mean([r["confidence"] for r in mine])
        ratio = latency / p.latency_s
        table.append([
            label, str(len(mine)), f"{quality:.1f}",
            f"{seconds(latency)} (predicted {seconds(p.latency_s)}, {ratio:.2g}×)",
            f"{usd(cost)} (predicted {usd(p.cost_usd)})", f"{confidence:.1f}",
        ])
        summary.append(f"{label}: {len(mine)} run{'s' if len(mine) != 1 else ''}, mean measured {seconds(latency)} "
                       f"against {seconds(p.latency_s)} predicted, {usd(cost)} against {usd(p.cost_usd)}")
    head = ["model", "runs", "mean quality", "mean latency (measured vs predicted)", "mean cost (measured vs predicted)", "mean confidence"]
    return [{"tag": "table", "head": head, "rows": table}], summary


def _sources(fig_id: str, field: str, rows: list[dict], predicted: dict[str, ex.Prediction], scale: float = 1.0) -> dict:
    points = {PREDICTED: [], MEASURED: [], MODEL: [], COLOUR: [], LABEL: []}
    for number, row in enumerate(rows, start=1):
        p = predicted[row["model"]]
        points[PREDICTED].append(getattr(p, field) * scale)
        points[MEASURED].append(row[field] * scale)
        points[MODEL].append(rs.PROFILES[row["model"]].label)
        points[COLOUR].append(COLOURS[row["model"]])
        points[LABEL].append(f"row {number}")
    pred = {PREDICTED: [], MEASURED: [], MODEL: [], COLOUR: [], LABEL: []}
    for model, p in predicted.items():
        value = getattr(p, field) * scale
        pred[PREDICTED].append(value)
        pred[MEASURED].append(value)
        pred[MODEL].append(rs.PROFILES[model].label)
        pred[COLOUR].append(COLOURS[model])
        pred[LABEL].append("prediction")
    top = max(pred[PREDICTED] + points[PREDICTED] + points[MEASURED]) * 1.1
    return {fig_id: points, fig_id + PRED_SUFFIX: pred, fig_id + DIAG_SUFFIX: {PREDICTED: [0.0, top], MEASURED: [0.0, top]}}


def _caption(kind: str, field: str, fmt, rows: list[dict], predicted: dict[str, ex.Prediction]) -> str:
    text = (f"Scatter plot of measured against predicted {kind}, one point per recorded run; the dashed diagonal is "
            f"measured = predicted and the diamonds on it are the predictions: "
            + ", ".join(f"{rs.PROFILES[m].label} {fmt(getattr(p, field))}" for m, p in predicted.items()) + ". ")
    if not rows:
        return text + "No runs recorded yet."
    above = sum(1 for r in rows if r[field] > getattr(predicted[r["model"]], field))
    return text + f"{len(rows)} run{'s' if len(rows) != 1 else ''} recorded; {above} above the diagonal (slower or dearer than predicted)."


def view(values: dict) -> dict:
    predicted = _predictions(values)
    rows, stored_problem = _stored(values[ROWS])
    rows, changed, status, refused = _apply(rows, values[EDIT])
    notices = {}
    if stored_problem:
        notices[ROWS] = stored_problem
    if refused:
        notices[EDIT] = refused
    comparison, summary = _comparison(rows, predicted)
    prompt_tokens = next(iter(predicted.values())).input_tokens
    readouts = {PROMPT_TOKENS: readout(prompt_tokens, f"{prompt_tokens:,} tokens")}
    for model, p in predicted.items():
        readouts[predicted_id(model, PRED_TOKENS)] = readout(p.output_tokens, f"{p.output_tokens:,} tokens")
        readouts[predicted_id(model, PRED_LATENCY)] = readout(p.latency_s, seconds(p.latency_s))
        readouts[predicted_id(model, PRED_COST)] = readout(p.cost_usd, usd(p.cost_usd))
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''} in the table (at most {ex.MAX_ROWS})."
    return {
        "readouts": readouts,
        "outputs": {
            EFFORT_OUT: rs.EFFORTS[int(values[EFFORT])],
            TABLE_STATUS: f"{status} {count}" if status else count,
        },
        "sources": {
            **_sources(FIG_LATENCY, "latency_s", rows, predicted),
            **_sources(FIG_COST, "cost_usd", rows, predicted, REQUESTS_PER_PLOT),
        },
        "captions": {
            FIG_LATENCY: _caption("latency in seconds", "latency_s", seconds, rows, predicted),
            FIG_COST: _caption(f"cost in dollars (plotted per {REQUESTS_PER_PLOT:,} requests)", "cost_usd", usd, rows, predicted),
        },
        "panels": {COMPARISON: comparison + [{"tag": "p", "text": line + "."} for line in summary]},
        "notices": notices,
        TABLE: {
            "json": ex.to_json(rows),
            "csv": ex.to_csv(rows),
            "rows": [_display(row) for row in rows],
            "changed": changed,
        },
    }
