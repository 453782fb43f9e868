"""Scaling-laws lab: Chinchilla loss, FLOPs, dollars and the compute-optimal
frontier, live.

The learner picks a model size N and a token count D (log10 sliders), one of
two published fits of ``L(N, D) = E + A / N**alpha + B / D**beta`` and the
hardware assumptions behind the dollars. Every number comes from
:mod:`course.scaling`, which cites its sources: Hoffmann et al. 2022
(arXiv 2203.15556, eq. 2, eq. 4, eq. 10, Tables 1-3) and Besiroglu et al.
2024 (arXiv 2404.10102).

Two figures:

* ``landscape``: the loss over (log10 N, log10 D) as a colour map with
  iso-loss contours, the learner's run, the iso-FLOP line through it, the
  selected fit's compute-optimal frontier, the D = 20 N line, the
  Approach-1 projections of Table 3 and real models as labelled points. The
  colour grid and contours depend on the fit only, so they are memoised per
  fit and a slider move recomputes none of them.
* ``iso-flop``: loss against N at the learner's budget C = 6 N D, its
  minimum marked (the compute-optimal N).
"""

from __future__ import annotations

import math
from functools import lru_cache

from course import heatmap, scaling
from course.controls import Choice, Number, Range
from course.units import count, percent, readout, sci, sig, usd

# ---------------------------------------------------------------- controls
LOG_N, LOG_D, FIT = "log-n", "log-d", "fit"
PEAK_TFLOPS, MFU, USD_PER_HOUR = "gpu-peak-flops", "mfu", "usd-per-gpu-hour"

CONTROLS = {
    # Defaults: Chinchilla's 70 B parameters and 1.4 T tokens, to the slider step.
    LOG_N: Range(7.0, 13.0, 0.01, 10.85),
    LOG_D: Range(9.0, 15.0, 0.01, 12.15),
    FIT: Choice(tuple(scaling.FITS), scaling.DEFAULT_FIT),
    # The peak is entered in TFLOP/s (989.4, not 9.894e14): what datasheets print.
    PEAK_TFLOPS: Number(1.0, 100_000.0, round(scaling.H100_BF16_DENSE_PEAK_FLOPS / 1e12, 6)),
    MFU: Number(0.01, 1.0, scaling.DEFAULT_MFU),
    USD_PER_HOUR: Number(0.01, 1_000.0, scaling.DEFAULT_USD_PER_GPU_HOUR),
}
TFLOPS = 1e12
FIT_SHORT = {"hoffmann": "Hoffmann Approach 3", "epoch": "Epoch refit"}

# ---------------------------------------------------------------- read-outs
LOSS, FLOPS, GPU_HOURS, COST, TOKENS_PER_PARAM = "loss", "flops", "gpu-hours", "cost-usd", "tokens-per-param"
OPT_PARAMS, OPT_TOKENS, OPT_LOSS, OPT_RATIO = "opt-params", "opt-tokens", "opt-loss", "opt-tokens-per-param"
RULE_PARAMS, RULE_TOKENS, RULE_LOSS = "rule-params", "rule-tokens", "rule-loss"
SAME_LOSS_PARAMS, SAME_LOSS_FLOPS = "same-loss-params", "same-loss-flops"
EXTRA_COMPUTE, SERVE_RATIO = "extra-compute", "serve-ratio"

# Panels (tables rebuilt from the view) and texts beside controls.
COMPARE_PANEL, MODELS_PANEL = "compare-table", "models-table"
FIT_NOTE = "fit-note"

# ---------------------------------------------------------------- figures
LANDSCAPE_FIG, CURVE_FIG = "landscape", "iso-flop"

# Data sources of the landscape (coordinates are log10 N, log10 D: the
# colour-map picture needs linear axes) and of the iso-FLOP curve (N on a log axis).
GRID, CONTOURS, CONTOUR_LABELS = "grid", "contours", "contour-labels"
ISO_LINE, FRONTIER, RULE_LINE, APPROACH1 = "iso-line", "frontier", "rule-line", "approach1"
MODELS, HERE, OPTIMUM, RULE_POINT = "models", "here", "optimum", "rule-point"
CURVE, CURVE_MIN, CURVE_HERE, CURVE_RULE = "curve", "curve-min", "curve-here", "curve-rule"

# Column names.
X, Y, XS, YS, LABEL, URL = "x", "y", "xs", "ys", "label", "url"
ALIGN, DX, DY = "align", "dx", "dy"
PARAMS, LOSS_COL = "params", "loss"

BOX_N = (CONTROLS[LOG_N].low, CONTROLS[LOG_N].high)
BOX_D = (CONTROLS[LOG_D].low, CONTROLS[LOG_D].high)
GRID_CELLS = 64
"""The colour map is 64 × 64 pixels of 0.094 decade, smoothed by the browser
when drawn at the plot's size (it looks as smooth as 100 × 100, and the PNG
is 4 KB instead of 10 KB); memoised per fit."""

CONTOUR_LEVELS = (1.8, 1.9, 2.0, 2.2, 2.5, 3.0, 3.5, 4.0)
"""Iso-loss contours drawn on the landscape, nats per token."""

CONTOUR_SAMPLES = 600
"""Points per contour before clipping to the plot (logit-spaced shares)."""
CONTOUR_STEP = 0.08
"""Least distance, in decades, between the drawn points of a contour (about
6 px at the plot's usual width)."""

COLOUR_LOW = math.floor(20 * min(scaling.loss(10 ** BOX_N[1], 10 ** BOX_D[1], k) for k in scaling.FITS)) / 20
COLOUR_HIGH = 3.0
"""Loss of the darkest and the brightest colour. Above 3 nats the colour
saturates: most of the plane lies between 1.7 and 2.5, where the lesson is."""

CURVE_POINTS = 121
CURVE_MARGIN_DECADES = 0.75
"""The iso-FLOP curve spans the learner's N, the optimum and the 20-tokens
split, with this margin on each side."""

DIGITS = 5
"""Plot coordinates are rounded to this many decimals for transport (1e-5 of
a decade or a nat, far below a pixel); read-outs carry full precision."""

VERDICT_FACTOR = 1.5
"""A model whose tokens per parameter are within this factor of the fit's
optimum at its own budget is called near compute-optimal in the table."""

# Label placement of the real models: (text_align, x offset px, y offset px;
# positive y is down). Chinchilla and Llama 2 70B share N, GPT-3 and Gopher
# share D: their labels go above and below; labels near the right edge go left.
_LABEL_PLACES = {
    "GPT-3 175B": ("right", -8, -9),
    "Gopher 280B": ("right", -8, 10),
    "Chinchilla 70B": ("right", -8, 9),
    "Llama 2 70B": ("right", -8, -9),
    "Llama 3 405B": ("right", 10, 12),
}
_DEFAULT_PLACE = ("left", 8, 0)


def _r(value: float) -> float:
    return round(value, DIGITS)


def _theme(key: str) -> dict:
    return {"$theme": key}


def _glyph(kind: str, source: str, props: dict, **fields: str) -> dict:
    """One glyph of a figure spec (py/pages/jsboundary.py:render_figure);
    ``fields`` map glyph properties to columns, x and y by default."""
    return {"kind": kind, "source": source, "fields": fields or {"x": X, "y": Y}, "props": props}


_DARK_EDGE = "#1d1f24"
_PINK = "#ff9de2"

FIGURES = [
    {
        "id": LANDSCAPE_FIG,
        "figure": {
            "height": 460,
            "x_range": {"$model": "Range1d", "start": BOX_N[0], "end": BOX_N[1]},
            "y_range": {"$model": "Range1d", "start": BOX_D[0], "end": BOX_D[1]},
            "x_axis_label": "log₁₀ parameters N",
            "y_axis_label": "log₁₀ training tokens D",
        },
        "glyphs": [
            # The colour map is one PNG (course.heatmap): a single drawImage
            # per frame, and one short string per update.
            _glyph("image_url", GRID, {"x": BOX_N[0], "y": BOX_D[0], "w": BOX_N[1] - BOX_N[0],
                                       "h": BOX_D[1] - BOX_D[0], "anchor": "bottom_left"}, url=URL),
            _glyph("multi_line", CONTOURS, {"line_color": "#ffffff", "line_alpha": 0.45, "line_width": 1}, xs=XS, ys=YS),
            _glyph("text", CONTOUR_LABELS, {"text_font_size": "10px", "text_color": "#ffffff", "text_align": "right",
                                            "x_offset": -3, "y_offset": -3}, x=X, y=Y, text=LABEL),
            _glyph("line", RULE_LINE, {"line_color": _PINK, "line_width": 2, "line_dash": "dashed"}),
            # The frontier: a white line on a dark casing, visible on every
            # colour of the map.
            _glyph("line", FRONTIER, {"line_color": _DARK_EDGE, "line_width": 5}),
            _glyph("line", FRONTIER, {"line_color": "#ffffff", "line_width": 2.5}),
            _glyph("scatter", APPROACH1, {"marker": "diamond", "size": 8, "fill_color": _PINK, "line_color": "#3b0a45"}),
            _glyph("line", ISO_LINE, {"line_color": "#ffb000", "line_width": 2, "line_dash": [6, 3]}),
            _glyph("scatter", MODELS, {"marker": "square", "size": 8, "fill_color": "#ffffff", "line_color": _DARK_EDGE}),
            _glyph("text", MODELS, {"text_font_size": "11px", "text_baseline": "middle", "text_color": _theme("fg"),
                                    "background_fill_color": _theme("panel"), "background_fill_alpha": 0.8},
                   x=X, y=Y, text=LABEL, text_align=ALIGN, x_offset=DX, y_offset=DY),
            _glyph("scatter", RULE_POINT, {"marker": "triangle", "size": 11, "fill_color": _PINK, "line_color": _DARK_EDGE}),
            _glyph("scatter", OPTIMUM, {"marker": "star", "size": 17, "fill_color": "#ffffff", "line_color": _DARK_EDGE}),
            _glyph("scatter", HERE, {"size": 13, "fill_color": "#e4572e", "line_color": "#ffffff", "line_width": 2}),
        ],
    },
    {
        "id": CURVE_FIG,
        "figure": {
            "height": 300,
            "x_axis_type": "log",
            "x_axis_label": "parameters N (tokens D = C / 6N)",
            "y_axis_label": "loss (nats / token)",
        },
        "glyphs": [
            _glyph("line", CURVE, {"line_width": 2.5, "line_color": _theme("accent")},
                   x=PARAMS, y=LOSS_COL),
            _glyph("scatter", CURVE_RULE, {"marker": "triangle", "size": 11, "fill_color": "#d6339a",
                                           "line_color": _theme("fg")}, x=PARAMS, y=LOSS_COL),
            _glyph("scatter", CURVE_MIN, {"marker": "star", "size": 17, "fill_color": "#f2c94c",
                                          "line_color": _theme("fg")}, x=PARAMS, y=LOSS_COL),
            _glyph("scatter", CURVE_HERE, {"size": 12, "fill_color": "#e4572e", "line_color": _theme("fg")}, x=PARAMS, y=LOSS_COL),
        ],
    },
]


# ---------------------------------------------------------------- geometry


def line_in_box(point: tuple[float, float], direction: tuple[float, float],
                box_x: tuple[float, float], box_y: tuple[float, float]) -> dict:
    """The part of the straight line through ``point`` along ``direction``
    inside the box, as columns {x: [x0, x1], y: [y0, y1]} (empty when the
    line misses the box). Lines of constant C, of D = k N and the frontier
    are all straight on log-log axes.

    >>> line_in_box((0, 0), (1, 1), (1, 2), (0, 5))
    {'x': [1.0, 2.0], 'y': [1.0, 2.0]}
    """
    t_lo, t_hi = -math.inf, math.inf
    for p, d, (lo, hi) in ((point[0], direction[0], box_x), (point[1], direction[1], box_y)):
        if d == 0:
            if not lo <= p <= hi:
                return {X: [], Y: []}
            continue
        a, b = (lo - p) / d, (hi - p) / d
        t_lo, t_hi = max(t_lo, min(a, b)), min(t_hi, max(a, b))
    if t_lo > t_hi:
        return {X: [], Y: []}
    return {
        X: [_r(point[0] + t * direction[0]) for t in (t_lo, t_hi)],
        Y: [_r(point[1] + t * direction[1]) for t in (t_lo, t_hi)],
    }


def _in_box(log_n: float, log_d: float) -> bool:
    return BOX_N[0] <= log_n <= BOX_N[1] and BOX_D[0] <= log_d <= BOX_D[1]


# ---------------------------------------------------------------- per fit (memoised)


@lru_cache(maxsize=4)
def landscape(fit: str) -> dict:
    """The colour map of ``fit`` as an image source: one PNG data URL."""
    rows = scaling.loss_grid(fit, BOX_N, BOX_D, GRID_CELLS)
    # loss_grid's rows run up the D axis; a picture's first row is its top.
    return {URL: [heatmap.heatmap_url(rows[::-1], COLOUR_LOW, COLOUR_HIGH)]}


def _shares(samples: int) -> list[float]:
    # Logit-spaced shares of the reducible loss: dense near 0 and 1, where
    # the contour runs off along its asymptotes.
    span = 16.0
    return [1.0 / (1.0 + math.exp(-(-span + 2 * span * i / (samples - 1)))) for i in range(samples)]


@lru_cache(maxsize=4)
def contours(fit: str) -> tuple[dict, dict]:
    """Iso-loss contours of ``fit`` clipped to the plot, and their labels
    (each at the contour's right-most visible point)."""
    f = scaling.get_fit(fit)
    xs, ys, labels = [], [], {X: [], Y: [], LABEL: []}
    for level in CONTOUR_LEVELS:
        if level <= f.E:
            continue
        inside = []
        for share in _shares(CONTOUR_SAMPLES):
            n, d = scaling.iso_loss_point(level, share, fit)
            if _in_box(math.log10(n), math.log10(d)):
                inside.append((math.log10(n), math.log10(d)))
        # Thin the points to about one per CONTOUR_STEP decade (ends kept):
        # the curves stay smooth and the update carries a tenth of the numbers.
        line_x, line_y = [], []
        for k, (log_n, log_d) in enumerate(inside):
            far = not line_x or max(abs(log_n - line_x[-1]), abs(log_d - line_y[-1])) >= CONTOUR_STEP
            if far or k == len(inside) - 1:
                line_x.append(round(log_n, 3))
                line_y.append(round(log_d, 3))
        if len(line_x) < 2:
            continue
        xs.append(line_x)
        ys.append(line_y)
        end = max(range(len(line_x)), key=lambda i: (line_x[i], -line_y[i]))
        labels[X].append(line_x[end])
        labels[Y].append(line_y[end])
        labels[LABEL].append(f"{level:g}")
    return {XS: xs, YS: ys}, labels


@lru_cache(maxsize=4)
def frontier(fit: str) -> dict:
    """The compute-optimal frontier of ``fit``: log N* = log G + a t,
    log D* = -log G + b t with t = log10(C/6) (Hoffmann et al. eq. 4)."""
    f = scaling.get_fit(fit)
    log_g = math.log10(f.G)
    return line_in_box((log_g, -log_g), (f.a, f.b), BOX_N, BOX_D)


def _log_columns(pairs) -> dict:
    pairs = list(pairs)
    return {X: [_r(math.log10(n)) for n, _ in pairs], Y: [_r(math.log10(d)) for _, d in pairs]}


MODEL_POINTS = {
    **_log_columns((m.n_params, m.n_tokens) for m in scaling.REAL_MODELS),
    LABEL: [m.name for m in scaling.REAL_MODELS],
    ALIGN: [_LABEL_PLACES.get(m.name, _DEFAULT_PLACE)[0] for m in scaling.REAL_MODELS],
    DX: [_LABEL_PLACES.get(m.name, _DEFAULT_PLACE)[1] for m in scaling.REAL_MODELS],
    DY: [_LABEL_PLACES.get(m.name, _DEFAULT_PLACE)[2] for m in scaling.REAL_MODELS],
}
APPROACH1_POINTS = _log_columns((n, d) for n, _, d in scaling.APPROACH1_TABLE3)
RULE_POINTS = line_in_box((0.0, math.log10(scaling.RULE_TOKENS_PER_PARAM)), (1.0, 1.0), BOX_N, BOX_D)


def _cell(text: str) -> str:
    """A number with its unit, kept on one line in a table (no-break space)."""
    return text.replace(" ", "\u00a0")


def verdict(tokens_per_param: float, optimal_tokens_per_param: float) -> str:
    """Under-trained, near compute-optimal or over-trained, for the table."""
    ratio = tokens_per_param / optimal_tokens_per_param
    if ratio < 1 / VERDICT_FACTOR:
        return f"under-trained ({sig(1 / ratio, 2)}× too few tokens)"
    if ratio > VERDICT_FACTOR:
        return f"over-trained ({sig(ratio, 2)}× the tokens)"
    return "near compute-optimal"


@lru_cache(maxsize=4)
def models_table(fit: str) -> list:
    """The real models under ``fit``: their loss and the fit's optimum at
    each model's own budget."""
    rows = []
    for m in scaling.REAL_MODELS:
        flops = scaling.training_flops(m.n_params, m.n_tokens)
        optimal = scaling.optimal_tokens_per_param(flops, fit)
        rows.append([
            m.name,
            _cell(count(m.n_params)),
            _cell(count(m.n_tokens)),
            sig(m.tokens_per_param, 3),
            _cell(sci(flops)),
            f"{scaling.loss(m.n_params, m.n_tokens, fit):.3f}",
            sig(optimal, 3),
            verdict(m.tokens_per_param, optimal),
        ])
    return [
        {"tag": "table",
         "head": ["Model", "N", "D", "D / N", "C = 6ND (FLOP)", "Loss (nats)", "Optimal D / N at its C", "Verdict"],
         "rows": rows},
        {"tag": "p", "text": f"Loss and optimum under the {scaling.get_fit(fit).label} fit ({scaling.get_fit(fit).source})."},
    ]


# ---------------------------------------------------------------- the view


def _curve(flops: float, fit: str, log_ns: list[float]) -> dict:
    lo = min(log_ns) - CURVE_MARGIN_DECADES
    hi = max(log_ns) + CURVE_MARGIN_DECADES
    step = (hi - lo) / (CURVE_POINTS - 1)
    # N to 6 significant digits: a pixel is 1e-3 of the span, and the
    # update carries short numbers.
    n_values = [float(f"{10 ** (lo + i * step):.6g}") for i in range(CURVE_POINTS)]
    return {
        PARAMS: n_values,
        LOSS_COL: [_r(scaling.loss(n, flops / (scaling.FLOPS_PER_PARAM_PER_TOKEN * n), fit)) for n in n_values],
    }


def _point(n: float, d: float) -> dict:
    return {X: [_r(math.log10(n))], Y: [_r(math.log10(d))]}


def _curve_point(n: float, loss: float) -> dict:
    return {PARAMS: [n], LOSS_COL: [_r(loss)]}


def _nats(value: float) -> str:
    return f"{value:.3f} nats"


def _ratio(value: float) -> str:
    return f"{sig(value, 3)}×"


def view(values: dict) -> dict:
    fit = values[FIT]
    f = scaling.get_fit(fit)
    log_n, log_d = values[LOG_N], values[LOG_D]
    n_params, n_tokens = 10.0**log_n, 10.0**log_d
    flops = scaling.training_flops(n_params, n_tokens)
    loss = scaling.loss(n_params, n_tokens, fit)
    peak = values[PEAK_TFLOPS] * TFLOPS
    hours = scaling.gpu_hours(flops, peak, values[MFU])
    cost = scaling.training_cost_usd(flops, peak, values[MFU], values[USD_PER_HOUR])

    opt_n, opt_d = scaling.compute_optimal(flops, fit)
    opt_loss = scaling.loss(opt_n, opt_d, fit)
    rule_n, rule_d = scaling.rule_of_thumb_allocation(flops)
    rule_loss = scaling.loss(rule_n, rule_d, fit)
    other = next(k for k in scaling.FITS if k != fit)
    other_n, other_d = scaling.compute_optimal(flops, other)

    # Inference versus training: the compute-optimal model that reaches the
    # same loss with the least compute, and what each serves a token for.
    same_flops = scaling.flops_for_loss(loss, fit)
    same_n, same_d = scaling.compute_optimal(same_flops, fit)
    extra = flops / same_flops - 1.0
    serve_ratio = n_params / same_n

    tokens_per_param = n_tokens / n_params
    readouts = {
        LOSS: readout(loss, _nats(loss)),
        FLOPS: readout(flops, sci(flops, "FLOP")),
        GPU_HOURS: readout(hours, count(hours, "GPU-hours")),
        COST: readout(cost, usd(cost)),
        TOKENS_PER_PARAM: readout(tokens_per_param, sig(tokens_per_param, 3)),
        OPT_PARAMS: readout(opt_n, count(opt_n, "params")),
        OPT_TOKENS: readout(opt_d, count(opt_d, "tokens")),
        OPT_LOSS: readout(opt_loss, _nats(opt_loss)),
        OPT_RATIO: readout(opt_d / opt_n, sig(opt_d / opt_n, 3)),
        RULE_PARAMS: readout(rule_n, count(rule_n, "params")),
        RULE_TOKENS: readout(rule_d, count(rule_d, "tokens")),
        RULE_LOSS: readout(rule_loss, _nats(rule_loss)),
        SAME_LOSS_PARAMS: readout(same_n, count(same_n, "params")),
        SAME_LOSS_FLOPS: readout(same_flops, sci(same_flops, "FLOP")),
        EXTRA_COMPUTE: readout(extra, f"+{sig(100 * extra, 3)}%"),
        SERVE_RATIO: readout(serve_ratio, _ratio(serve_ratio)),
    }

    def row(name: str, n: float, d: float) -> list:
        return [name, _cell(count(n)), _cell(count(d)), sig(d / n, 3), f"{scaling.loss(n, d, fit):.3f}"]

    compare = [
        {"tag": "table",
         "head": ["Split of your C", "N", "D", "D / N", "Loss (selected fit)"],
         "rows": [
             row("Your run", n_params, n_tokens),
             row(f"Optimum, {FIT_SHORT[fit]}", opt_n, opt_d),
             row(f"Optimum, {FIT_SHORT[other]}", other_n, other_d),
             row("20 tokens per parameter", rule_n, rule_d),
         ]},
    ]

    sources = {
        GRID: landscape(fit),
        CONTOURS: contours(fit)[0],
        CONTOUR_LABELS: contours(fit)[1],
        FRONTIER: frontier(fit),
        RULE_LINE: RULE_POINTS,
        APPROACH1: APPROACH1_POINTS,
        MODELS: MODEL_POINTS,
        ISO_LINE: line_in_box((log_n, log_d), (1.0, -1.0), BOX_N, BOX_D),
        HERE: _point(n_params, n_tokens),
        OPTIMUM: _point(opt_n, opt_d),
        RULE_POINT: _point(rule_n, rule_d),
        CURVE: _curve(flops, fit, [log_n, math.log10(opt_n), math.log10(rule_n)]),
        CURVE_MIN: _curve_point(opt_n, opt_loss),
        CURVE_HERE: _curve_point(n_params, loss),
        CURVE_RULE: _curve_point(rule_n, rule_loss),
    }

    budget = sci(flops, "FLOP")
    captions = {
        LANDSCAPE_FIG: (
            f"Colour map of the loss predicted by the {f.label} fit over 10^7 to 10^13 parameters "
            f"(across) and 10^9 to 10^15 training tokens (up), dark at {COLOUR_LOW:g} nats and brightest "
            f"from {COLOUR_HIGH:g} nats up, with contours at {', '.join(f'{v:g}' for v in CONTOUR_LEVELS)} nats. "
            f"Your run, {count(n_params, 'parameters')} on {count(n_tokens, 'tokens')}, costs {budget} and "
            f"reaches {_nats(loss)}. Along its iso-FLOP line the fit's optimum is {count(opt_n, 'parameters')} "
            f"on {count(opt_d, 'tokens')} ({sig(opt_d / opt_n, 3)} tokens per parameter, {_nats(opt_loss)}); "
            f"the D = 20 N line gives {count(rule_n, 'parameters')}. The fit's compute-optimal frontier rises "
            f"at slope b / a = {f.b / f.a:.2f} on these axes (1 would keep tokens per parameter fixed). Real models shown: "
            + "; ".join(f"{m.name} at {sig(m.tokens_per_param, 3)} tokens per parameter" for m in scaling.REAL_MODELS)
            + "."
        ),
        CURVE_FIG: (
            f"Loss against model size N at your fixed budget of {budget} (each N trained on C / 6N tokens), "
            f"{f.label} fit. The minimum is at {count(opt_n, 'parameters')}, {_nats(opt_loss)}; your "
            f"{count(n_params, 'parameters')} gives {_nats(loss)}; 20 tokens per parameter "
            f"({count(rule_n, 'parameters')}) gives {_nats(rule_loss)}."
        ),
    }

    outputs = {
        f"{LOG_N}-out": f"{count(n_params)} (10^{log_n:.2f})",
        f"{LOG_D}-out": f"{count(n_tokens)} (10^{log_d:.2f})",
        FIT_NOTE: (
            f"E = {f.E:g}, A = {f.A:g}, B = {f.B:g}, α = {f.alpha:g}, β = {f.beta:g} ({f.source}); "
            f"N* ∝ C^{f.a:.3f}, D* ∝ C^{f.b:.3f}."
        ),
    }

    return {
        "readouts": readouts,
        "sources": sources,
        "captions": captions,
        "panels": {COMPARE_PANEL: compare, MODELS_PANEL: models_table(fit)},
        "outputs": outputs,
    }


# ---------------------------------------------------------------- numbers in the lesson text


def _model(name: str) -> scaling.PublishedModel:
    return next(m for m in scaling.REAL_MODELS if m.name == name)


@lru_cache(maxsize=1)
def prose_numbers() -> dict[str, str]:
    """Every number the lesson's prose states, computed by :mod:`course.scaling`.

    The page writes each one in an element ``data-prose="<key>"``; a unit test
    reads the HTML and checks that its text is exactly the value here, so the
    prose cannot drift from the module the lab runs.
    """
    chinchilla, gopher = _model("Chinchilla 70B"), _model("Gopher 280B")
    gpt3, llama3_8b = _model("GPT-3 175B"), _model("Llama 3 8B")
    c_chinchilla = scaling.training_flops(chinchilla.n_params, chinchilla.n_tokens)
    c_gopher = scaling.training_flops(gopher.n_params, gopher.n_tokens)
    hours = scaling.gpu_hours(c_chinchilla, scaling.H100_BF16_DENSE_PEAK_FLOPS, scaling.DEFAULT_MFU)
    numbers = {
        "chinchilla-flops": sci(c_chinchilla, "FLOP"),
        "gopher-flops": sci(c_gopher, "FLOP"),
        "chinchilla-gpu-hours": count(hours, "GPU-hours"),
        "chinchilla-cost": usd(hours * scaling.DEFAULT_USD_PER_GPU_HOUR),
        "h100-tflops": f"{scaling.H100_BF16_DENSE_PEAK_FLOPS / TFLOPS:g}",
        "default-mfu": percent(scaling.DEFAULT_MFU, 2),
        "default-price": usd(scaling.DEFAULT_USD_PER_GPU_HOUR),
        "gpt3-ratio": sig(gpt3.tokens_per_param, 3),
        "gopher-ratio": sig(gopher.tokens_per_param, 3),
        "chinchilla-loss": f"{scaling.loss(chinchilla.n_params, chinchilla.n_tokens, 'hoffmann'):.3f}",
        "gopher-loss": f"{scaling.loss(gopher.n_params, gopher.n_tokens, 'hoffmann'):.3f}",
    }
    # The published constants and exponents, as the module holds them.
    for key, fit in scaling.FITS.items():
        for name in ("E", "A", "B", "alpha", "beta"):
            numbers[f"{key}-{name}"] = f"{getattr(fit, name):g}"
    table2 = [*scaling.APPROACH_EXPONENTS.values(), scaling.KAPLAN_EXPONENTS]
    for row, (a, b) in zip(("approach1", "approach2", "approach3", "kaplan"), table2):
        numbers[f"{row}-a"], numbers[f"{row}-b"] = f"{a:.2f}", f"{b:.2f}"
    table3 = [d / n for n, _, d in scaling.APPROACH1_TABLE3]
    numbers["table3-ratio-min"] = f"{min(table3):.1f}"
    numbers["table3-ratio-max"] = f"{max(table3):.1f}"
    for key, fit in scaling.FITS.items():
        n, d = scaling.compute_optimal(c_chinchilla, key)
        numbers[f"{key}-a"] = f"{fit.a:.3f}"
        numbers[f"{key}-b"] = f"{fit.b:.3f}"
        numbers[f"{key}-opt-params"] = count(n)
        numbers[f"{key}-opt-tokens"] = count(d)
        numbers[f"{key}-opt-ratio"] = f"{d / n:.0f}"
        for exponent in (21, 25):
            numbers[f"{key}-ratio-1e{exponent}"] = f"{scaling.optimal_tokens_per_param(10.0**exponent, key):.0f}"
    # Inference-optimal training: Llama 3 8B under the Epoch refit.
    loss = scaling.loss(llama3_8b.n_params, llama3_8b.n_tokens, "epoch")
    c_llama = scaling.training_flops(llama3_8b.n_params, llama3_8b.n_tokens)
    c_same = scaling.flops_for_loss(loss, "epoch")
    n_same, _ = scaling.compute_optimal(c_same, "epoch")
    numbers.update({
        "llama3-8b-ratio": sig(llama3_8b.tokens_per_param, 4),
        "llama3-8b-flops": sci(c_llama, "FLOP"),
        "llama3-8b-loss": f"{loss:.3f}",
        "llama3-8b-same-params": count(n_same),
        "llama3-8b-same-flops": sci(c_same, "FLOP"),
        "llama3-8b-extra": f"{c_llama / c_same:.1f}",
        "llama3-8b-serve": f"{n_same / llama3_8b.n_params:.1f}",
    })
    return numbers
