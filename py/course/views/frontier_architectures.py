"""Frontier-architectures lab: a planner that sizes and shapes a model for a
training budget, a serving volume, a replica's memory, a latency need and a
use case, and a table of published frontier designs against the 2017
transformer.

Every recommendation comes from :func:`course.planner.plan` (its rules and
sources in :mod:`course.planner`); the comparison table counts parameters
with :func:`course.moe.count_parameters` from each model's config.json and
KV bytes with :mod:`course.attention`.
"""

from __future__ import annotations

from functools import lru_cache

from course import attention, catalog, moe, scaling, serving
from course import planner as pl
from course.controls import Choice, Number, Range
from course.units import count, nbytes, percent, readout, sci, seconds, usd

# ------------------------------------------------------------------ controls

BUDGET, BUDGET_UNIT = "budget", "budget-unit"
LOG_SERVED = "log-served-tokens"
MEMORY = "replica-memory-gb"
LATENCY = "latency-need"
USE_CASE = "use-case"
FIT = "fit"

USD_RANGE = (1_000.0, 1e10)
"""The budgets the planner takes, in dollars ($1,000 to $10 B) ..."""
FLOPS_RANGE = (pl.budget_flops(USD_RANGE[0]), pl.budget_flops(USD_RANGE[1]))
"""... and in training FLOPs, what those dollars buy."""

CONTROLS = {
    # Free numeric boxes clamp (with a message) rather than keep the last value:
    # a link's out-of-range budget becomes the nearest budget the planner handles.
    # The box holds dollars or FLOPs (budget-unit): the view clamps to the unit's range.
    BUDGET: Number(USD_RANGE[0], 1e30, 5e6, keep_last=False),
    BUDGET_UNIT: Choice(("usd", "flops"), "usd"),
    LOG_SERVED: Range(8.0, 17.0, 0.1, 13.0),
    # One 8 x H100 80 GB node (NVIDIA H100 datasheet) by default.
    MEMORY: Number(0.5, 100_000.0, 640.0, keep_last=False),
    LATENCY: Choice(tuple(pl.LATENCY_NEEDS), "interactive"),
    USE_CASE: Choice(tuple(pl.USE_CASES), "chat"),
    FIT: Choice(("epoch", "hoffmann"), "epoch"),
}

# ------------------------------------------------------------------ element ids

BUDGET_FLOPS, BUDGET_DOLLARS, TARGET_LOSS = "budget-flops", "budget-dollars", "target-loss"
CHIN_PARAMS, CHIN_TOKENS = "chinchilla-params", "chinchilla-tokens"
REC_PARAMS, REC_TOTAL, REC_TOKENS, REC_TPP = "rec-params", "rec-total-params", "rec-tokens", "rec-tokens-per-param"
TRAIN_COST, LIFETIME, CHIN_LIFETIME, SAVING = "train-cost", "lifetime-flops", "chinchilla-lifetime-flops", "lifetime-saving"
MEMORY_NEED, DECODE, CONTEXT, KV = "memory-need", "decode-tps", "context-tokens", "kv-bytes"
REASONING, MOE_FLAG, BITS = "reasoning", "moe", "precision-bits"
SERVED_OUT = "log-served-tokens-out"
PLAN_TABLE, FRONTIER_TABLE, ASSUMPTIONS = "plan-table", "frontier-table", "plan-assumptions"

FIG = "lifetime"
SRC_CURVE, SRC_CHIN, SRC_REC = FIG, "lifetime-chinchilla", "lifetime-choice"
N, TRAIN, INFER, TOTAL = "n", "train", "infer", "total"

FIGURES = [
    {
        "id": FIG,
        "figure": {
            "height": 300,
            "x_axis_type": "log",
            "y_axis_type": "log",
            "x_axis_label": "parameters N (tokens D from the iso-loss curve)",
            "y_axis_label": "FLOPs over the model's life",
        },
        "glyphs": [
            {"kind": "line", "source": SRC_CURVE, "fields": {"x": N, "y": TRAIN},
             "props": {"line_width": 2, "line_dash": "dashed", "line_color": {"$theme": "muted"}}},
            {"kind": "line", "source": SRC_CURVE, "fields": {"x": N, "y": INFER},
             "props": {"line_width": 2, "line_dash": "dotted", "line_color": "#c2410c"}},
            {"kind": "line", "source": SRC_CURVE, "fields": {"x": N, "y": TOTAL},
             "props": {"line_width": 2.5, "line_color": {"$theme": "accent"}}},
            {"kind": "scatter", "source": SRC_CHIN, "fields": {"x": N, "y": TOTAL},
             "props": {"marker": "star", "size": 17, "fill_color": "#f2c94c", "line_color": {"$theme": "fg"}}},
            {"kind": "scatter", "source": SRC_REC, "fields": {"x": N, "y": TOTAL},
             "props": {"size": 12, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}}},
        ],
        "hover": [["N", "@n{0.00a}"], ["lifetime FLOPs", "@total{0.00e}"], ["training", "@train{0.00e}"],
                  ["inference", "@infer{0.00e}"]],
    },
]

CURVE_POINTS = 120
OVERSPEND_WARNING = 2.0
"""A capped plan whose training costs more than this many budgets says so in words."""
SCHEME_LABELS = {"fp8": "FP8 (8-bit)", "int4": "INT4, 4-bit groups of 128"}

# ------------------------------------------------------------------ the comparison table

TRANSFORMER_2017 = moe.Architecture(
    # Vaswani et al. 2017, arXiv 1706.03762, Table 3 "base": d_model 512, 6 layers,
    # 8 heads of 64, d_ff 2048 (ReLU, two matrices), 37,000-token shared vocabulary.
    d_model=512, layers=6, heads=8, kv_heads=8, head_dim=64, vocab=37000, tied_embeddings=True,
    dense_ffn=2048, dense_layers=6, routed_experts=1, shared_experts=0, top_k=1, expert_ffn=1, gated_ffn=False,
)
LOCAL_LAYERS = {
    # key -> (window or chunk in tokens, share of the layers that are local)
    "gpt-oss-120b": (128, 0.5),  # every other layer a 128-token band (model card, arXiv 2508.10925)
    "llama-4-scout": (8192, 0.75),  # 3 layers in 4 attend within 8,192-token chunks (config.json attention_chunk_size)
}
"""Layers whose KV cache stops growing: at most the window (a chunk) per sequence."""
TABLE_CONTEXT = 131_072

ARCHITECTURES = {
    "transformer-2017": TRANSFORMER_2017,
    **{key: moe.PRESETS[key].arch for key in ("deepseek-v3", "qwen3-235b-a22b", "gpt-oss-120b")},
    "llama-4-scout": catalog.entry("llama-4-scout").arch,
}

_FRONTIER_ROWS = (
    ("Transformer base (2017)", "transformer-2017", "multi-head (8 KV heads = 8 query heads)", "none: one FFN per layer",
     "sentences; sinusoidal positions", "decoder stack only (the paper's 65 M adds the encoder); arXiv 1706.03762"),
    ("DeepSeek-V3 (Dec 2024)", "deepseek-v3", "multi-head latent (MLA)", "", "128K (model card)",
     "multi-token prediction; FP8 training; arXiv 2412.19437"),
    ("Qwen3-235B-A22B (Apr 2025)", "qwen3-235b-a22b", "grouped-query, 4 KV heads", "", "32K native, 128K with YaRN",
     "thinking and non-thinking modes; arXiv 2505.09388"),
    ("Llama 4 Scout (Apr 2025)", "llama-4-scout", "grouped-query, 8 KV heads; 8,192-token chunks in 3 of 4 layers", "",
     "10M (model card)", "text model counted (no vision encoder); model card"),
    ("gpt-oss-120b (Aug 2025)", "gpt-oss-120b", "grouped-query, 8 KV heads; 128-token band in every other layer",
     "", "128K (config.json 131,072)", "MXFP4 experts; reasoning effort low/medium/high; arXiv 2508.10925"),
)


def _sentence(text: str) -> str:
    """``text`` with its first letter capitalised (str.capitalize lowercases the rest)."""
    return text[:1].upper() + text[1:]


def _experts(arch: moe.Architecture) -> str:
    shared = f" + {arch.shared_experts} shared" if arch.shared_experts else ""
    return f"{arch.routed_experts} routed{shared}, top-{arch.top_k}"


@lru_cache(maxsize=1)
def frontier_rows() -> tuple[tuple[str, ...], ...]:
    """Rows of the comparison table, every number computed from the configs."""
    rows = []
    for label, key, attn, experts, context, note in _FRONTIER_ROWS:
        arch = ARCHITECTURES[key]
        c = moe.count_parameters(arch)
        shape = serving.kv_model(label, arch, None, "config.json")
        per_token = attention.kv_bytes_per_token(shape, 2)
        if key in LOCAL_LAYERS:
            window, share = LOCAL_LAYERS[key]
            per_layer = per_token / arch.layers
            local = round(arch.layers * share)
            kept = attention.kv_tokens_kept(attention.sliding(window), TABLE_CONTEXT)
            at_context = per_layer * ((arch.layers - local) * TABLE_CONTEXT + local * kept)
        else:
            at_context = per_token * TABLE_CONTEXT
        # Numbers cached per token and layer, in units of the model's width: 2 for
        # a full key and value per head, far less for shared or compressed ones.
        per_width = per_token / 2 / arch.layers / arch.d_model
        rows.append((label, count(c.total), count(c.active), attn, f"{per_width:.3g} × d_model", nbytes(per_token),
                     nbytes(at_context), experts or _experts(arch), context, note))
    return tuple(tuple(r) for r in rows)


# ------------------------------------------------------------------ helpers


def budget(values: dict) -> tuple[float, str | None]:
    """The budget in dollars, clamped to the planner's range in the box's unit
    (and a message when it was clamped)."""
    amount = float(values[BUDGET])
    flops = values[BUDGET_UNIT] == "flops"
    lo, hi = FLOPS_RANGE if flops else USD_RANGE
    clamped = min(hi, max(lo, amount))
    note = None
    if clamped != amount:
        if flops:
            note = (f"{sci(amount, 'FLOP')} is outside the planner's {sci(lo, 'FLOP')} to {sci(hi, 'FLOP')} "
                    f"(what $1,000 to $10 B buy); using {sci(clamped, 'FLOP')}.")
        else:
            note = f"{usd(amount)} is outside the planner's $1,000 to $10 B; using {usd(clamped)}."
    return (pl.flops_usd(clamped) if flops else clamped), note


def inputs(values: dict) -> pl.Inputs:
    return pl.Inputs(
        budget_usd=budget(values)[0],
        inference_tokens=10.0 ** float(values[LOG_SERVED]),
        memory_bytes=float(values[MEMORY]) * 1e9,
        latency=values[LATENCY],
        use_case=values[USE_CASE],
        fit=values[FIT],
    )


def _curve(p: pl.Plan) -> dict:
    fit = p.inputs.fit
    floor = pl.smallest_model(p.target_loss, fit)
    low = max(floor * 1.05, min(p.n_active, p.inference_aware.n_params) / 30.0)
    # At least three decades: a log axis over fewer labels 1.5e12, 2e12... on top of each other.
    high = max(p.chinchilla.n_params * 10.0, p.n_active * 10.0, low * 1e3)
    rows = pl.iso_loss_curve(p.target_loss, p.inputs.inference_tokens, fit, low, high, CURVE_POINTS)
    return {N: [r[0] for r in rows], TRAIN: [r[1] for r in rows], INFER: [r[2] for r in rows], TOTAL: [r[3] for r in rows]}


def _point(n: float, tokens: float, served: float) -> dict:
    train = scaling.training_flops(n, tokens)
    infer = pl.FLOPS_PER_PARAM_PER_SERVED_TOKEN * n * served
    return {N: [n], TRAIN: [train], INFER: [infer], TOTAL: [train + infer]}


def plan_rows(p: pl.Plan) -> list[list[str]]:
    """decision | recommendation | why | the numbers behind it."""
    u = pl.USE_CASES[p.inputs.use_case]
    chin, ia = p.chinchilla, p.inference_aware
    served = p.inputs.inference_tokens
    over = p.training_flops / p.budget_flops
    if not p.capped:
        size_why = ("Serving is cheap next to training: the compute-optimal size is (almost) right."
                    if ia.n_params > 0.97 * chin.n_params else
                    "Over-train a smaller model: every served token costs 2N FLOPs, so a smaller model that reaches the "
                    "same loss on more tokens is cheaper over its life (Sardana et al. 2023).")
    elif p.reachable:
        size_why = ("The replica's memory or latency need caps N; the cap, trained longer on the iso-loss curve, is the "
                    "cheapest model over its life that still reaches the target loss.")
        if over > OVERSPEND_WARNING:
            size_why += (f" That training costs {over:,.0f}× your budget: give the replica more memory, relax the "
                         "latency need, or accept a higher loss.")
    else:
        size_why = ("The replica caps N below the smallest model that can reach the target loss; train the cap on every "
                    "token the budget buys and accept a higher loss.")
    size_numbers = (f"Chinchilla: {count(chin.n_params)} params on {count(chin.n_tokens)} tokens; inference-aware: "
                    f"{count(ia.n_params)} on {count(ia.n_tokens)}; training {sci(p.training_flops, 'FLOP')} "
                    f"= {usd(pl.flops_usd(p.training_flops))} ({over:.2f}× your budget); loss {p.loss:.3f} "
                    f"(target {p.target_loss:.3f}).")
    if p.moe:
        d = p.moe
        moe_rec = f"MoE: {count(p.n_active)} active, {count(p.n_total)} total"
        moe_why = (f"Many served tokens: an MoE keeps the FLOPs per token of {count(p.n_active)} parameters while "
                   f"holding {d.ratio:.1f}× more weights, the sparsity of {d.label} ({_experts(moe.PRESETS[d.key].arch)}); "
                   "many small experts per token follow DeepSeekMoE's fine-grained design (arXiv 2401.06066).")
        moe_numbers = (f"{nbytes(p.weights_bytes)} of weights fit {nbytes(p.inputs.memory_bytes)}; "
                       f"{p.n_tokens / p.n_total:,.0f} training tokens per total parameter (at least "
                       f"{pl.MOE_MIN_TOKENS_PER_TOTAL_PARAM:.0f}).")
    else:
        moe_rec = f"dense, {count(p.n_active)} parameters"
        if u.on_device:
            moe_why = "On a device memory, not compute, is scarce: every expert must sit in memory, so keep it dense."
        elif p.n_active < pl.MOE_MIN_ACTIVE:
            moe_why = f"Below {count(pl.MOE_MIN_ACTIVE)} active parameters the planner keeps the model dense."
        else:
            moe_why = ("Dense: no published sparsity fits the replica's memory while still giving every total parameter "
                       f"{pl.MOE_MIN_TOKENS_PER_TOTAL_PARAM:.0f} training tokens (over-train more, or add memory, for an MoE).")
        smallest = pl.moe_design(pl.MOE_DESIGNS[-1])
        moe_numbers = (f"The least sparse design ({smallest.label}, {smallest.ratio:.1f}×) would hold "
                       f"{count(p.n_active * smallest.ratio)} parameters on {p.n_tokens / (p.n_active * smallest.ratio):,.0f} "
                       "tokens each.")
    if p.reasoning:
        reason_rec = "on: RL post-training with checkable rewards"
        reason_why = (f"{_sentence(u.label)} answers can be checked by a rule, which RL rewards (DeepSeek-R1, arXiv "
                      "2501.12948: AIME 2024 pass@1 from 39.2% for DeepSeek-V3 to 79.8%).")
        reason_numbers = (f"{pl.THINKING_TOKENS:,} thinking tokens (assumed) at {p.tokens_per_s:,.0f} tokens/s add "
                          f"{seconds(p.thinking_s)} per answer, billed as output.")
    else:
        reason_rec = "off (a non-thinking mode)"
        reason_why = (f"{_sentence(u.label)} answers are rarely checkable step by step and latency matters; keep a "
                      "thinking mode for hard prompts, as Qwen3's hybrid modes do (arXiv 2505.09388).")
        reason_numbers = (f"Thinking {pl.THINKING_TOKENS:,} tokens would add {seconds(pl.THINKING_TOKENS / p.tokens_per_s)} "
                          "per answer.")
    attention_why = {
        "gqa": "Grouped-query attention shares each key/value head among query heads: the KV cache of Llama 3 and "
               "Qwen3 (arXiv 2305.13245).",
        "mla": "Multi-head latent attention caches one 512-wide latent per layer and token, the smallest cache that "
               "keeps every layer global (DeepSeek-V2, arXiv 2405.04434).",
        "hybrid": f"Five of every six layers attend to the last {pl.SLIDING_WINDOW:,} tokens only, so their cache stops "
                  "growing (Gemma 3, arXiv 2503.19786).",
    }[p.attention]
    s = p.shape
    attention_numbers = (f"{s.layers} layers × {s.d_model:,} wide, {s.heads} heads; KV cache at {p.context_tokens:,} "
                         f"tokens {nbytes(p.kv_bytes)}"
                         + ("" if p.attention == "gqa" else f" (plain GQA: {nbytes(p.kv_bytes_gqa)})") + ".")
    scheme = serving.SCHEMES[p.scheme]
    precision_why = ("A phone holds only 4-bit weights of a useful model (gpt-oss ships 4-bit MXFP4 experts, arXiv 2508.10925)."
                     if u.on_device else
                     "FP8 halves memory and bytes read per token against BF16 (DeepSeek-V3 trains in FP8, arXiv 2412.19437)."
                     if p.scheme == "fp8" else
                     "The model does not fit the replica in FP8: 4-bit weights (GPTQ/AWQ groups of 128).")
    fits = "fits" if p.fits_memory else "does NOT fit"
    precision_numbers = (f"{scheme.body_bits:.3g} bits per weight: weights {nbytes(p.weights_bytes)} + KV "
                         f"{nbytes(p.kv_bytes)} = {nbytes(p.memory_bytes)}, {fits} {nbytes(p.inputs.memory_bytes)}; decode "
                         f"{p.tokens_per_s:,.0f} tokens/s (need {pl.LATENCY_NEEDS[p.inputs.latency]:g}).")
    epochs = p.public_text_epochs
    if epochs <= 1:
        data_rec, data_why = f"{percent(epochs)} of the public text", "Enough distinct text exists for one pass."
    elif epochs <= pl.USEFUL_EPOCHS:
        data_rec = f"{epochs:.1f} passes over the public text"
        data_why = (f"Up to {pl.USEFUL_EPOCHS} passes over repeated data are almost as good as fresh data "
                    "(Muennighoff et al. 2023, arXiv 2305.16264); or add code, synthetic and multilingual text.")
    else:
        data_rec = f"{epochs:,.0f} passes over the public text"
        data_why = (f"Beyond about {pl.USEFUL_EPOCHS} passes repeated data loses value (Muennighoff et al. 2023, arXiv "
                    "2305.16264): the fitted loss assumes fresh tokens, so the plan is optimistic unless synthetic data "
                    "fills the gap.")
    return [
        ["Size and data", f"{count(p.n_active)} parameters on {count(p.n_tokens)} tokens "
         f"({p.n_tokens / p.n_active:,.0f} per parameter)", size_why, size_numbers],
        ["Dense or MoE", moe_rec, moe_why, moe_numbers],
        ["Reasoning", reason_rec, reason_why, reason_numbers],
        ["Context and attention", f"{p.context_tokens:,} tokens, {pl.ATTENTION_LABELS[p.attention]}",
         f"{_sentence(u.why_context)}. {attention_why}", attention_numbers],
        ["Serving precision", SCHEME_LABELS[p.scheme], precision_why, precision_numbers],
        ["Data", data_rec, data_why, f"{count(p.n_tokens, 'tokens')} against a stock of about "
         f"{count(pl.PUBLIC_TEXT_TOKENS, 'tokens')} of public text (Villalobos et al. 2024, arXiv 2211.04325)."],
        ["Served tokens", count(served, "tokens"), "Your estimate of every token the model will generate or read.",
         f"Inference {sci(pl.FLOPS_PER_PARAM_PER_SERVED_TOKEN * p.n_active * served, 'FLOP')} against training "
         f"{sci(p.training_flops, 'FLOP')}."],
    ]


def view(values: dict) -> dict:
    p = pl.plan(inputs(values))
    served = p.inputs.inference_tokens
    saving = 1.0 - p.lifetime_flops / p.chinchilla_lifetime_flops
    chin = p.chinchilla
    readouts = {
        BUDGET_FLOPS: readout(p.budget_flops, sci(p.budget_flops, "FLOP")),
        BUDGET_DOLLARS: readout(p.inputs.budget_usd, usd(p.inputs.budget_usd)),
        TARGET_LOSS: readout(p.target_loss, f"{p.target_loss:.3f} nats/token"),
        CHIN_PARAMS: readout(chin.n_params, count(chin.n_params, "params")),
        CHIN_TOKENS: readout(chin.n_tokens, count(chin.n_tokens, "tokens")),
        REC_PARAMS: readout(p.n_active, count(p.n_active, "params")),
        REC_TOTAL: readout(p.n_total, count(p.n_total, "params") + (" (MoE)" if p.moe else " (dense)")),
        REC_TOKENS: readout(p.n_tokens, count(p.n_tokens, "tokens")),
        REC_TPP: readout(p.n_tokens / p.n_active, f"{p.n_tokens / p.n_active:,.1f}"),
        TRAIN_COST: readout(pl.flops_usd(p.training_flops), usd(pl.flops_usd(p.training_flops))),
        LIFETIME: readout(p.lifetime_flops, sci(p.lifetime_flops, "FLOP")),
        CHIN_LIFETIME: readout(p.chinchilla_lifetime_flops, sci(p.chinchilla_lifetime_flops, "FLOP")),
        SAVING: readout(saving, percent(saving) + ("" if p.reachable else " (at a higher loss)")),
        MEMORY_NEED: readout(p.memory_bytes, nbytes(p.memory_bytes)),
        DECODE: readout(p.tokens_per_s, f"{p.tokens_per_s:,.0f} tokens/s"),
        CONTEXT: readout(p.context_tokens, f"{p.context_tokens:,} tokens"),
        KV: readout(p.kv_bytes, nbytes(p.kv_bytes)),
        REASONING: readout(int(p.reasoning), "on" if p.reasoning else "off"),
        MOE_FLAG: readout(int(p.moe is not None), f"MoE like {p.moe.label}" if p.moe else "dense"),
        BITS: readout(serving.bits_per_weight(p.scheme), SCHEME_LABELS[p.scheme]),
    }
    rec_point = _point(p.n_active, p.n_tokens, served)
    chin_point = _point(chin.n_params, chin.n_tokens, served)
    off_curve = "" if p.reachable else " (off the curve: it cannot reach the target loss)"
    caption = (
        f"Log-log chart of FLOPs against parameters N along the iso-loss curve L = {p.target_loss:.3f}, with "
        f"{count(served)} tokens served: training 6ND (dashed) falls towards the Chinchilla point, inference 2N·D_inf "
        f"(dotted) rises with N, and their sum (solid) is lowest at {count(p.inference_aware.n_params)} parameters. "
        f"Star: Chinchilla, {count(chin.n_params)} parameters, {sci(p.chinchilla_lifetime_flops, 'FLOP')}. "
        f"Dot: the plan{off_curve}, {count(p.n_active)} parameters, {sci(p.lifetime_flops, 'FLOP')} "
        f"({percent(saving)} {'less' if saving >= 0 else 'more'})."
    )
    notices = {}
    budget_note = budget(values)[1]
    if budget_note:
        notices[BUDGET] = budget_note
    if not p.fits_memory:
        notices[MEMORY] = (f"Even {count(pl.MIN_PARAMS)} parameters at 4 bits with the KV cache need more than "
                           f"{nbytes(p.inputs.memory_bytes)} or miss the latency need; the plan assumes the smallest model.")
    assumptions = [
        {"tag": "li", "text": f"Budget to FLOPs: ${scaling.DEFAULT_USD_PER_GPU_HOUR:g} per H100-hour (an assumption), "
                              f"{scaling.H100_BF16_DENSE_PEAK_FLOPS / 1e12:,.1f} TFLOP/s dense BF16 peak at "
                              f"{percent(scaling.DEFAULT_MFU)} utilisation."},
        {"tag": "li", "text": f"Loss fit: {scaling.FITS[p.inputs.fit].label} ({scaling.FITS[p.inputs.fit].source}). The "
                              "target is the loss of the compute-optimal model your budget buys."},
        {"tag": "li", "text": "A server replica is as many H100s (80 GB, 3.35 TB/s) as its memory holds; a phone reads "
                              f"{pl.DEVICE_BANDWIDTH / 1e9:g} GB/s (an assumption). Decode speed is one sequence at a "
                              "time, memory-bound; the KV cache is 16-bit and holds one sequence at the context."},
        {"tag": "li", "text": "MoE totals borrow the total/active ratio of a published design; the fit prices active "
                              "parameters, so the plan credits MoE with no extra quality (a cautious choice)."},
    ]
    return {
        "readouts": readouts,
        "outputs": {SERVED_OUT: f"{count(served)} tokens (10^{float(values[LOG_SERVED]):.1f})"},
        "sources": {SRC_CURVE: _curve(p), SRC_CHIN: chin_point, SRC_REC: rec_point},
        "captions": {FIG: caption},
        "panels": {
            PLAN_TABLE: [{"tag": "table", "head": ["decision", "recommendation", "why", "the numbers"],
                          "rows": plan_rows(p)}],
            FRONTIER_TABLE: [{"tag": "table",
                              "head": ["model", "total params", "active per token", "attention",
                                       "KV numbers / token / layer", "KV cache / token (16-bit)",
                                       f"KV cache at {TABLE_CONTEXT // 1024}K tokens", "experts", "context", "also"],
                              "rows": [list(r) for r in frontier_rows()]}],
            ASSUMPTIONS: assumptions,
        },
        "notices": notices,
    }
