"""Reasoning-models lab: effort level in; the trace, its tokens, the latency
and cost it implies, and the graded answer out.

Every number comes from :mod:`course.reasoning`: token counts of the text
shown (an approximation of the o200k_base BPE tokenizer), the rule-based
grade of the answer, latency = time to first token + output tokens / speed,
cost = input x input price + (reasoning + answer) x output price. Prices are
published list prices; times to first token and speeds are assumptions; all
are editable, one set of inputs per model profile.
"""

from __future__ import annotations

from course import reasoning as rs
from course.controls import Choice, Integer, Number, defaults
from course.units import readout, seconds, usd

# ------------------------------------------------------------------ control ids

EFFORT = "effort"
PROBLEM = "problem"
MODEL = "model"
# Per-profile inputs: "<profile>-<field>", e.g. "o4-mini-price-in".
PRICE_IN, PRICE_OUT, TTFT, SPEED = "price-in", "price-out", "ttft", "speed"
PROFILE_FIELDS = (PRICE_IN, PRICE_OUT, TTFT, SPEED)


def profile_input(profile: str, field: str) -> str:
    """The id of one editable profile input."""
    return f"{profile}-{field}"


def profile_box(profile: str) -> str:
    """The id of the fieldset holding one profile's inputs."""
    return f"profile-{profile}"


def _profile_controls() -> dict:
    specs = {}
    for key, p in rs.PROFILES.items():
        specs[profile_input(key, PRICE_IN)] = Number(0.001, 1000.0, p.usd_per_m_input)
        specs[profile_input(key, PRICE_OUT)] = Number(0.001, 1000.0, p.usd_per_m_output)
        specs[profile_input(key, TTFT)] = Number(0.01, 60.0, p.ttft_s)
        specs[profile_input(key, SPEED)] = Number(1.0, 5000.0, p.output_tokens_per_s)
    return specs


CONTROLS = {
    EFFORT: Integer(0, len(rs.EFFORTS) - 1, 0),
    PROBLEM: Choice(tuple(rs.PROBLEMS), rs.DEFAULT_PROBLEM),
    MODEL: Choice(tuple(rs.PROFILES), rs.DEFAULT_PROFILE),
    **_profile_controls(),
}

# ------------------------------------------------------------------ element ids

ANSWER, IS_CORRECT = "answer", "is-correct"
REASONING_TOKENS, ANSWER_TOKENS, INPUT_TOKENS = "reasoning-tokens", "answer-tokens", "input-tokens"
LATENCY, COST = "latency-s", "cost-usd"
TRACE, TRACE_EMPTY, ANSWER_TEXT = "trace", "trace-empty", "answer-text"
PROMPT_TEXT, PROBLEM_SOURCE, EFFORT_OUT = "prompt-text", "problem-source", "effort-out"
TAKEAWAY, MODELS_TABLE, EVIDENCE_TABLE = "takeaway", "models-table", "evidence-table"
STREAM = "stream"  # extra result key read by py/pages/reasoning_models.py

# Figures, data sources and columns (shared by the view and its figure specs).
# BokehJS lets a data source belong to one figure (one document) only, so
# every figure has its own source, named after it.
FIG_TOKENS, FIG_LATENCY, FIG_COST = "effort-tokens", "effort-latency", "effort-cost"
FIG_MODELS, FIG_EVIDENCE = "models", "evidence"
EFFORT_FIGURES = (FIG_TOKENS, FIG_LATENCY, FIG_COST)
BY_MODEL, PUBLISHED = FIG_MODELS, FIG_EVIDENCE
LEVEL, REASONING, OUTPUT, SECONDS, DOLLARS = "level", "reasoning", "output", "seconds", "dollars"
SECONDS_LABEL, DOLLARS_LABEL, TOKENS_LABEL = "seconds_label", "dollars_label", "tokens_label"
DOLLARS_PER_K, DOLLARS_PER_K_LABEL = "dollars_per_k", "dollars_per_k_label"
REQUESTS_PER_PLOT = 1000
MODEL_LABEL, SUMMARY, PAD = "model", "summary", "pad"
SCORE, SCORE_LABEL, GROUP, SOURCE = "score", "score_label", "group", "source"
COLOUR, LIGHT_COLOUR = "colour", "light_colour"

# Literal colours readable on the light and the dark theme: the current level
# or model stands out in orange (as on the home page), the rest are grey.
# A colour column (not a second, highlighted source) keeps each update to
# one data-source write per figure.
_HIGHLIGHT, _HIGHLIGHT_LIGHT = "#e4572e", "#f2a48c"
_OTHER, _OTHER_LIGHT = "#8c8c8c", "#c2c2c2"

_EVIDENCE_FACTORS = [item.label for item in reversed(rs.EVIDENCE)]
_MODEL_FACTORS = [p.label for p in reversed(list(rs.PROFILES.values()))]
_GROUP_COLOURS = {
    rs.GROUPS[0]: "#1f77b4",
    rs.GROUPS[1]: "#2ca02c",
    rs.GROUPS[2]: "#9467bd",
    rs.GROUPS[3]: "#8c8c8c",
}
_EFFORT_AXES = {
    "height": 220,
    "x_range": list(rs.EFFORTS),
    "y_range": {"$model": "DataRange1d", "start": 0, "range_padding": 0.25},
    "x_axis_label": "reasoning effort",
}


def _bars(source: str, top: str, colour: str, bottom: str | None = None, legend: str | None = None) -> dict:
    fields = {"x": LEVEL, "top": top, "fill_color": colour}
    if bottom:
        fields["bottom"] = bottom
    props = {"width": 0.7, "line_color": None, "fill_alpha": 0.9}
    if legend:
        props["legend_label"] = legend
    return {"kind": "vbar", "source": source, "fields": fields, "props": props}


def _labels(source: str, y: str, text: str) -> dict:
    return {
        "kind": "text",
        "source": source,
        "fields": {"x": LEVEL, "y": y, "text": text},
        "props": {"text_font_size": "11px", "text_align": "center", "y_offset": -4, "text_color": {"$theme": "fg"}},
    }


def _effort_figure(fig_id: str, y_label: str, top: str, label: str) -> dict:
    return {
        "id": fig_id,
        "figure": {**_EFFORT_AXES, "y_axis_label": y_label},
        "glyphs": [_bars(fig_id, top, COLOUR), _labels(fig_id, top, label)],
    }


FIGURES = [
    {
        "id": FIG_TOKENS,
        "figure": {**_EFFORT_AXES, "y_axis_label": "output tokens"},
        "glyphs": [
            _bars(FIG_TOKENS, REASONING, COLOUR, legend="reasoning"),
            _bars(FIG_TOKENS, OUTPUT, LIGHT_COLOUR, bottom=REASONING, legend="answer"),
            _labels(FIG_TOKENS, OUTPUT, TOKENS_LABEL),
        ],
        "legend": "top_left",
    },
    _effort_figure(FIG_LATENCY, "seconds to full answer", SECONDS, SECONDS_LABEL),
    # Per-request dollars are fractions of a cent: the plot shows a thousand requests.
    _effort_figure(FIG_COST, "dollars per 1,000 requests", DOLLARS_PER_K, DOLLARS_PER_K_LABEL),
    {
        "id": FIG_MODELS,
        "figure": {
            "height": 200,
            "y_range": _MODEL_FACTORS,
            "x_range": {"$model": "DataRange1d", "start": 0},
            "x_axis_label": "seconds to full answer (label: seconds · dollars)",
        },
        "glyphs": [
            {
                "kind": "hbar",
                "source": BY_MODEL,
                "fields": {"y": MODEL_LABEL, "right": SECONDS, "fill_color": COLOUR},
                "props": {"height": 0.6, "fill_alpha": 0.9, "line_color": None},
            },
            {
                "kind": "text",
                "source": BY_MODEL,
                "fields": {"x": SECONDS, "y": MODEL_LABEL, "text": SUMMARY},
                "props": {"text_font_size": "11px", "x_offset": 5, "text_baseline": "middle", "text_color": {"$theme": "fg"}},
            },
            # Invisible points past the labels, so the data range leaves room for them.
            {
                "kind": "scatter",
                "source": BY_MODEL,
                "fields": {"x": PAD, "y": MODEL_LABEL},
                "props": {"size": 1, "fill_alpha": 0, "line_alpha": 0},
            },
        ],
        "hover": [["model", "@model"], ["latency", "@seconds_label"], ["cost", "@dollars_label"]],
    },
    {
        "id": FIG_EVIDENCE,
        "figure": {
            "height": 420,
            "y_range": _EVIDENCE_FACTORS,
            "x_range": [0, 100],
            "x_axis_label": "AIME 2024 accuracy, % (pass@1 unless noted)",
        },
        "glyphs": [
            {
                "kind": "hbar",
                "source": PUBLISHED,
                "fields": {"y": MODEL_LABEL, "right": SCORE, "fill_color": COLOUR},
                "props": {"height": 0.7, "line_color": None, "fill_alpha": 0.85, "legend_field": GROUP},
            },
            {
                "kind": "text",
                "source": PUBLISHED,
                "fields": {"x": SCORE, "y": MODEL_LABEL, "text": SCORE_LABEL},
                "props": {"text_font_size": "11px", "x_offset": 4, "text_baseline": "middle", "text_color": {"$theme": "fg"}},
            },
        ],
        "hover": [["model", "@model"], ["AIME 2024", "@score_label"], ["source", "@source"]],
        "legend": "bottom_right",
    },
]


# ------------------------------------------------------------------ helpers


def _profile_values(values: dict, key: str) -> tuple[float, float, float, float]:
    return tuple(float(values[profile_input(key, field)]) for field in PROFILE_FIELDS)  # type: ignore[return-value]


def _cost_text(value: float) -> str:
    """Dollar amounts per request are small: keep three significant figures."""
    return usd(value)


def _price(value: float) -> str:
    """A price per million tokens as vendors write it: $3, $1.10, $0.275."""
    if value == int(value):
        return f"${value:,.0f}"
    if value == round(value, 2):
        return f"${value:,.2f}"
    return f"${value:g}"


def _published_source() -> dict:
    columns = {MODEL_LABEL: [], SCORE: [], SCORE_LABEL: [], GROUP: [], SOURCE: [], COLOUR: []}
    for item in rs.EVIDENCE:
        columns[MODEL_LABEL].append(item.label)
        columns[SCORE].append(item.percent)
        columns[SCORE_LABEL].append(f"{item.percent:.1f}%")
        columns[GROUP].append(item.group)
        columns[SOURCE].append(item.source)
        columns[COLOUR].append(_GROUP_COLOURS[item.group])
    return columns


_PUBLISHED = _published_source()
_EVIDENCE_TABLE = [
    {
        "tag": "table",
        "head": ["model", "kind", "AIME 2024", "source"],
        "rows": [[item.label, item.group, f"{item.percent:.1f}%", item.source] for item in rs.EVIDENCE],
    }
]
_DEFAULTS = defaults(CONTROLS)


def _takeaway(problem: rs.Problem, attempts: list[rs.Attempt], effort: int, latencies: list[float], costs: list[float]) -> list[dict]:
    """When reasoning pays and when it wastes: computed from this problem's levels."""
    blocks = []
    first_right = next((a.effort for a in attempts if a.correct), None)
    none = attempts[0]
    verdict = "right" if none.correct else "wrong"
    blocks.append(
        {
            "tag": "p",
            "text": f"Answering at once (none), the model says {rs.format_answer(none.answer, problem.unit)}: {verdict}. "
            f"The intuitive answer is {rs.format_answer(problem.intuitive, problem.unit)}; "
            f"the correct one is {rs.format_answer(problem.correct, problem.unit)}.",
        }
    )
    if first_right is not None and first_right < len(attempts) - 1:
        cheap, top = attempts[first_right], attempts[-1]
        blocks.append(
            {
                "tag": "p",
                "text": f"The cheapest level that gets it right is {rs.EFFORTS[first_right]}: {cheap.output_tokens:,} output tokens, "
                f"{seconds(latencies[first_right])}, {_cost_text(costs[first_right])}. High effort spends {top.output_tokens:,} tokens "
                f"({top.output_tokens / cheap.output_tokens:.1f}×), {seconds(latencies[-1])} and {_cost_text(costs[-1])} on the same answer.",
            }
        )
    current = attempts[effort]
    blocks.append(
        {
            "tag": "p",
            "text": f"At {rs.EFFORTS[effort]} the model thinks for {current.reasoning_tokens:,} tokens and answers in {current.answer_tokens:,}.",
        }
    )
    return blocks


def view(values: dict) -> dict:
    effort = int(values[EFFORT])
    problem = rs.PROBLEMS[values[PROBLEM]]
    model = values[MODEL]
    profile = rs.PROFILES[model]
    price_in, price_out, ttft, speed = _profile_values(values, model)

    attempts = [rs.attempt(problem.key, e) for e in range(len(rs.EFFORTS))]
    latencies = [rs.latency_s(a.output_tokens, ttft, speed) for a in attempts]
    costs = [rs.cost_usd(a.input_tokens, a.output_tokens, price_in, price_out) for a in attempts]
    here = attempts[effort]
    shown = problem.responses[effort]
    answer = here.answer if here.answer is not None else float("nan")

    by_effort = {
        LEVEL: list(rs.EFFORTS),
        REASONING: [a.reasoning_tokens for a in attempts],
        OUTPUT: [a.output_tokens for a in attempts],
        TOKENS_LABEL: [f"{a.output_tokens:,}" for a in attempts],
        SECONDS: latencies,
        SECONDS_LABEL: [seconds(s) for s in latencies],
        DOLLARS: costs,
        DOLLARS_LABEL: [_cost_text(c) for c in costs],
        DOLLARS_PER_K: [c * REQUESTS_PER_PLOT for c in costs],
        DOLLARS_PER_K_LABEL: [usd(c * REQUESTS_PER_PLOT) for c in costs],
    }
    by_effort[COLOUR] = [_HIGHLIGHT if e == effort else _OTHER for e in range(len(rs.EFFORTS))]
    by_effort[LIGHT_COLOUR] = [_HIGHLIGHT_LIGHT if e == effort else _OTHER_LIGHT for e in range(len(rs.EFFORTS))]

    by_model = {MODEL_LABEL: [], SECONDS: [], DOLLARS: [], SECONDS_LABEL: [], DOLLARS_LABEL: [], SUMMARY: [], PAD: [], COLOUR: []}
    table_rows = []
    for key, p in rs.PROFILES.items():
        p_in, p_out, p_ttft, p_speed = _profile_values(values, key)
        s = rs.latency_s(here.output_tokens, p_ttft, p_speed)
        c = rs.cost_usd(here.input_tokens, here.output_tokens, p_in, p_out)
        by_model[MODEL_LABEL].append(p.label)
        by_model[SECONDS].append(s)
        by_model[DOLLARS].append(c)
        by_model[SECONDS_LABEL].append(seconds(s))
        by_model[DOLLARS_LABEL].append(_cost_text(c))
        by_model[SUMMARY].append(f"{seconds(s)} · {_cost_text(c)}")
        by_model[COLOUR].append(_HIGHLIGHT if key == model else _OTHER)
        table_rows.append(
            [p.label, p.role, f"{_price(p_in)} / {_price(p_out)}", f"{p_ttft:g} s (assumed)", f"{p_speed:g} (assumed)", seconds(s), _cost_text(c)]
        )
    widest = max(by_model[SECONDS])
    by_model[PAD] = [widest * 1.55] * len(by_model[SECONDS])

    level = rs.EFFORTS[effort]
    verdict = "correct" if here.correct else "wrong"
    answer_text = rs.format_answer(answer, problem.unit)
    fastest = min(range(len(by_model[SECONDS])), key=by_model[SECONDS].__getitem__)
    cheapest = min(range(len(by_model[DOLLARS])), key=by_model[DOLLARS].__getitem__)
    r1_zero = (rs.evidence("R1-Zero, start of RL"), rs.evidence("R1-Zero, end of RL"), rs.evidence("R1-Zero, majority of 64"))

    result = {
        "readouts": {
            ANSWER: readout(answer, answer_text),
            IS_CORRECT: readout(1 if here.correct else 0, "1 · correct" if here.correct else "0 · wrong"),
            REASONING_TOKENS: readout(here.reasoning_tokens, f"{here.reasoning_tokens:,} tokens"),
            ANSWER_TOKENS: readout(here.answer_tokens, f"{here.answer_tokens:,} tokens"),
            INPUT_TOKENS: readout(here.input_tokens, f"{here.input_tokens:,} tokens"),
            LATENCY: readout(latencies[effort], seconds(latencies[effort])),
            COST: readout(costs[effort], _cost_text(costs[effort])),
        },
        "outputs": {
            EFFORT_OUT: level,
            TRACE: shown.trace,
            ANSWER_TEXT: shown.answer,
            PROMPT_TEXT: problem.prompt,
            PROBLEM_SOURCE: f"Source: {problem.source}. Intuitive answer {rs.format_answer(problem.intuitive, problem.unit)}; "
            f"correct answer {rs.format_answer(problem.correct, problem.unit)} (computed by the lab's solver).",
        },
        "show": {
            TRACE: bool(shown.trace),
            TRACE_EMPTY: not shown.trace,
            **{profile_box(key): key == model for key in rs.PROFILES},
        },
        "sources": {**{fig: by_effort for fig in EFFORT_FIGURES}, BY_MODEL: by_model},
        "captions": {
            FIG_TOKENS: (
                f"Bar chart of output tokens (reasoning plus answer) at each effort level for {problem.title}: "
                + ", ".join(f"{rs.EFFORTS[a.effort]} {a.output_tokens:,}" for a in attempts)
                + f". Highlighted: {level}, {here.reasoning_tokens:,} reasoning and {here.answer_tokens:,} answer tokens."
            ),
            FIG_LATENCY: (
                f"Bar chart of seconds to the full answer on {profile.label} at each effort level: "
                + ", ".join(f"{rs.EFFORTS[i]} {seconds(s)}" for i, s in enumerate(latencies))
                + f". Highlighted: {level}."
            ),
            FIG_COST: (
                f"Bar chart of dollars per 1,000 requests on {profile.label} at each effort level: "
                + ", ".join(f"{rs.EFFORTS[i]} {usd(c * REQUESTS_PER_PLOT)}" for i, c in enumerate(costs))
                + f". Highlighted: {level}."
            ),
            FIG_MODELS: (
                f"Horizontal bars: seconds to the full answer for {problem.title} at {level} effort on each model profile: "
                + "; ".join(f"{label} {summary}" for label, summary in zip(by_model[MODEL_LABEL], by_model[SUMMARY]))
                + f". Fastest: {by_model[MODEL_LABEL][fastest]}; cheapest: {by_model[MODEL_LABEL][cheapest]}."
            ),
            FIG_EVIDENCE: (
                f"Horizontal bars of published AIME 2024 accuracy from the DeepSeek-R1 paper: DeepSeek-R1-Zero rose from "
                f"{r1_zero[0].percent:.1f}% to {r1_zero[1].percent:.1f}% pass@1 during reinforcement learning and reached "
                f"{r1_zero[2].percent:.1f}% with a majority vote of 64 samples; DeepSeek-R1 {rs.evidence('DeepSeek-R1').percent:.1f}%; "
                f"distilled models from {rs.evidence('R1-Distill-Qwen-1.5B').percent:.1f}% (1.5B) to "
                f"{rs.evidence('R1-Distill-Qwen-32B').percent:.1f}% (32B); GPT-4o {rs.evidence('GPT-4o-0513').percent:.1f}%."
            ),
        },
        "panels": {
            TAKEAWAY: _takeaway(problem, attempts, effort, latencies, costs),
            MODELS_TABLE: [
                {
                    "tag": "table",
                    "head": ["model", "role", "$ per M tokens in / out", "first token", "tokens / s", "latency", "cost"],
                    "rows": table_rows,
                }
            ],
        },
        STREAM: {
            "ends": list(rs.token_ends(shown.trace)),
            "tokens_per_s": speed,
            "ttft_s": ttft,
            "verdict": verdict,
            "effort_label": level,
        },
    }
    if values == _DEFAULTS:
        # The published evidence never changes: it travels with the default
        # view, which the page draws before Python starts (assets/build), and
        # later views leave it out so the browser does not redraw it.
        result["sources"][PUBLISHED] = _PUBLISHED
        result["panels"][EVIDENCE_TABLE] = _EVIDENCE_TABLE
    return result

