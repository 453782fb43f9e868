"""Cost-and-latency lab: one workload, three levers (quantisation, prompt
caching, speculative decoding), and what each does to memory, speed, the
monthly bill and the median latency.

Every number comes from :mod:`course.serving` (formulas and sources in its
docstring), the model's parameters from :mod:`course.catalog` /
:mod:`course.moe`, its KV cache from :mod:`course.attention`, the GPU's peak
and the model-FLOPs utilisation from :mod:`course.scaling`.
"""

from __future__ import annotations

from dataclasses import dataclass

from course import catalog as cat
from course import scaling
from course import serving as sv
from course.controls import Choice, Integer, Number, Range
from course.units import nbytes, percent, readout, seconds, usd

# ------------------------------------------------------------------ controls


@dataclass(frozen=True)
class Switch:
    """A checkbox: 1 (on) or 0 (off). The page sends "1" / "0"; a link may say
    anything, and anything else is refused with a message (off)."""

    default: int

    def parse(self, text: object, previous: object = None) -> tuple[int, str | None]:
        value = str(text).strip().lower() if text is not None else ""
        if value in ("1", "true", "on"):
            return 1, None
        if value in ("0", "false", "off"):
            return 0, None
        shown = value if len(value) <= 24 else value[:23] + "…"
        return self.default, f"{shown!r} is not on (1) or off (0); using {'on' if self.default else 'off'}."


MODEL = "model"
SCHEME = "scheme"
KV_BITS = "kv-bits"
BATCH = "batch"
GPU_MEMORY = "gpu-memory"
BANDWIDTH = "bandwidth"
GPU_PRICE = "gpu-price"
PRICE_IN, PRICE_WRITE, PRICE_READ, PRICE_OUT = "price-in", "price-write", "price-read", "price-out"
PREFIX = "prefix-tokens"
PER_WRITE = "requests-per-write"
ALPHA, GAMMA, DRAFT_COST = "alpha", "gamma", "draft-cost"
REQUESTS, PROMPT, OUTPUT = "requests-per-day", "prompt-tokens", "output-tokens"
LEVER_QUANT, LEVER_CACHE, LEVER_SPEC = "lever-quant", "lever-cache", "lever-spec"
LEVERS = (LEVER_QUANT, LEVER_CACHE, LEVER_SPEC)

MAX_GAMMA = 16
CONTROLS = {
    MODEL: Choice(tuple(cat.ENTRIES), "llama-3.1-8b"),
    SCHEME: Choice(tuple(k for k in sv.SCHEMES if k != sv.DEFAULT_SCHEME), "q4_k"),
    KV_BITS: Choice(tuple(str(b) for b in sv.KV_BITS), "16"),
    BATCH: Integer(1, 256, 8),
    # NVIDIA H100 SXM5: 80 GB HBM3 at 3.35 TB/s (NVIDIA H100 datasheet).
    GPU_MEMORY: Number(1.0, 1000.0, 80.0),
    BANDWIDTH: Number(0.05, 20.0, 3.35),
    GPU_PRICE: Number(0.01, 1000.0, scaling.DEFAULT_USD_PER_GPU_HOUR),
    PRICE_IN: Number(0.001, 1000.0, sv.ANTHROPIC_SONNET.input),
    PRICE_WRITE: Number(0.001, 1000.0, sv.ANTHROPIC_SONNET.write),
    PRICE_READ: Number(0.0001, 1000.0, sv.ANTHROPIC_SONNET.read),
    PRICE_OUT: Number(0.001, 1000.0, sv.OUTPUT_PRICE),
    PREFIX: Integer(0, 1_000_000, 4000),
    PER_WRITE: Integer(1, 100_000, 10),
    ALPHA: Range(0.0, 1.0, 0.01, 0.8),
    GAMMA: Integer(1, MAX_GAMMA, 4),
    DRAFT_COST: Range(0.0, 1.0, 0.01, 0.05),
    REQUESTS: Number(1.0, 1e9, 100_000.0),
    PROMPT: Integer(1, 1_000_000, 6000),
    OUTPUT: Integer(1, 100_000, 400),
    LEVER_QUANT: Switch(0),
    LEVER_CACHE: Switch(0),
    LEVER_SPEC: Switch(0),
}

# ------------------------------------------------------------------ element ids

WEIGHTS, WEIGHTS_BF16, KV_MEM, MEMORY, GPUS = "weights-bytes", "weights-bf16-bytes", "kv-bytes", "memory-bytes", "gpus"
DECODE_TPS, DECODE_TPS_BF16, BITS = "decode-tps", "decode-tps-bf16", "bits-per-weight"
CACHE_COST, NOCACHE_COST, CACHE_SAVING, BREAK_EVEN = "cache-cost", "nocache-cost", "cache-saving", "break-even"
TOKENS_PER_STEP, SPEEDUP, BEST_GAMMA = "tokens-per-step", "spec-speedup", "best-gamma"
MONTHLY, API_MONTHLY, P50, TTFT = "monthly-cost", "api-monthly", "p50-latency", "ttft"
ALPHA_OUT, DRAFT_OUT, GAMMA_OUT = "alpha-out", "draft-cost-out", "gamma-out"
LEVER_TABLE, ASSUMPTIONS, SCHEME_NOTE = "lever-table", "assumptions", "scheme-note"

FIG_SPEC, FIG_LEVERS = "speculative", "levers"
SRC_SPEC, SRC_SPEC_HERE, SRC_LEVERS = FIG_SPEC, "speculative-here", FIG_LEVERS
G, S_UP, TOKENS = "gamma", "speedup", "tokens"
CONFIG, COST, COST_LABEL, COLOUR, PAD = "config", "cost", "cost_label", "colour", "pad"

LEVER_NAMES = ("no lever", "quantisation", "prompt caching", "speculative decoding")
CONFIGS = ("no lever", "quantisation only", "prompt caching only", "speculative decoding only", "your levers")
_HIGHLIGHT, _OTHER = "#e4572e", "#8c8c8c"

FIGURES = [
    {
        "id": FIG_SPEC,
        "figure": {
            "height": 260,
            "x_range": [0.5, MAX_GAMMA + 0.5],
            "y_range": {"$model": "DataRange1d", "start": 0},
            "x_axis_label": "draft length γ (tokens proposed per step)",
            "y_axis_label": "speed-up (×)",
        },
        "glyphs": [
            {"kind": "line", "source": SRC_SPEC, "fields": {"x": G, "y": TOKENS},
             "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "muted"}}},
            {"kind": "line", "source": SRC_SPEC, "fields": {"x": G, "y": S_UP},
             "props": {"line_width": 2.5, "line_color": {"$theme": "accent"}}},
            {"kind": "scatter", "source": SRC_SPEC_HERE, "fields": {"x": G, "y": S_UP},
             "props": {"size": 11, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}}},
        ],
        "hover": [["γ", "@gamma"], ["speed-up", "@speedup{0.00}"], ["tokens per step", "@tokens{0.00}"]],
    },
    {
        "id": FIG_LEVERS,
        "figure": {
            "height": 230,
            "y_range": list(reversed(CONFIGS)),
            "x_range": {"$model": "DataRange1d", "start": 0},
            "x_axis_label": "self-hosted GPU cost per month, $ (label: cost · p50 latency)",
        },
        "glyphs": [
            {"kind": "hbar", "source": SRC_LEVERS, "fields": {"y": CONFIG, "right": COST, "fill_color": COLOUR},
             "props": {"height": 0.65, "line_color": None, "fill_alpha": 0.9}},
            {"kind": "text", "source": SRC_LEVERS, "fields": {"x": COST, "y": CONFIG, "text": COST_LABEL},
             "props": {"text_font_size": "11px", "x_offset": 5, "text_baseline": "middle", "text_color": {"$theme": "fg"}}},
            {"kind": "scatter", "source": SRC_LEVERS, "fields": {"x": PAD, "y": CONFIG},
             "props": {"size": 1, "fill_alpha": 0, "line_alpha": 0}},
        ],
        "hover": [["levers", "@config"], ["cost · latency", "@cost_label"]],
    },
]

# ------------------------------------------------------------------ helpers


def deployment(values: dict) -> sv.Deployment:
    key = values[MODEL]
    e = cat.entry(key)
    return sv.Deployment(
        arch=e.arch,
        params=cat.count(key),
        kv_shape=cat.kv_shape(key),
        kv_bits=int(values[KV_BITS]),
        gpu_memory_bytes=float(values[GPU_MEMORY]) * 1e9,
        bandwidth_bytes_per_s=float(values[BANDWIDTH]) * 1e12,
        peak_flops=scaling.H100_BF16_DENSE_PEAK_FLOPS,
        mfu=scaling.DEFAULT_MFU,
        usd_per_gpu_hour=float(values[GPU_PRICE]),
        batch=int(values[BATCH]),
    )


def workload(values: dict) -> tuple[sv.Workload, dict]:
    """The workload, with the prefix clamped to the prompt (and a notice)."""
    notices = {}
    prompt = int(values[PROMPT])
    prefix = int(values[PREFIX])
    if prefix > prompt:
        notices[PREFIX] = f"The shared prefix ({prefix:,} tokens) cannot be longer than the prompt; using {prompt:,}."
        prefix = prompt
    return sv.Workload(float(values[REQUESTS]), prompt, int(values[OUTPUT]), prefix, int(values[PER_WRITE])), notices


def prices(values: dict) -> sv.CachePrices:
    return sv.CachePrices(float(values[PRICE_IN]), float(values[PRICE_WRITE]), float(values[PRICE_READ]))


def levers(values: dict, quantise: bool | None = None, cache: bool | None = None, speculate: bool | None = None) -> sv.Levers:
    return sv.Levers(
        scheme=values[SCHEME],
        quantise=bool(values[LEVER_QUANT]) if quantise is None else quantise,
        cache=bool(values[LEVER_CACHE]) if cache is None else cache,
        speculate=bool(values[LEVER_SPEC]) if speculate is None else speculate,
        alpha=float(values[ALPHA]),
        gamma=int(values[GAMMA]),
        draft_cost=float(values[DRAFT_COST]),
    )


def configurations(values: dict) -> list[sv.Levers]:
    """The five bars: nothing, each lever alone, and the learner's own levers."""
    return [
        levers(values, False, False, False),
        levers(values, True, False, False),
        levers(values, False, True, False),
        levers(values, False, False, True),
        levers(values),
    ]


def _rate(tps: float) -> str:
    return f"{tps:,.0f} tokens/s" if tps >= 100 else f"{tps:,.1f} tokens/s"


def _lever_names(lv: sv.Levers) -> str:
    on = [name for name, flag in (("quantisation", lv.quantise), ("prompt caching", lv.cache), ("speculative decoding", lv.speculate)) if flag]
    return ", ".join(on) if on else "none"


def view(values: dict) -> dict:
    d = deployment(values)
    w, notices = workload(values)
    p = prices(values)
    out_price = float(values[PRICE_OUT])
    e = cat.entry(values[MODEL])
    if w.prompt_tokens + w.output_tokens > e.context.value:
        notices[PROMPT] = (
            f"Prompt + output ({w.prompt_tokens + w.output_tokens:,} tokens) exceed {e.label}'s context window "
            f"({e.context.value:,}); the numbers assume it anyway."
        )
    configs = configurations(values)
    served = [sv.serve_workload(d, w, lv, p, out_price) for lv in configs]
    base, quant_only, mine = served[0], served[1], served[-1]
    scheme = sv.SCHEMES[values[SCHEME]]

    # Prompt caching: one cache lifetime (one write, then r - 1 reads).
    r = w.requests_per_write
    uncached = sv.prefix_cost_uncached(w.prefix_tokens, r, p)
    cached = sv.prefix_cost_cached(w.prefix_tokens, r, p)
    saving = 1.0 - cached / uncached if uncached > 0 else 0.0
    even = sv.break_even_reuses(p.input, p.write, p.read)

    # Speculative decoding.
    alpha, gamma, c = float(values[ALPHA]), int(values[GAMMA]), float(values[DRAFT_COST])
    gammas = list(range(1, MAX_GAMMA + 1))
    ups = [sv.speedup(alpha, g, c) for g in gammas]
    tokens = [sv.expected_tokens_per_step(alpha, g) for g in gammas]
    best = sv.best_gamma(alpha, c, MAX_GAMMA)
    here_tokens = sv.expected_tokens_per_step(alpha, gamma)
    here_up = sv.speedup(alpha, gamma, c)

    costs = [s.monthly_usd for s in served]
    cost_labels = [f"{usd(s.monthly_usd)} · {seconds(s.latency_p50_s)}" for s in served]
    lever_rows = [
        [name, _lever_names(lv), usd(s.monthly_usd), usd(s.api_monthly_usd), seconds(s.ttft_p50_s), seconds(s.latency_p50_s),
         _rate(s.tokens_per_s), f"{s.gpus} × {nbytes(d.gpu_memory_bytes)}"]
        for name, lv, s in zip(CONFIGS, configs, served)
    ]
    cheapest = min(range(1, 4), key=lambda i: costs[i])
    fastest = min(range(1, 4), key=lambda i: served[i].latency_p50_s)
    even_text = "never (a cache read costs as much as an input token)" if even is None else f"{even:,} reuse{'s' if even != 1 else ''}"

    readouts = {
        BITS: readout(scheme.body_bits, f"{scheme.body_bits:g} bits"),
        WEIGHTS: readout(quant_only.weights_bytes, nbytes(quant_only.weights_bytes)),
        WEIGHTS_BF16: readout(base.weights_bytes, nbytes(base.weights_bytes)),
        KV_MEM: readout(mine.kv_bytes, nbytes(mine.kv_bytes)),
        MEMORY: readout(mine.memory_bytes, nbytes(mine.memory_bytes)),
        GPUS: readout(mine.gpus, f"{mine.gpus} × {nbytes(d.gpu_memory_bytes)}"),
        DECODE_TPS: readout(quant_only.tokens_per_s, _rate(quant_only.tokens_per_s)),
        DECODE_TPS_BF16: readout(base.tokens_per_s, _rate(base.tokens_per_s)),
        NOCACHE_COST: readout(uncached, usd(uncached)),
        CACHE_COST: readout(cached, usd(cached)),
        CACHE_SAVING: readout(saving, percent(saving)),
        BREAK_EVEN: readout(-1 if even is None else even, even_text),
        TOKENS_PER_STEP: readout(here_tokens, f"{here_tokens:.2f} tokens"),
        SPEEDUP: readout(here_up, f"{here_up:.2f}×"),
        BEST_GAMMA: readout(best, f"γ = {best} ({ups[best - 1]:.2f}×)"),
        MONTHLY: readout(mine.monthly_usd, usd(mine.monthly_usd)),
        API_MONTHLY: readout(mine.api_monthly_usd, usd(mine.api_monthly_usd)),
        P50: readout(mine.latency_p50_s, seconds(mine.latency_p50_s)),
        TTFT: readout(mine.ttft_p50_s, seconds(mine.ttft_p50_s)),
    }
    assumptions = [
        {"tag": "li", "text": f"GPU: {nbytes(d.gpu_memory_bytes)} at {float(values[BANDWIDTH]):g} TB/s; prefill at "
         f"{percent(d.mfu)} of {d.peak_flops / 1e12:,.1f} TFLOP/s (H100 dense BF16 peak; the MFU of large training runs)."},
        {"tag": "li", "text": f"Decode is memory-bound: each step reads the weights the batch of {d.batch} touches and every "
         f"sequence's KV cache ({values[KV_BITS]}-bit), at the full bandwidth, split evenly over {mine.gpus} GPU(s)."},
        {"tag": "li", "text": "Every request is identical, so the median (p50) request is any request that reads the cache "
         "when most do; queueing delay is not modelled."},
        {"tag": "li", "text": "GPU cost counts busy GPU-seconds only (perfect packing), 30 days a month; the draft model's "
         "memory and the verification work at large batches are not counted."},
    ]
    return {
        "readouts": readouts,
        "outputs": {ALPHA_OUT: f"{alpha:.2f}", DRAFT_OUT: f"{c:.2f}", GAMMA_OUT: str(gamma),
                    SCHEME_NOTE: f"{scheme.label}: {scheme.source}."},
        "sources": {
            SRC_SPEC: {G: gammas, S_UP: ups, TOKENS: tokens},
            SRC_SPEC_HERE: {G: [gamma], S_UP: [here_up]},
            SRC_LEVERS: {CONFIG: list(CONFIGS), COST: costs, COST_LABEL: cost_labels,
                         COLOUR: [_OTHER] * 4 + [_HIGHLIGHT], PAD: [max(costs) * 1.6] * len(costs)},
        },
        "captions": {
            FIG_SPEC: (
                f"Line chart against the draft length γ from 1 to {MAX_GAMMA} at acceptance rate α = {alpha:.2f} and draft "
                f"cost c = {c:.2f}: the speed-up (solid) peaks at γ = {best} with {ups[best - 1]:.2f}×; expected tokens "
                f"per target step (dashed) rise towards {1 / (1 - alpha) if alpha < 1 else MAX_GAMMA + 1:.2f}. "
                f"Marked: γ = {gamma}, {here_tokens:.2f} tokens per step, {here_up:.2f}×."
            ),
            FIG_LEVERS: (
                f"Horizontal bars of the self-hosted monthly GPU cost of {w.requests_per_day:,.0f} requests a day on {e.label}: "
                + "; ".join(f"{name} {label}" for name, label in zip(CONFIGS, cost_labels))
                + f". Alone, {LEVER_NAMES[cheapest]} saves the most money and {LEVER_NAMES[fastest]} cuts the median latency most."
            ),
        },
        "panels": {
            LEVER_TABLE: [{"tag": "table",
                           "head": ["configuration", "levers on", "GPU cost / month", "API bill / month", "p50 first token",
                                    "p50 latency", "decode speed", "GPUs"],
                           "rows": lever_rows}],
            ASSUMPTIONS: assumptions,
        },
        "notices": notices,
    }
