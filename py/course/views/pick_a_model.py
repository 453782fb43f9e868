"""Pick-a-model lab: weights and constraints in; the decision matrix, the
ranking with its computation and each candidate's serving memory out.

Every fact comes from :mod:`course.catalog` (with its source), every count
and byte from :mod:`course.moe`, :mod:`course.attention` and
:mod:`course.serving`, and the ranking from :func:`course.catalog.rank`.
"""

from __future__ import annotations

from course import catalog as cat
from course import serving as sv
from course.controls import Choice, Integer, Number, Range
from course.units import count, nbytes, readout, sci, seconds

# ------------------------------------------------------------------ control ids

WEIGHT = {name: f"w-{name}" for name in cat.CRITERIA}
PRECISION = "precision"
CONTEXT = "context-need"
COMMERCIAL = "commercial"
DEPLOY = "deploy"
GPU_MEMORY = "gpu-memory"
MAX_GPUS = "max-gpus"
BANDWIDTH = "bandwidth"
DEVICE_MEMORY = "device-memory"

DEFAULT_WEIGHTS = {"quality": 5.0, "cost": 3.0, "memory": 3.0, "context": 2.0, "licence": 3.0, "latency": 2.0}
CONTEXT_NEEDS = ("4096", "8192", "32768", "131072", "1048576")
COMMERCIAL_OPTIONS = ("required", "not-required")
DEPLOY_OPTIONS = ("server", "device")

CONTROLS = {
    **{WEIGHT[name]: Range(0.0, 10.0, 1.0, DEFAULT_WEIGHTS[name]) for name in cat.CRITERIA},
    PRECISION: Choice(tuple(sv.SCHEMES), sv.DEFAULT_SCHEME),
    CONTEXT: Choice(CONTEXT_NEEDS, "8192"),
    COMMERCIAL: Choice(COMMERCIAL_OPTIONS, "required"),
    DEPLOY: Choice(DEPLOY_OPTIONS, "server"),
    # NVIDIA H100 SXM5 80 GB: 80 GB of HBM3 at 3.35 TB/s (NVIDIA H100 datasheet).
    GPU_MEMORY: Number(1.0, 1000.0, 80.0),
    MAX_GPUS: Integer(1, 64, 8),
    BANDWIDTH: Number(0.05, 20.0, 3.35),
    # A 16 GB laptop or phone-class device (an assumption; editable).
    DEVICE_MEMORY: Number(1.0, 1024.0, 16.0),
}

# ------------------------------------------------------------------ element ids

TOP_MODEL, TOP_SCORE, CANDIDATES, EXCLUDED = "top-model", "top-score", "candidates", "excluded-count"
TOP_MEMORY, TOP_GPUS = "top-memory", "top-gpus"
MATRIX, RANKING, COMPUTATION, EXCLUDED_PANEL = "matrix", "ranking", "computation", "excluded"
SERVER_BOX, DEVICE_BOX = "server-box", "device-box"

FIG_SCORES = "scores"
SRC_SCORES = FIG_SCORES
FIG_MEMORY = "memory"
SRC_MEMORY, SRC_CAPACITY = FIG_MEMORY, "memory-capacity"
RANK, LABEL, SCORE_LABEL, END = "rank", "label", "score_label", "end"
MODEL, GB, GB_LABEL, COLOUR, CAP = "model", "gb", "gb_label", "colour", "cap"

CRITERION_COLOURS = {
    "quality": "#1f77b4",
    "cost": "#2ca02c",
    "memory": "#9467bd",
    "context": "#17becf",
    "licence": "#e4572e",
    "latency": "#bcbd22",
}
"""One colour per criterion, readable on the light and the dark theme; the
page's HTML key repeats them (site.css, 'Ship it' block)."""
_FITS, _EXCLUDED_COLOUR = "#1f77b4", "#8c8c8c"

MODEL_FACTORS = [e.label for e in reversed(list(cat.ENTRIES.values()))]
N_MODELS = len(cat.ENTRIES)


def _left(name: str) -> str:
    return f"{name}_left"


def _right(name: str) -> str:
    return f"{name}_right"


FIGURES = [
    {
        "id": FIG_SCORES,
        "figure": {
            "height": 380,
            "x_range": [0, 1.45],
            "y_range": [N_MODELS + 0.6, 0.4],
            "x_axis_label": "weighted score (0 to 1), split by criterion",
            "y_axis_label": "rank",
        },
        "glyphs": [
            *[
                {
                    "kind": "hbar",
                    "source": SRC_SCORES,
                    "fields": {"y": RANK, "left": _left(name), "right": _right(name)},
                    "props": {"height": 0.7, "fill_color": CRITERION_COLOURS[name], "line_color": None, "fill_alpha": 0.9},
                }
                for name in cat.CRITERIA
            ],
            {
                "kind": "text",
                "source": SRC_SCORES,
                "fields": {"x": END, "y": RANK, "text": LABEL},
                "props": {"text_font_size": "11px", "x_offset": 5, "text_baseline": "middle", "text_color": {"$theme": "fg"}},
            },
        ],
        "hover": [["model", "@label"]],
    },
    {
        "id": FIG_MEMORY,
        "figure": {
            "height": 360,
            "y_range": MODEL_FACTORS,
            "x_axis_type": "log",
            "x_axis_label": "serving memory, GB (weights + KV cache of one sequence; log scale)",
        },
        "glyphs": [
            {
                "kind": "hbar",
                "source": SRC_MEMORY,
                "fields": {"y": MODEL, "right": GB, "fill_color": COLOUR},
                "props": {"height": 0.7, "left": 0.1, "line_color": None, "fill_alpha": 0.85},
            },
            {
                "kind": "text",
                "source": SRC_MEMORY,
                "fields": {"x": GB, "y": MODEL, "text": GB_LABEL},
                "props": {"text_font_size": "11px", "x_offset": 4, "text_baseline": "middle", "text_color": {"$theme": "fg"}},
            },
            {
                "kind": "line",
                "source": SRC_CAPACITY,
                "fields": {"x": CAP, "y": MODEL},
                "props": {"line_width": 2, "line_dash": "dashed", "line_color": "#c2410c"},
            },
        ],
        "hover": [["model", "@model"], ["memory", "@gb_label"]],
    },
]

# ------------------------------------------------------------------ helpers


def constraints(values: dict) -> cat.Constraints:
    return cat.Constraints(
        context_tokens=int(values[CONTEXT]),
        commercial=values[COMMERCIAL] == "required",
        on_device=values[DEPLOY] == "device",
        device_memory_bytes=float(values[DEVICE_MEMORY]) * 1e9,
        gpu_memory_bytes=float(values[GPU_MEMORY]) * 1e9,
        max_gpus=int(values[MAX_GPUS]),
        bandwidth_bytes_per_s=float(values[BANDWIDTH]) * 1e12,
        scheme=values[PRECISION],
    )


def weights(values: dict) -> dict:
    return {name: float(values[WEIGHT[name]]) for name in cat.CRITERIA}


def _tokens(n: int) -> str:
    return f"{n:,}"


def _params(value: float) -> str:
    return count(value)


def _fact(fact: cat.Fact, text: str | None = None) -> str:
    """A matrix cell: the value (or 'unknown') and its source."""
    shown = "unknown" if not fact.known else (text if text is not None else str(fact.value))
    note = f"; {fact.note}" if fact.note and fact.known else ""
    return f"{shown} ({fact.source}{note})"


def matrix_rows(values: dict) -> list[list[str]]:
    """One row per model: the facts with their sources, and the counts and
    serving memory this page computes."""
    c = constraints(values)
    rows = []
    for key, e in cat.ENTRIES.items():
        n = cat.count(key)
        lic = cat.LICENCES[e.licence]
        kind = (
            f"MoE: {e.arch.routed_experts} experts, top-{e.arch.top_k}"
            + (f" + {e.arch.shared_experts} shared" if e.arch.shared_experts else "")
            if e.is_moe
            else "dense"
        )
        counted = f"{_params(n.total)} total, {_params(n.active)} active (counted from config.json"
        counted += f"; {e.count_note})" if e.count_note else ")"
        published = f"{_params(e.published_total.value)} total, {_params(e.published_active.value)} active ({e.published_total.source})"
        memory = cat.serve(key, c.scheme, c.context_tokens, c.gpu_memory_bytes, c.bandwidth_bytes_per_s)
        context = _fact(e.context, f"{e.context.value:,} tokens")
        mmlu = _fact(e.mmlu, f"{e.mmlu.value:g}%" if e.mmlu.known else None)
        rows.append(
            [
                e.label,
                e.family,
                kind,
                published,
                counted,
                context,
                f"{lic.name}: commercial use {'allowed' if lic.commercial else 'not allowed'}; {lic.restrictions}",
                _fact(e.languages),
                _fact(e.modalities),
                mmlu,
                f"{nbytes(memory.memory_bytes)} ({nbytes(memory.weights_bytes)} weights + {nbytes(memory.kv_bytes)} KV)",
            ]
        )
    return rows


MATRIX_HEAD = [
    "model", "family", "architecture", "parameters (published)", "parameters (counted)", "context window",
    "licence and key restrictions", "languages", "modalities", "MMLU (setting)", "serving memory at your precision and context",
]


def _raw_text(name: str, value) -> str:
    if value is None:
        return "unknown"
    if name == "quality":
        return f"{value:g}% MMLU"
    if name == "cost":
        return sci(value, "FLOP/token")
    if name == "memory":
        return nbytes(value)
    if name == "context":
        return f"{int(value):,} tokens"
    if name == "licence":
        return f"freedom {value:g}"
    return seconds(value) + "/token"


def computation_text(r: cat.Ranked, w: dict) -> str:
    """'0.666 = (5 × 1.00 + 3 × 0.62 + ...) / 18': the weighted mean, written out."""
    total = sum(w.values())
    terms = " + ".join(f"{w[name]:g} × {r.scores[name]:.2f}" for name in cat.CRITERIA)
    return f"{cat.entry(r.key).label}: ({terms}) / {total:g} = {r.score:.3f}"


def _score_source(ranking: cat.Ranking) -> dict:
    w = ranking.weights
    total = sum(w.values())
    columns = {RANK: [], LABEL: [], END: []}
    for name in cat.CRITERIA:
        columns[_left(name)] = []
        columns[_right(name)] = []
    for i, r in enumerate(ranking.ranked):
        columns[RANK].append(i + 1)
        left = 0.0
        for name in cat.CRITERIA:
            part = w[name] * r.scores[name] / total if total > 0 else 0.0
            columns[_left(name)].append(left)
            left += part
            columns[_right(name)].append(left)
        columns[END].append(left)
        columns[LABEL].append(f"{cat.entry(r.key).label} · {r.score:.2f}")
    return columns


def _memory_source(values: dict, ranking: cat.Ranking) -> tuple[dict, dict, float]:
    c = constraints(values)
    fits = {r.key for r in ranking.ranked}
    columns = {MODEL: [], GB: [], GB_LABEL: [], COLOUR: []}
    for key, e in cat.ENTRIES.items():
        s = cat.serve(key, c.scheme, c.context_tokens, c.gpu_memory_bytes, c.bandwidth_bytes_per_s)
        columns[MODEL].append(e.label)
        columns[GB].append(s.memory_bytes / 1e9)
        columns[GB_LABEL].append(nbytes(s.memory_bytes))
        columns[COLOUR].append(_FITS if key in fits else _EXCLUDED_COLOUR)
    capacity = (c.device_memory_bytes if c.on_device else c.gpu_memory_bytes * c.max_gpus) / 1e9
    cap = {CAP: [capacity, capacity], MODEL: [MODEL_FACTORS[0], MODEL_FACTORS[-1]]}
    return columns, cap, capacity


def view(values: dict) -> dict:
    c = constraints(values)
    w = weights(values)
    ranking = cat.rank(w, c)
    notices = {}
    if sum(w.values()) == 0:
        notices[WEIGHT["quality"]] = "Every weight is 0: nothing to rank by. Give at least one criterion a weight."

    ranking_rows = []
    for i, r in enumerate(ranking.ranked):
        ranking_rows.append(
            [str(i + 1), cat.entry(r.key).label]
            + [f"{r.scores[name]:.2f} ({_raw_text(name, r.raw[name])})" for name in cat.CRITERIA]
            + [f"{r.score:.3f}"]
        )
    excluded_blocks = [
        {"tag": "li", "text": f"{cat.entry(key).label}: {reason}."} for key, reason in ranking.excluded
    ] or [{"tag": "p", "text": "No model is excluded by your constraints."}]

    scores_source = _score_source(ranking)
    memory_source, capacity_source, capacity = _memory_source(values, ranking)
    capacity_text = (
        f"the device's {nbytes(capacity * 1e9)}" if c.on_device else f"{c.max_gpus} × {nbytes(c.gpu_memory_bytes)} = {nbytes(capacity * 1e9)}"
    )
    readouts = {
        CANDIDATES: readout(len(ranking.ranked), f"{len(ranking.ranked)} of {N_MODELS}"),
        EXCLUDED: readout(len(ranking.excluded), str(len(ranking.excluded))),
    }
    if ranking.ranked:
        best = ranking.ranked[0]
        label = cat.entry(best.key).label
        readouts[TOP_MODEL] = readout(best.score, label)
        readouts[TOP_SCORE] = readout(best.score, f"{best.score:.3f}")
        readouts[TOP_MEMORY] = readout(best.serving.memory_bytes, nbytes(best.serving.memory_bytes))
        gpus_text = "on the device" if c.on_device else f"{best.serving.gpus} × {nbytes(c.gpu_memory_bytes)}"
        readouts[TOP_GPUS] = readout(best.serving.gpus, gpus_text)
        computation = [{"tag": "p", "text": computation_text(r, ranking.weights)} for r in ranking.ranked[:3]]
        scores_caption = (
            "Stacked horizontal bars: each candidate's weighted score, split into the share each criterion adds, "
            "best first: " + "; ".join(f"{i + 1}. {cat.entry(r.key).label} {r.score:.3f}" for i, r in enumerate(ranking.ranked)) + "."
        )
    else:
        for key in (TOP_MODEL, TOP_SCORE, TOP_MEMORY, TOP_GPUS):
            readouts[key] = readout(0, "none fits")
        computation = [{"tag": "p", "text": "No model meets every constraint: relax one (more GPUs, a lower precision, a shorter context)."}]
        scores_caption = "No candidate meets the constraints, so no score is drawn."

    fitting = [label for label, colour in zip(memory_source[MODEL], memory_source[COLOUR]) if colour == _FITS]
    memory_caption = (
        f"Horizontal bars on a log scale: serving memory of every model at {sv.SCHEMES[c.scheme].label} with a "
        f"{c.context_tokens:,}-token KV cache, against the dashed capacity line at {capacity_text}: "
        + "; ".join(f"{m} {t}" for m, t in zip(memory_source[MODEL], memory_source[GB_LABEL]))
        + f". Blue bars meet every constraint ({len(fitting)}), grey ones do not."
    )
    return {
        "readouts": readouts,
        "sources": {SRC_SCORES: scores_source, SRC_MEMORY: memory_source, SRC_CAPACITY: capacity_source},
        "captions": {FIG_SCORES: scores_caption, FIG_MEMORY: memory_caption},
        "panels": {
            MATRIX: [{"tag": "table", "head": MATRIX_HEAD, "rows": matrix_rows(values)}],
            RANKING: [
                {
                    "tag": "table",
                    "head": ["rank", "model"] + [f"{cat.CRITERION_LABELS[n]} × {w[n]:g}" for n in cat.CRITERIA] + ["score"],
                    "rows": ranking_rows,
                }
            ],
            COMPUTATION: computation,
            EXCLUDED_PANEL: excluded_blocks,
        },
        "show": {SERVER_BOX: not c.on_device, DEVICE_BOX: c.on_device},
        "notices": notices,
    }
