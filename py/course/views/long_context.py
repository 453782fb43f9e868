"""Long-context lab: an attention pattern's mask beside its cost, from 16 to
1,048,576 tokens.

The learner picks a pattern and a sequence length N (a power of two) and
turns the pattern's knobs; every number comes from :mod:`course.attention`
(analytic pair counts, FLOPs, KV cache, receptive field) for a model preset
whose shape is taken from its published ``config.json``.

Knobs are validated twice. Alone, each must be a whole number in its range
(``course.controls`` clamps it, with a message in ``#<id>-msg``). Against N,
a window, stride or global count longer than the sequence is used as N (the
mask is then the causal one), and BigBird's block size is kept at most N and,
above N = 1,024, at least N / 512. These notes go to ``#<id>-note`` beside
the control, while the control keeps the learner's value, so dragging N down
and back up restores the pattern they set.

The picture (see :func:`picture`): exact cells, one per (query, key) pair, up
to N = 1024; above that a fixed grid of 512 × 512 blocks, each coloured by
the exact fraction of its pairs that are allowed, sent as a palette PNG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from course import attention as at
from course import png
from course.controls import Choice, Integer
from course.units import count, nbytes, percent, readout, sci, sig

# ---------------------------------------------------------------- ids (the page contract)

PATTERN = "pattern"
SEQ = "log2-seq-len"
WINDOW = "window"
STRIDE = "stride"
GLOBALS = "globals"
BLOCK = "block-size"
RANDOM = "random-blocks"
MODEL = "model"
DTYPE = "dtype-bytes"
LAYERS = "custom-layers"
HEADS = "custom-heads"
KV_HEADS = "custom-kv-heads"
HEAD_DIM = "custom-head-dim"

PAIRS = "attended-pairs"
DENSITY = "density"
RATIO = "causal-ratio"
FLOPS = "attn-flops"
KV = "kv-cache-bytes"
RF = "receptive-field"

FIG_MASK = "mask"
FIG_FLOPS = "cost-flops"
FIG_KV = "cost-kv"
FIG_RF = "receptive"

# Elements the view shows or hides, writes text into, or fills with blocks.
KNOB_BOX = {WINDOW: "knob-window", STRIDE: "knob-stride", GLOBALS: "knob-globals", BLOCK: "knob-block-size", RANDOM: "knob-random-blocks"}
CUSTOM_BOX = "custom-model"
NOTE = "-note"  # suffix: #window-note holds the window's note against N
SEQ_OUT = "log2-seq-len-out"
RANDOM_OUT = "random-blocks-out"
RULE_OUT = "pattern-rule"
BLOCKS_OUT = "bigbird-blocks"
CONTEXT_OUT = "context-note"
COST_OUT = "cost-detail"
MODEL_PANEL = "model-info"
PRESETS_PANEL = "kv-presets"

# Data sources and their columns (shared by the view and FIGURES).
SRC_MASK, URL, X, Y, W, H = "mask", "url", "x", "y", "w", "h"
LEFT, RIGHT, TOP, BOTTOM = "left", "right", "top", "bottom"
# Each cost figure has its own sources (BokehJS gives every shown figure its
# own document, and a model may belong to one document only): the curves
# (N, this pattern, causal or full), the current point and the context limit.
COST_FIGURES = (FIG_FLOPS, FIG_KV)
HERE, LIMIT = "-here", "-limit"  # suffixes of the point's and the limit's source names
N_COL, THIS, BASE, Y = "n", "pattern", "baseline", "y"
SRC_RF, SRC_RF_ALL, LAYER, TOKENS = "rf", "rf_all", "layer", "tokens"

# ---------------------------------------------------------------- controls

EXACT_UP_TO = 1024
"""Up to this N the picture has one cell per (query, key) pair."""

BLOCK_GRID = 512
"""Above EXACT_UP_TO the picture is a fixed BLOCK_GRID × BLOCK_GRID grid of
blocks of N / 512 tokens a side. BokehJS decodes and scales the picture on
the main thread on every update (seen in a CPU profile), a 1024² image has
4 times the pixels of a 512² one, and a plot at most 36rem wide shows no more
than about 512 cells across anyway. BigBird keeps to at most 512 blocks above N = 1024
(block size at least N / 512), so each picture cell lies in one block pair."""


def picture_cells(n: int) -> int:
    """Cells per side of the picture at length ``n``."""
    return n if n <= EXACT_UP_TO else BLOCK_GRID


MIN_PIXELS = 512
"""Small pictures are upscaled by whole pixels to at least this width, so the
browser does not blur a 16 × 16 mask into a smudge."""

MAX_TOKENS = 2**20
MODELS = (*at.PRESETS, "custom")
DTYPES = {"2": "bf16", "1": "fp8 / int8", "0.5": "int4"}


@dataclass(frozen=True)
class PowerOfTwo:
    """A whole power of two in [low, high] (a block size); clamps, then rounds
    to the nearest power of two, each time saying so."""

    low: int
    high: int
    default: int

    @property
    def options(self) -> tuple[str, ...]:
        """Every allowed value, as the page's <select> lists them."""
        return tuple(str(1 << k) for k in range(self.low.bit_length() - 1, self.high.bit_length()))

    def parse(self, text: object, previous: object = None) -> tuple[int, str | None]:
        value, note = Integer(self.low, self.high, self.default).parse(text, previous)
        nearest = 1 << round(math.log2(value))
        if nearest != value:
            return nearest, f"{value} is not a power of two; using {nearest}."
        return value, note


CONTROLS = {
    PATTERN: Choice(at.PATTERNS, "sliding"),
    SEQ: Integer(4, 20, 12),
    WINDOW: Integer(1, MAX_TOKENS, 512),
    STRIDE: Integer(1, MAX_TOKENS, 64),
    GLOBALS: Integer(1, MAX_TOKENS, 16),
    BLOCK: PowerOfTwo(4, 65536, 64),
    RANDOM: Integer(0, 8, 3),
    MODEL: Choice(MODELS, "llama-3-8b"),
    DTYPE: Choice(tuple(DTYPES), "2"),
    # Custom model defaults: the shape of Llama 3 8B.
    LAYERS: Integer(1, 256, 32),
    HEADS: Integer(1, 256, 32),
    KV_HEADS: Integer(1, 256, 8),
    HEAD_DIM: Integer(8, 512, 128),
}

USES = {
    "full": (),
    "causal": (),
    "sliding": (WINDOW,),
    "strided": (STRIDE,),
    "global-local": (WINDOW, GLOBALS),
    "bigbird": (WINDOW, GLOBALS, BLOCK, RANDOM),
}
"""The knobs each pattern uses (the others are hidden)."""

LABELS = {
    "full": "full (bidirectional)",
    "causal": "causal",
    "sliding": "sliding-window",
    "strided": "strided (Sparse Transformer)",
    "global-local": "global + local (Longformer)",
    "bigbird": "BigBird block-sparse",
}

# ---------------------------------------------------------------- figures

# Picture colours: level 0 transparent (the plot's own background shows, in
# light and dark themes alike), then one blue whose opacity grows with the
# allowed fraction (course.attention.fraction_level: log scale).
MASK_RGB = (0x2F, 0x6F, 0xD6)
PALETTE = [(0, 0, 0, 0)] + [(*MASK_RGB, round(56 + 199 * (k - 1) / 254)) for k in range(1, at.LEVELS)]

_THOUSANDS = {"$model": "NumeralTickFormatter", "format": "0,0"}  # 200,000 rather than 2.000e+5

FIGURES = [
    {
        "id": FIG_MASK,
        "figure": {
            # Square, scaled to the box's width; the runner reserves `height`
            # as the box's min-height before drawing, so keep it below a
            # phone's width (the CSS aspect-ratio gives the box its real height).
            "width": 280,
            "height": 280,
            "sizing_mode": "scale_width",
            # Own axes, so positions read 200,000 rather than 2.000e+5.
            "x_axis_type": None,
            "y_axis_type": None,
            "below": [{"$model": "LinearAxis", "axis_label": "key position j", "formatter": _THOUSANDS}],
            "left": [{"$model": "LinearAxis", "axis_label": "query position i", "formatter": _THOUSANDS}],
            "x_range": {"$model": "DataRange1d", "range_padding": 0},
            "y_range": {"$model": "DataRange1d", "range_padding": 0, "flipped": True},
        },
        "glyphs": [
            {
                "kind": "image_url",
                "source": SRC_MASK,
                "fields": {"url": URL, "x": X, "y": Y, "w": W, "h": H},
                # A centred anchor is the same on a flipped axis, and lets the
                # image's bounds drive the ranges.
                "props": {"anchor": "center"},
            },
            {
                "kind": "quad",
                "source": SRC_MASK,
                "fields": {"left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM},
                "props": {"fill_alpha": 0, "line_color": {"$theme": "muted"}, "line_width": 1},
            },
        ],
    },
    *[
        {
            "id": fig,
            "figure": {
                "height": 280,
                "x_axis_type": "log",
                "y_axis_type": "log",
                "x_axis_label": "sequence length N (tokens)",
                "y_axis_label": y_label,
            },
            "glyphs": [
                {"kind": "line", "source": fig, "fields": {"x": N_COL, "y": BASE},
                 "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "muted"}}},
                {"kind": "line", "source": fig, "fields": {"x": N_COL, "y": THIS},
                 "props": {"line_width": 2.5, "line_color": {"$theme": "accent"}}},
                {"kind": "line", "source": fig + LIMIT, "fields": {"x": N_COL, "y": Y},
                 "props": {"line_width": 1.5, "line_dash": "dotted", "line_color": "#c2410c"}},
                {"kind": "scatter", "source": fig + HERE, "fields": {"x": N_COL, "y": Y},
                 "props": {"size": 11, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}}},
            ],
        }
        for fig, y_label in (
            (FIG_FLOPS, "attention FLOP per forward pass"),
            (FIG_KV, "KV cache (bytes)"),
        )
    ],
    {
        "id": FIG_RF,
        "figure": {
            "height": 280,
            "x_axis_label": "layers stacked",
            "y_axis_type": None,
            "y_scale": {"$model": "LogScale"},
            "left": [{"$model": "LogAxis", "axis_label": "tokens reaching the last position", "formatter": _THOUSANDS}],
        },
        "glyphs": [
            {"kind": "line", "source": SRC_RF_ALL, "fields": {"x": LAYER, "y": TOKENS},
             "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "muted"}}},
            {"kind": "line", "source": SRC_RF, "fields": {"x": LAYER, "y": TOKENS},
             "props": {"line_width": 2.5, "line_color": {"$theme": "accent"}}},
            {"kind": "scatter", "source": SRC_RF, "fields": {"x": LAYER, "y": TOKENS},
             "props": {"size": 5, "fill_color": {"$theme": "accent"}, "line_color": {"$theme": "accent"}}},
        ],
    },
]

# ---------------------------------------------------------------- helpers


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _tokens(value: int) -> str:
    return f"{value:,} token" + ("" if value == 1 else "s")


def build_mask(values: dict, n: int) -> tuple[at.Mask, dict[str, str], str]:
    """The mask the knobs describe at length ``n``, the notes on knobs that
    had to be limited by ``n``, and BigBird's block arithmetic (else "")."""
    pattern = values[PATTERN]
    notes: dict[str, str] = {}

    def within(key: str, what: str) -> int:
        value = values[key]
        if value > n:
            notes[key] = f"{what} of {value:,} is more than the sequence ({_tokens(n)}); using {n:,}."
            return n
        return value

    if pattern == "full":
        return at.full(), notes, ""
    if pattern == "causal":
        return at.causal(), notes, ""
    if pattern == "sliding":
        return at.sliding(within(WINDOW, "A window")), notes, ""
    if pattern == "strided":
        return at.strided(within(STRIDE, "A stride")), notes, ""
    if pattern == "global-local":
        return at.global_local(within(WINDOW, "A window"), within(GLOBALS, "A global count")), notes, ""
    # BigBird: each picture cell inside one block pair, one block at most the whole sequence.
    window, glob = within(WINDOW, "A window"), within(GLOBALS, "A global count")
    block = values[BLOCK]
    cells = picture_cells(n)
    smallest = n // cells
    if block > n:
        notes[BLOCK] = f"A block of {block:,} is more than the sequence ({_tokens(n)}); using {n:,} (one block)."
        block = n
    elif block < smallest:
        notes[BLOCK] = (
            f"At {_tokens(n)} the lab keeps to {cells:,} blocks, so every block shows in the picture; "
            f"using blocks of {smallest:,}."
        )
        block = smallest
    window_blocks, global_blocks = -(-window // block), -(-glob // block)
    mask = at.bigbird(block, window_blocks, global_blocks, values[RANDOM])
    blocks = at.bigbird_blocks(n, block)
    detail = (
        f"{blocks:,} blocks of {block:,} tokens. Window {window:,} tokens → {window_blocks:,} "
        f"block{'s' if window_blocks != 1 else ''} (itself and {window_blocks - 1:,} before); "
        f"{glob:,} global token{'s' if glob != 1 else ''} → {global_blocks:,} global "
        f"block{'s' if global_blocks != 1 else ''}; {values[RANDOM]} random block{'s' if values[RANDOM] != 1 else ''} "
        f"per row (seed {at.BIGBIRD_SEED})."
    )
    return mask, notes, detail


def build_model(values: dict) -> tuple[at.Model, dict[str, str]]:
    """The preset, or the custom shape with KV heads made to divide the heads."""
    if values[MODEL] != "custom":
        return at.PRESETS[values[MODEL]], {}
    heads, kv_heads = values[HEADS], values[KV_HEADS]
    notes = {}
    if kv_heads > heads or heads % kv_heads:
        # Grouped-query attention shares each KV head among heads / kv_heads query heads.
        usable = max(d for d in range(1, min(heads, kv_heads) + 1) if heads % d == 0)
        notes[KV_HEADS] = (
            f"{kv_heads} KV heads cannot be shared evenly by {heads} query heads; using {usable}, "
            f"the largest divisor of {heads} up to {kv_heads}."
        )
        kv_heads = usable
    return at.custom_model(values[LAYERS], heads, kv_heads, values[HEAD_DIM]), notes


def rule(mask: at.Mask) -> str:
    """The mask's definition with its current numbers."""
    p = mask.pattern
    if p == "full":
        return "Every query i attends to every key j (both directions)."
    if p == "causal":
        return "Query i attends to key j when j ≤ i."
    if p == "sliding":
        return f"Query i attends to key j when i − {mask.window:,} < j ≤ i: itself and the {mask.window - 1:,} tokens before it."
    if p == "strided":
        return (
            f"Query i attends to key j ≤ i when i − j < {mask.stride:,} (the local band) "
            f"or i − j is a multiple of {mask.stride:,} (the strided column)."
        )
    if p == "global-local":
        return (
            f"Query i attends to key j ≤ i when i − j < {mask.window:,} (its window) "
            f"or j < {mask.global_tokens:,} (the global tokens)."
        )
    return (
        f"Block row I attends to key block J ≤ I when I − J < {mask.window_blocks:,}, J < {mask.global_blocks:,}, "
        f"or J is one of its random blocks; inside an allowed block pair, j ≤ i."
    )


@lru_cache(maxsize=32)
def picture(mask: at.Mask, n: int) -> tuple[str, int]:
    """The mask as a PNG data URL, and the tokens per picture cell (cached:
    changing the model or the precision leaves the picture as it is)."""
    cells = picture_cells(n)
    levels = at.cell_levels(mask, n, cells)
    if cells < MIN_PIXELS:
        levels = png.upscale(levels, -(-MIN_PIXELS // cells))
    return png.data_url(png.indexed_png(levels, PALETTE)), n // cells


def scale_text(n: int, tokens_per_cell: int) -> str:
    if tokens_per_cell == 1:
        return (
            f"Exact: each of the {n:,} × {n:,} cells is one (query, key) pair; "
            "blue means allowed, blank means masked."
        )
    cells = n // tokens_per_cell
    return (
        f"Blocks: each of the {cells:,} × {cells:,} cells covers {tokens_per_cell:,} × {tokens_per_cell:,} = "
        f"{tokens_per_cell**2:,} pairs and is coloured by the exact fraction of them allowed, on a log scale: "
        "solid blue = all, the faintest blue = 1 in 10,000 or fewer, blank = none."
    )


def _model_rows(model: at.Model, bytes_per_element: float) -> list[list[str]]:
    per_token = at.kv_bytes_per_token(model, bytes_per_element)
    if model.is_latent:
        cache = f"{model.layers} layers × ({model.kv_lora_rank} latent + {model.rope_dim} RoPE) × {bytes_per_element:g} B"
        heads = f"{model.heads} (latent attention: no per-head cache)"
    else:
        cache = f"2 × {model.layers} layers × {model.kv_heads} KV heads × {model.head_dim} × {bytes_per_element:g} B"
        heads = f"{model.kv_heads} (each shared by {model.heads // model.kv_heads} query heads)"
    size = str(model.head_dim) if model.head_dim == model.v_head_dim else f"{model.head_dim} (query/key), {model.v_head_dim} (value)"
    rows = [
        ["Layers", str(model.layers)],
        ["Query heads", str(model.heads)],
        ["KV heads", heads],
        ["Head size", size],
        ["KV cache per token", f"{nbytes(per_token)} = {cache}"],
        ["Context limit", _tokens(model.context_limit) if model.context_limit else "none (your model)"],
    ]
    if model.sliding_window:
        rows.append(["Own attention", f"sliding window of {_tokens(model.sliding_window)}"])
    rows.append(["Source", model.source])
    return rows


PRESET_LENGTHS = (8192, 131072, 2**20)


def preset_table(bytes_per_element: float) -> dict:
    """KV cache of every preset, full cache, at a few lengths."""
    rows = []
    for model in at.PRESETS.values():
        per_token = at.kv_bytes_per_token(model, bytes_per_element)
        rows.append([model.label, nbytes(per_token)] + [nbytes(per_token * n) for n in PRESET_LENGTHS])
    head = ["Model", "Per token"] + [f"{_tokens(n)}" for n in PRESET_LENGTHS]
    return {"tag": "table", "head": head, "rows": rows}


# ---------------------------------------------------------------- the view


def view(values: dict) -> dict:
    n = 1 << values[SEQ]
    pattern = values[PATTERN]
    mask, knob_notes, blocks_text = build_mask(values, n)
    model, model_notes = build_model(values)
    bytes_per_element = float(values[DTYPE])

    pairs = at.pair_count(mask, n)
    dens = pairs / (n * n)
    ratio = pairs / at.causal_pairs(n)
    flops = at.attention_flops(model, pairs)
    kept = at.kv_tokens_kept(mask, n)
    kv = at.kv_cache_bytes(model, kept, bytes_per_element)
    field = at.receptive_field(mask, n, model.layers)
    url, per_cell = picture(mask, n)

    lengths = [1 << k for k in range(CONTROLS[SEQ].low, CONTROLS[SEQ].high + 1)]
    curve_masks = [build_mask(values, length)[0] for length in lengths]
    curves = {
        FIG_FLOPS: {
            N_COL: lengths,
            THIS: [at.attention_flops(model, at.pair_count(m, length)) for m, length in zip(curve_masks, lengths)],
            BASE: [at.attention_flops(model, at.causal_pairs(length)) for length in lengths],
        },
        FIG_KV: {
            N_COL: lengths,
            THIS: [at.kv_cache_bytes(model, at.kv_tokens_kept(m, length), bytes_per_element) for m, length in zip(curve_masks, lengths)],
            BASE: [at.kv_cache_bytes(model, length, bytes_per_element) for length in lengths],
        },
    }
    here = {FIG_FLOPS: flops, FIG_KV: kv}
    limit = model.context_limit
    cost_sources = {}
    for fig, curve in curves.items():
        cost_sources[fig] = curve
        cost_sources[fig + HERE] = {N_COL: [n], Y: [here[fig]]}
        # The limit is a vertical line spanning the curves (empty for a custom model).
        span = [min(curve[THIS]), max(curve[BASE])] if limit else []
        cost_sources[fig + LIMIT] = {N_COL: [limit] * len(span), Y: span}

    causal_flops = at.attention_flops(model, at.causal_pairs(n))
    full_kv = at.kv_cache_bytes(model, n, bytes_per_element)
    label = LABELS[pattern]
    used = USES[pattern]
    notes = {**knob_notes, **model_notes}
    outputs = {key + NOTE: notes.get(key, "") for key in (*KNOB_BOX, KV_HEADS)}
    context = ""
    if limit and n > limit:
        context = f"N = {n:,} is beyond {model.label}'s context limit of {_tokens(limit)}: the cost is what it would be, not what the model supports."
    per_token = at.kv_bytes_per_token(model, bytes_per_element)
    outputs.update({
        SEQ_OUT: f"2{str(values[SEQ]).translate(_SUPERSCRIPT)} = {_tokens(n)}",
        RANDOM_OUT: str(values[RANDOM]),
        RULE_OUT: rule(mask),
        BLOCKS_OUT: blocks_text,
        CONTEXT_OUT: context,
        COST_OUT: (
            f"FLOPs = 2 × {pairs:,} pairs × {model.heads} heads × ({model.head_dim} + {model.v_head_dim}) × "
            f"{model.layers} layers. KV cache = {_tokens(kept)} kept × {nbytes(per_token)} per token "
            f"({DTYPES[values[DTYPE]]})."
        ),
    })
    return {
        "readouts": {
            PAIRS: readout(pairs, count(pairs, "pairs")),
            DENSITY: readout(dens, percent(dens)),
            RATIO: readout(ratio, f"{sig(ratio)}× causal"),
            FLOPS: readout(flops, sci(flops, "FLOP")),
            KV: readout(kv, nbytes(kv)),
            RF: readout(field[-1], _tokens(field[-1])),
        },
        "sources": {
            SRC_MASK: {URL: [url], X: [n / 2], Y: [n / 2], W: [n], H: [n], LEFT: [0], RIGHT: [n], TOP: [0], BOTTOM: [n]},
            **cost_sources,
            SRC_RF: {LAYER: list(range(1, model.layers + 1)), TOKENS: field},
            SRC_RF_ALL: {LAYER: [1, model.layers], TOKENS: [n, n]},
        },
        "captions": {
            FIG_MASK: (
                f"The {label} attention mask at N = {_tokens(n)}: rows are queries i from the first token at the top, "
                f"columns are keys j. {count(pairs)} of {count(n * n)} pairs are allowed ({percent(dens)}). "
                + scale_text(n, per_cell)
            ),
            FIG_FLOPS: (
                f"Log-log plot of attention FLOPs per forward pass of {model.label} against sequence length, "
                f"for the {label} pattern (solid) and for causal attention (dashed). At N = {n:,} (the dot): {sci(flops, 'FLOP')} against "
                f"{sci(causal_flops, 'FLOP')} causal."
                + (f" Dotted line: the context limit, {_tokens(limit)}." if limit else "")
            ),
            FIG_KV: (
                f"Log-log plot of the KV cache of {model.label} in {DTYPES[values[DTYPE]]} against sequence length, "
                f"for the {label} pattern (solid; {_tokens(kept)} kept at N = {n:,}) and for a full cache (dashed). "
                f"At N = {n:,} (the dot): {nbytes(kv)} against {nbytes(full_kv)}."
                + (f" Dotted line: the context limit, {_tokens(limit)}." if limit else "")
            ),
            FIG_RF: (
                f"Receptive field of the last position (solid) after 1 to {model.layers} stacked {label} layers at "
                f"N = {n:,}, against the whole sequence (dashed): {_tokens(field[0])} after one layer, "
                f"{_tokens(field[-1])} after {model.layers}."
            ),
        },
        "panels": {
            MODEL_PANEL: [{"tag": "table", "head": ["Quantity", model.label], "rows": _model_rows(model, bytes_per_element)}],
            PRESETS_PANEL: [preset_table(bytes_per_element)],
        },
        "outputs": outputs,
        "show": {**{box: key in used for key, box in KNOB_BOX.items()}, CUSTOM_BOX: values[MODEL] == "custom"},
    }
