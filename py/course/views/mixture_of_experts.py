"""Mixture-of-Experts lab: a word's route through a seeded router, a sentence's
load on the experts, and the total versus active parameters of real MoE models.

Everything shown is computed by :mod:`course.moe` (sources cited there and on
the page): the hashed embedding, the router matrix, the softmax, top-K and
gates, the Switch Transformer balance loss (arXiv 2101.03961), the capacity
and dropped assignments, and the parameter counts of the presets from their
published config.json files.
"""

from __future__ import annotations

import math

from course import moe
from course.controls import Choice, Integer, Number, Text
from course.units import count, nbytes, percent, readout, sci

# ---------------------------------------------------------------- control ids
WORD = "word"
TOP_K = "top-k"
SEED = "seed"
CAPACITY_FACTOR = "capacity-factor"
TOKEN = "token"
PRESET = "preset"
CUSTOM = "custom"

MAX_CHARS = 2000
"""The text box keeps at most this many characters (a notice says when it cut)."""

DEFAULT_TEXT = "Mixture of experts sends each token to a few experts"
DEFAULT_SEED = 0

# Custom architecture inputs: id -> (Architecture field, lowest, highest).
# Defaults are Mixtral 8x7B's numbers, so "custom" starts from a real model.
ARCH_FIELDS = {
    "arch-d-model": ("d_model", 1, 65536),
    "arch-layers": ("layers", 1, 1000),
    "arch-heads": ("heads", 1, 1024),
    "arch-kv-heads": ("kv_heads", 1, 1024),
    "arch-head-dim": ("head_dim", 1, 1024),
    "arch-vocab": ("vocab", 1, 2_000_000),
    "arch-dense-ffn": ("dense_ffn", 0, 262144),
    "arch-dense-layers": ("dense_layers", 0, 1000),
    "arch-experts": ("routed_experts", 1, 4096),
    "arch-shared": ("shared_experts", 0, 64),
    "arch-top-k": ("top_k", 1, 4096),
    "arch-expert-ffn": ("expert_ffn", 1, 262144),
}
ARCH_TIED = "arch-tied"
ARCH_FFN_TYPE = "arch-ffn-type"
CUSTOM_BASE = moe.PRESETS["mixtral-8x7b"].arch

CONTROLS = {
    WORD: Text(MAX_CHARS, DEFAULT_TEXT),
    TOP_K: Integer(1, moe.N_EXPERTS, 2),
    SEED: Integer(0, moe.SEED_MAX, DEFAULT_SEED),
    CAPACITY_FACTOR: Number(0.1, 10.0, 1.25),
    TOKEN: Integer(1, moe.MAX_TOKENS, 1),
    PRESET: Choice((*moe.PRESETS, CUSTOM), "deepseek-v3"),
    **{cid: Integer(low, high, getattr(CUSTOM_BASE, field)) for cid, (field, low, high) in ARCH_FIELDS.items()},
    ARCH_TIED: Choice(("untied", "tied"), "untied"),
    ARCH_FFN_TYPE: Choice(("swiglu", "gelu"), "swiglu"),
}

# ---------------------------------------------------------------- read-out, panel and output ids
EXPERTS = "experts"
GATES = "gates"
TOKENS = "tokens"
BALANCE_LOSS = "balance-loss"
CAPACITY = "capacity"
DROPPED = "dropped-tokens"
TOTAL = "total-params"
ACTIVE = "active-params"
ACTIVE_FRACTION = "active-fraction"
MEMORY = "memory-bf16"
FLOPS = "flops-per-token"
ROUTER_MATH = "router-math"
BALANCE_MATH = "balance-math"
PARAMS_TABLE = "params-table"
WORD_STATUS = "word-status"
TOKEN_OUT = "token-out"
TOP_K_OUT = "top-k-out"
CUSTOM_NOTE = "custom-note"
CUSTOM_BOX = "custom-arch"

# ---------------------------------------------------------------- figures, sources, columns
FIG_EMBEDDING, FIG_ROUTER, FIG_HEATMAP, FIG_LOAD, FIG_PARAMS, FIG_MAP = "embedding", "router", "heatmap", "load", "params", "map"
SRC_EMBEDDING, SRC_ROUTER, SRC_HEAT, SRC_HEAT_CHOSEN, SRC_HEAT_LABELS = "embedding", "router", "heat", "heat-chosen", "heat-labels"
SRC_LOAD, SRC_CAPACITY, SRC_PARAMS = "load", "capacity-line", "params"
SRC_MAP_MODELS, SRC_MAP_HERE, SRC_MAP_DENSE = "map-models", "map-here", "map-dense"
SRC_HEAT_COLS = "heat-columns"
DIM, VALUE = "dim", "value"
EXPERT, CHOSEN, OTHER, LABEL, LABEL_Y = "expert", "chosen", "other", "label", "label_y"
ROW, PROB, WORD_COL = "row", "p", "word"
KEPT, DEMAND = "kept", "demand"
X, Y = "x", "y"
COMPONENT, TOTAL_COL, ACTIVE_COL = "component", "total", "active"

HEAT_HIGH = 0.6
"""Probabilities at or above this get the brightest heat-map colour."""
HEAT_COLUMNS = {
    X: list(range(moe.N_EXPERTS)),
    ROW: [0] * moe.N_EXPERTS,
    LABEL: [f"E{j}" for j in range(moe.N_EXPERTS)],
}
"""The heat map's column headers, in the row above token 1."""
MAX_ROW_LABELS = 40
"""The heat map names at most this many tokens (every n-th one beyond)."""
LABEL_CHARS = 12
DROP_COLOUR = "#d1495b"

FIGURES = [
    {
        "id": FIG_EMBEDDING,
        "figure": {"height": 300, "x_axis_label": "embedding dimension j", "y_axis_label": "e_j"},
        "glyphs": [
            {
                "kind": "vbar",
                "source": SRC_EMBEDDING,
                "fields": {"x": DIM, "top": VALUE},
                "props": {"width": 0.8, "fill_color": {"$theme": "accent"}, "line_color": None},
            }
        ],
        "hover": [["dimension", f"@{DIM}"], ["e", f"@{VALUE}{{0.0000}}"]],
    },
    {
        "id": FIG_ROUTER,
        "figure": {
            "height": 300,
            "x_axis_label": "expert",
            "y_axis_label": "router probability p",
            "y_range": {"$model": "DataRange1d", "start": 0, "range_padding": 0.25},
        },
        "glyphs": [
            {
                "kind": "vbar",
                "source": SRC_ROUTER,
                "fields": {"x": EXPERT, "top": OTHER},
                "props": {"width": 0.8, "fill_color": {"$theme": "border"}, "line_color": {"$theme": "muted"}},
            },
            {
                "kind": "vbar",
                "source": SRC_ROUTER,
                "fields": {"x": EXPERT, "top": CHOSEN},
                "props": {"width": 0.8, "fill_color": {"$theme": "accent"}, "line_color": None},
            },
            {
                "kind": "text",
                "source": SRC_ROUTER,
                "fields": {"x": EXPERT, "y": LABEL_Y, "text": LABEL},
                "props": {"text_font_size": "11px", "text_align": "center", "y_offset": -3, "text_color": {"$theme": "fg"}},
            },
        ],
        "hover": [["expert", f"@{EXPERT}"], ["p", f"@{VALUE}{{0.0000}}"]],
    },
    {
        "id": FIG_HEATMAP,
        "figure": {
            "height": 340,
            # No axes: expert names head the columns and words label the rows.
            "x_axis_location": None,
            "y_axis_location": None,
            "x_range": {"$model": "Range1d", "start": -3.2, "end": 7.5},
            "y_range": {"$model": "DataRange1d", "flipped": True, "range_padding": 0.02},
        },
        "glyphs": [
            {
                "kind": "rect",
                "source": SRC_HEAT,
                "fields": {"x": EXPERT, "y": ROW},
                "props": {
                    "width": 1,
                    "height": 1,
                    "line_color": None,
                    "fill_color": {
                        "field": PROB,
                        "transform": {"$model": "LinearColorMapper", "palette": {"$palette": "Viridis256"}, "low": 0, "high": HEAT_HIGH},
                    },
                },
            },
            {
                "kind": "rect",
                "source": SRC_HEAT_CHOSEN,
                "fields": {"x": EXPERT, "y": ROW},
                "props": {"width": 0.86, "height": 0.8, "fill_alpha": 0, "line_color": "#ffffff", "line_width": 2},
            },
            {
                "kind": "text",
                "source": SRC_HEAT_LABELS,
                "fields": {"x": X, "y": ROW, "text": LABEL},
                "props": {"text_font_size": "11px", "text_align": "right", "text_baseline": "middle", "x_offset": -4, "text_color": {"$theme": "fg"}},
            },
            {
                "kind": "text",
                "source": SRC_HEAT_COLS,
                "fields": {"x": X, "y": ROW, "text": LABEL},
                "props": {"text_font_size": "11px", "text_align": "center", "text_baseline": "middle", "text_color": {"$theme": "fg"}},
            },
        ],
        "hover": [["token", f"@{WORD_COL}"], ["position", f"@{ROW}"], ["expert", f"@{EXPERT}"], ["p", f"@{PROB}{{0.000}}"]],
    },
    {
        "id": FIG_LOAD,
        "figure": {
            "height": 300,
            "x_axis_label": "expert",
            "y_axis_label": "token assignments",
            # Head room for the legend above the tallest bar.
            "y_range": {"$model": "DataRange1d", "start": 0, "range_padding": 0.7},
        },
        "glyphs": [
            {
                "kind": "vbar",
                "source": SRC_LOAD,
                "fields": {"x": EXPERT, "top": KEPT},
                "props": {"width": 0.8, "fill_color": {"$theme": "accent"}, "line_color": None, "legend_label": "kept"},
            },
            {
                "kind": "vbar",
                "source": SRC_LOAD,
                "fields": {"x": EXPERT, "bottom": KEPT, "top": DEMAND},
                "props": {"width": 0.8, "fill_color": DROP_COLOUR, "line_color": None, "legend_label": "dropped"},
            },
            {
                "kind": "line",
                "source": SRC_CAPACITY,
                "fields": {"x": X, "y": Y},
                "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "fg"}, "legend_label": "capacity"},
            },
        ],
        "hover": [["expert", f"@{EXPERT}"], ["kept", f"@{KEPT}"], ["routed here", f"@{DEMAND}"]],
        "legend": "top_right",
    },
    {
        "id": FIG_PARAMS,
        "figure": {
            "height": 300,
            "x_axis_label": "parameters (billions)",
            "y_range": list(reversed(moe.COMPONENTS)),
            "x_range": {"$model": "DataRange1d", "start": 0, "range_padding": 0.1},
        },
        "glyphs": [
            {
                "kind": "hbar",
                "source": SRC_PARAMS,
                "fields": {"y": COMPONENT, "right": TOTAL_COL},
                "props": {"left": 0, "height": 0.7, "fill_color": {"$theme": "border"}, "line_color": {"$theme": "muted"}, "legend_label": "total"},
            },
            {
                "kind": "hbar",
                "source": SRC_PARAMS,
                "fields": {"y": COMPONENT, "right": ACTIVE_COL},
                "props": {"left": 0, "height": 0.35, "fill_color": {"$theme": "accent"}, "line_color": None, "legend_label": "active per token"},
            },
        ],
        "hover": [["component", f"@{COMPONENT}"], ["total", f"@{LABEL}"]],
        "legend": "bottom_right",
    },
    {
        "id": FIG_MAP,
        "figure": {
            "height": 300,
            "x_axis_type": "log",
            "y_axis_type": "log",
            "x_axis_label": "active parameters per token (compute)",
            "y_axis_label": "total parameters (memory)",
        },
        "glyphs": [
            {
                "kind": "line",
                "source": SRC_MAP_DENSE,
                "fields": {"x": X, "y": Y},
                "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "muted"}, "legend_label": "dense: total = active"},
            },
            {
                "kind": "scatter",
                "source": SRC_MAP_MODELS,
                "fields": {"x": X, "y": Y},
                "props": {"size": 9, "marker": "square", "fill_color": {"$theme": "muted"}, "line_color": {"$theme": "muted"}},
            },
            {
                "kind": "text",
                "source": SRC_MAP_MODELS,
                "fields": {"x": X, "y": Y, "text": LABEL},
                "props": {"text_font_size": "11px", "x_offset": 7, "y_offset": 5, "text_color": {"$theme": "fg"}},
            },
            {
                "kind": "scatter",
                "source": SRC_MAP_HERE,
                "fields": {"x": X, "y": Y},
                "props": {"size": 14, "fill_color": DROP_COLOUR, "line_color": {"$theme": "fg"}, "legend_label": "selected"},
            },
        ],
        "hover": [["model", f"@{LABEL}"], ["active", f"@{X}{{0.00a}}"], ["total", f"@{Y}{{0.00a}}"]],
        "legend": "bottom_right",
    },
]

MAP_DENSE_RANGE = (1e9, 1e12)
"""Where the dense diagonal is drawn on the cost map (parameters)."""

# ---------------------------------------------------------------- helpers


def _blank() -> dict:
    """A read-out with no number yet (empty text box)."""
    return {"value": "", "text": "–"}


def _f(value: float, digits: int = 3, plus: bool = False) -> str:
    """A fixed-point number with a real minus sign (and a plus, to align columns)."""
    return f"{value:{'+' if plus else ''}.{digits}f}".replace("-", "−")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(token: str) -> str:
    return "“" + _shorten(token, 40) + "”"


def _delta(fraction: float) -> str:
    """A signed relative difference in percent: +0.01%, −1.96%."""
    return f"{fraction * 100:+.2f}%".replace("-", "−")


def _experts_text(experts: list[int]) -> str:
    return ", ".join(f"E{e}" for e in experts)


# ---------------------------------------------------------------- router and sentence


def _route_all(tokens: list[str], seed: int, k: int) -> list[moe.Routing]:
    """Route every token on its own (moe.route is cached: a repeated word costs nothing)."""
    return [moe.route(token, seed, k) for token in tokens]


def _router_panel(r: moe.Routing, index: int, n_tokens: int, seed: int, k: int) -> list[dict]:
    data = r.token.encode("utf-8", "surrogatepass")
    shown = " ".join(f"{b:02x}" for b in data[:24]) + (" …" if len(data) > 24 else "")
    digest = r.digest
    x = [(2 * (digest[2 * j] * 256 + digest[2 * j + 1]) - moe.U16_MAX) / moe.U16_MAX for j in range(moe.EMBED_DIM)]
    norm = math.sqrt(math.fsum(v * v for v in x))
    top = max(r.logits)
    exps = [math.exp(z - top) for z in r.logits]
    gate_of = dict(zip(r.experts, r.gates))
    rank_of = {e: i + 1 for i, e in enumerate(r.experts)}
    # One self-labelled line per expert rather than a table: a tenth of the DOM
    # nodes to rebuild on every keystroke, and each number says what it is.
    rows = [
        {
            "tag": "p",
            "text": f"E{j}  z = {_f(r.logits[j], 3, True)}   exp(z − max) = {exps[j]:.4f}   p = {r.probs[j]:.4f}"
            + (f"   ← top-{k} #{rank_of[j]}, gate g = {gate_of[j]:.4f}" if j in rank_of else ""),
        }
        for j in range(moe.N_EXPERTS)
    ]
    chosen_sum = math.fsum(r.probs[e] for e in r.experts)
    lead = r.experts[0]
    sum_text = " + ".join(f"p{e}" for e in r.experts)
    mix = " + ".join(f"{g:.3f}·E{e}(x)" for e, g in zip(r.experts, r.gates))
    return [
        {"tag": "h4", "text": f"Token {index + 1} of {n_tokens}: {_quoted(r.token)}"},
        {"tag": "p", "text": f"UTF-8 bytes ({len(data)}): {shown}"},
        {"tag": "p", "text": f"SHA-256: {digest.hex()}"},
        {"tag": "h4", "text": "1 · Hashed embedding e (16 numbers, unit length)"},
        {"tag": "p", "text": "u_j = 256·byte[2j] + byte[2j+1];  x_j = (2·u_j − 65535) / 65535;  e = x / ‖x‖"},
        {"tag": "p", "text": f"‖x‖ = {norm:.4f};  e = [" + ", ".join(_f(v) for v in r.embedding) + "]"},
        {"tag": "h4", "text": f"2 · Logits z = e · W   (W: 16 × 8 from seed {seed})"},
        {"tag": "p", "text": f"z_j = Σ_i e_i · W_ij,  W_ij = √3·(2u − 1),  u = random.Random({seed}).random(), row by row"},
        {"tag": "h4", "text": "3 · Softmax p_j = exp(z_j − max z) / Σ_k exp(z_k − max z)"},
        *rows,
        {"tag": "h4", "text": f"4 · Top-{k} and renormalised gates"},
        {"tag": "p", "text": f"top-{k} = {_experts_text(r.experts)}  (largest p first; a tie goes to the lower index)"},
        {
            "tag": "p",
            "text": f"g{lead} = p{lead} / ({sum_text}) = {r.probs[lead]:.4f} / {chosen_sum:.4f} = {r.gates[0]:.4f}",
        },
        {"tag": "p", "text": f"output y = {mix}"},
    ]


def _balance_panel(
    tokens: list[str], routings: list[moe.Routing], balance: moe.Balance, d: moe.Dispatch, k: int, cf: float
) -> list[dict]:
    n = moe.N_EXPERTS
    t = len(tokens)
    dropped_by = [0] * n
    for _, expert in d.dropped:
        dropped_by[expert] += 1
    rows = [
        {
            "tag": "p",
            "text": f"E{i}  assigned {d.demand[i]:>3}   f = {balance.fraction[i]:.4f}   P = {balance.mean_prob[i]:.4f}   "
            f"f·P = {balance.fraction[i] * balance.mean_prob[i]:.4f}   kept {d.kept[i]:>3}   dropped {dropped_by[i]:>3}",
        }
        for i in range(n)
    ]
    inner = math.fsum(f * p for f, p in zip(balance.fraction, balance.mean_prob))
    raw_capacity = cf * t * k / n
    blocks = [
        {"tag": "h4", "text": f"Load over {t} token{'s' if t != 1 else ''} (K = {k}, N = {n} experts)"},
        {"tag": "p", "text": "f_i = (assignments to expert i) / (T·K);   P_i = mean over tokens of p_i"},
        *rows,
        {
            "tag": "p",
            "text": f"L_balance = N · Σ f_i·P_i = {n} × {inner:.4f} = {balance.loss:.4f}   (1 = perfectly even; {n} = every token on one expert)",
        },
        {
            "tag": "p",
            "text": f"capacity = ⌈{cf:g} × {t} × {k} / {n}⌉ = ⌈{raw_capacity:.3f}⌉ = {d.capacity} slot{'s' if d.capacity != 1 else ''} per expert",
        },
    ]
    if d.dropped:
        rank_of = {}
        for ti, expert in d.dropped:
            rank_of[(ti, expert)] = routings[ti].experts.index(expert) + 1
        listed = [f"{_quoted(_shorten(tokens[ti], 16))} → E{e} (choice {rank_of[(ti, e)]})" for ti, e in d.dropped[:8]]
        more = f" … and {len(d.dropped) - 8} more" if len(d.dropped) > 8 else ""
        blocks.append({"tag": "p", "text": f"dropped ({len(d.dropped)}): " + "; ".join(listed) + more})
    else:
        blocks.append({"tag": "p", "text": "dropped: none; every assignment found a slot."})
    return blocks


def _heat_sources(tokens: list[str], routings: list[moe.Routing]) -> tuple[dict, dict, dict]:
    n = moe.N_EXPERTS
    rows = range(1, len(tokens) + 1)
    words = [_shorten(token, 40) for token in tokens]
    heat = {
        EXPERT: list(range(n)) * len(tokens),
        ROW: [row for row in rows for _ in range(n)],
        # Plot colour only (4 decimals keep the JSON small); the tables show the values.
        PROB: [round(p, 4) for r in routings for p in r.probs],
        WORD_COL: [word for word in words for _ in range(n)],
    }
    chosen = {
        EXPERT: [e for r in routings for e in r.experts],
        ROW: [row for row, r in zip(rows, routings) for _ in r.experts],
    }
    every = max(1, math.ceil(len(tokens) / MAX_ROW_LABELS))
    labelled = range(0, len(tokens), every)
    labels = {
        X: [-0.5] * len(labelled),
        ROW: [t + 1 for t in labelled],
        LABEL: [_shorten(tokens[t], LABEL_CHARS) for t in labelled],
    }
    return heat, chosen, labels


def _router_view(values: dict) -> dict:
    text = values[WORD]
    k = values[TOP_K]
    seed = values[SEED]
    cf = values[CAPACITY_FACTOR]
    all_words = text.split()
    tokens = all_words[: moe.MAX_TOKENS]
    n = moe.N_EXPERTS
    empty_embedding = {DIM: list(range(moe.EMBED_DIM)), VALUE: [0.0] * moe.EMBED_DIM}
    if not tokens:
        prompt = "Type a word or a sentence to watch the router pick its experts."
        return {
            "readouts": {key: _blank() for key in (EXPERTS, GATES, BALANCE_LOSS, DROPPED, CAPACITY)}
            | {TOKENS: readout(0, "0 tokens")},
            "sources": {
                SRC_EMBEDDING: empty_embedding,
                SRC_ROUTER: {EXPERT: list(range(n)), CHOSEN: [0.0] * n, OTHER: [0.0] * n, VALUE: [0.0] * n, LABEL: [""] * n, LABEL_Y: [0.0] * n},
                SRC_HEAT: {EXPERT: [], ROW: [], PROB: [], WORD_COL: []},
                SRC_HEAT_CHOSEN: {EXPERT: [], ROW: []},
                SRC_HEAT_LABELS: {X: [], ROW: [], LABEL: []},
                SRC_HEAT_COLS: HEAT_COLUMNS,
                SRC_LOAD: {EXPERT: list(range(n)), KEPT: [0] * n, DEMAND: [0] * n},
                SRC_CAPACITY: {X: [-0.5, n - 0.5], Y: [0, 0]},
            },
            "panels": {
                ROUTER_MATH: [{"tag": "p", "text": prompt}],
                BALANCE_MATH: [{"tag": "p", "text": "The load statistics appear once there is at least one token."}],
            },
            "outputs": {WORD_STATUS: prompt, TOKEN_OUT: "no tokens yet"},
            "captions": {
                FIG_EMBEDDING: "Bar chart of the 16 embedding numbers of the selected token: empty until you type a word.",
                FIG_ROUTER: "Bar chart of the router probabilities of the 8 experts: empty until you type a word.",
                FIG_HEATMAP: "Heat map of router probabilities, one row per token: empty until you type a word.",
                FIG_LOAD: "Bar chart of the token assignments per expert against the capacity line: empty until you type a word.",
            },
        }

    routings = _route_all(tokens, seed, k)
    selected = min(values[TOKEN], len(tokens)) - 1
    r = routings[selected]
    first = routings[0]
    balance = moe.load_balance([x.probs for x in routings], [x.experts for x in routings])
    capacity = moe.expert_capacity(len(tokens), k, n, cf)
    d = moe.dispatch([x.experts for x in routings], capacity)
    heat, heat_chosen, heat_labels = _heat_sources(tokens, routings)
    chosen_set = set(r.experts)
    gate_of = dict(zip(r.experts, r.gates))

    if len(all_words) > moe.MAX_TOKENS:
        status = f"Routing the first {moe.MAX_TOKENS} of {len(all_words):,} words (the lab's maximum is {moe.MAX_TOKENS})."
    else:
        status = f"{len(tokens)} token{'s' if len(tokens) != 1 else ''} (words split at spaces), each routed on its own."
    token_note = f"token {selected + 1} of {len(tokens)}: {_quoted(r.token)}"
    if values[TOKEN] > len(tokens):
        token_note += f" (there is no token {values[TOKEN]}; showing the last)"
    n_dropped = len(d.dropped)
    assignments = len(tokens) * k
    first_experts = ",".join(str(e) for e in first.experts)
    gates_text = ", ".join(f"{g:.3f}" for g in first.gates)
    dropped_text = f"{n_dropped} of {assignments} assignments"
    if d.tokens_fully_dropped:
        dropped_text += f" ({d.tokens_fully_dropped} token{'s' if d.tokens_fully_dropped != 1 else ''} lost every expert)"
    busiest = max(range(n), key=lambda i: (d.demand[i], -i))
    return {
        "readouts": {
            EXPERTS: {"value": first_experts, "text": _experts_text(first.experts)},
            GATES: {"value": ",".join(repr(g) for g in first.gates), "text": gates_text},
            TOKENS: readout(len(tokens), f"{len(tokens)} token{'s' if len(tokens) != 1 else ''}"),
            BALANCE_LOSS: readout(balance.loss, f"{balance.loss:.3f}"),
            CAPACITY: readout(capacity, f"{capacity} per expert"),
            DROPPED: readout(n_dropped, dropped_text),
        },
        "sources": {
            SRC_EMBEDDING: {DIM: list(range(moe.EMBED_DIM)), VALUE: r.embedding},
            SRC_ROUTER: {
                EXPERT: list(range(n)),
                CHOSEN: [p if j in chosen_set else 0.0 for j, p in enumerate(r.probs)],
                OTHER: [0.0 if j in chosen_set else p for j, p in enumerate(r.probs)],
                VALUE: r.probs,
                LABEL: [f"g={gate_of[j]:.2f}" if j in chosen_set else "" for j in range(n)],
                LABEL_Y: r.probs,
            },
            SRC_HEAT: heat,
            SRC_HEAT_CHOSEN: heat_chosen,
            SRC_HEAT_LABELS: heat_labels,
            SRC_HEAT_COLS: HEAT_COLUMNS,
            SRC_LOAD: {EXPERT: list(range(n)), KEPT: d.kept, DEMAND: d.demand},
            SRC_CAPACITY: {X: [-0.5, n - 0.5], Y: [capacity, capacity]},
        },
        "panels": {
            ROUTER_MATH: _router_panel(r, selected, len(tokens), seed, k),
            BALANCE_MATH: _balance_panel(tokens, routings, balance, d, k, cf),
        },
        "outputs": {WORD_STATUS: status, TOKEN_OUT: token_note},
        "captions": {
            FIG_EMBEDDING: (
                f"Bar chart of the 16-number hashed embedding of {_quoted(r.token)} (token {selected + 1}): "
                f"values from {_f(min(r.embedding))} to {_f(max(r.embedding))}, unit length."
            ),
            FIG_ROUTER: (
                f"Bar chart of the router probabilities of {_quoted(r.token)} over experts E0 to E7 (seed {seed}); "
                f"the top-{k} are highlighted: "
                + ", ".join(f"E{e} p = {r.probs[e]:.3f} (gate {g:.3f})" for e, g in zip(r.experts, r.gates))
                + "."
            ),
            FIG_HEATMAP: (
                f"Heat map of router probabilities, {len(tokens)} token rows by 8 expert columns, brighter is more "
                f"likely (yellow at {HEAT_HIGH} or more); outlined cells are each token's top-{k}. "
                f"Token 1 {_quoted(first.token)} goes to {_experts_text(first.experts)}."
            ),
            FIG_LOAD: (
                f"Bar chart of token assignments per expert (T·K = {assignments}) against a capacity of {capacity} per expert; "
                f"busiest expert E{busiest} with {d.demand[busiest]}; {n_dropped} assignment{'s' if n_dropped != 1 else ''} dropped."
            ),
        },
    }


# ---------------------------------------------------------------- parameters


def _custom_architecture(values: dict) -> tuple[moe.Architecture, list[str]]:
    fields = {field: values[cid] for cid, (field, _, _) in ARCH_FIELDS.items()}
    arch = moe.Architecture(
        **fields,
        tied_embeddings=values[ARCH_TIED] == "tied",
        gated_ffn=values[ARCH_FFN_TYPE] == "swiglu",
    )
    return moe.repair_architecture(arch)


def _describe(a: moe.Architecture) -> str:
    if a.latent_attention is not None:
        m = a.latent_attention
        attention = (
            f"{a.heads} heads with multi-head latent attention (query rank {m.q_lora_rank}, KV rank {m.kv_lora_rank}, "
            f"head {m.qk_nope_head_dim}+{m.qk_rope_head_dim})"
        )
    else:
        attention = f"{a.heads} query heads, {a.kv_heads} KV heads of {a.head_dim}"
    dense = f", the first {a.dense_layers} dense (FFN {a.dense_ffn:,})" if a.dense_layers else ""
    shared = f" + {a.shared_experts} shared" if a.shared_experts else ""
    ffn = "SwiGLU" if a.gated_ffn else "GELU"
    tied = "tied" if a.tied_embeddings else "untied"
    return (
        f"d_model {a.d_model:,} · {a.layers} layers{dense} · {attention} · "
        f"{a.routed_experts} routed{shared} experts of FFN {a.expert_ffn:,} ({ffn}), top-{a.top_k} · "
        f"vocabulary {a.vocab:,} ({tied} embeddings)"
    )


PRESET_CHECK_HEAD = ("model", "total here", "published", "Δ", "active here", "published", "Δ")


def preset_check_rows() -> list[list[str]]:
    """Each preset's counts beside its published ones. They depend on no control, so the
    page carries them as a static table, and a unit test keeps it equal to these rows."""
    rows = []
    for p in moe.PRESETS.values():
        c = moe.count_parameters(p.arch)
        rows.append(
            [
                p.label,
                count(c.total),
                count(p.published_total),
                _delta(moe.relative_error(c.total, p.published_total)),
                count(c.active),
                count(p.published_active),
                _delta(moe.relative_error(c.active, p.published_active)),
            ]
        )
    return rows


def _map_models() -> dict:
    counts = [(p.label, moe.count_parameters(p.arch)) for p in moe.PRESETS.values()]
    return {X: [c.active for _, c in counts], Y: [c.total for _, c in counts], LABEL: [label for label, _ in counts]}


MAP_MODELS = _map_models()
"""The four presets on the cost map (fixed: computed once)."""


def _params_view(values: dict) -> dict:
    key = values[PRESET]
    notes: list[str] = []
    if key == CUSTOM:
        arch, notes = _custom_architecture(values)
        label, preset = "Custom model", None
    else:
        preset = moe.PRESETS[key]
        arch, label = preset.arch, preset.label
    c = moe.count_parameters(arch)
    total, active = c.total, c.active
    rows = [[name, count(c.total_by[name]), count(c.active_by[name])] for name in moe.COMPONENTS]
    rows.append(["sum", count(total), count(active)])
    table = [
        {"tag": "h4", "text": f"{label}: where the parameters are"},
        {"tag": "p", "text": _describe(arch)},
        {"tag": "table", "head": ["component", "total", "active per token"], "rows": rows},
        {
            "tag": "p",
            "text": "Active = what one token's forward pass multiplies by: its top-K routed experts, the shared experts, "
            "attention, dense FFNs, router, norms and the output head. The input-embedding lookup reads one row and "
            "is not counted as active.",
        },
    ]
    if preset is not None:
        table.append({"tag": "p", "text": f"Numbers from {preset.config_url}. {preset.note}"})
    hover = [f"{count(c.total_by[name])} total, {count(c.active_by[name])} active" for name in moe.COMPONENTS]
    custom_note = " ".join(notes) if notes else "Counts update as you type; attention is grouped-query."
    return {
        "readouts": {
            TOTAL: readout(total, count(total)),
            ACTIVE: readout(active, count(active)),
            ACTIVE_FRACTION: readout(c.active_fraction, percent(c.active_fraction)),
            MEMORY: readout(2 * total, nbytes(2 * total)),
            FLOPS: readout(2 * active, sci(2 * active, "FLOP")),
        },
        "sources": {
            SRC_PARAMS: {
                COMPONENT: list(moe.COMPONENTS),
                # Billions: readable axis ticks; the hover and the table give exact counts.
                TOTAL_COL: [c.total_by[name] / 1e9 for name in moe.COMPONENTS],
                ACTIVE_COL: [c.active_by[name] / 1e9 for name in moe.COMPONENTS],
                LABEL: hover,
            },
            SRC_MAP_MODELS: MAP_MODELS,
            SRC_MAP_HERE: {X: [active], Y: [total], LABEL: [label]},
            SRC_MAP_DENSE: {X: list(MAP_DENSE_RANGE), Y: list(MAP_DENSE_RANGE), LABEL: ["dense", "dense"]},
        },
        "panels": {PARAMS_TABLE: table},
        "outputs": {CUSTOM_NOTE: custom_note},
        "show": {CUSTOM_BOX: key == CUSTOM},
        "captions": {
            FIG_PARAMS: (
                f"Horizontal bars of total (wide) and active-per-token (narrow) parameters of {label} by component: "
                f"{count(total)} total, {count(active)} active ({percent(c.active_fraction)}); routed experts hold "
                f"{count(c.total_by['routed experts'])} of which a token uses {count(c.active_by['routed experts'])}."
            ),
            FIG_MAP: (
                f"Log-log map of total parameters (memory) against active parameters per token (compute); dense models "
                f"lie on the dashed diagonal. {label} sits at {count(active)} active and {count(total)} total, "
                f"{total / active:.1f} times above the diagonal."
            ),
        },
    }


def view(values: dict) -> dict:
    result = _router_view(values)
    params = _params_view(values)
    for key, part in params.items():
        result.setdefault(key, {}).update(part)
    result["outputs"][TOP_K_OUT] = f"{values[TOP_K]} of {moe.N_EXPERTS}"
    return result
