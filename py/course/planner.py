"""Planner: size and shape a language model for a training budget, a serving
volume, a memory per replica, a latency need and a use case.

Every recommendation is a rule stated here, applied to numbers computed by the
other pure modules; the page shows each one with its reason and its numbers.

1. Parameters and tokens
------------------------
* The budget in dollars buys ``C = dollars / price per GPU-hour × 3600 × peak
  FLOP/s × MFU`` training FLOPs (the inverse of
  :func:`course.scaling.training_cost_usd`; H100 dense BF16 peak, 40% MFU,
  $2 per GPU-hour, the defaults of the scaling-laws lab).
* **Compute-optimal** (Hoffmann et al. 2022, arXiv 2203.15556, eq. 4): the
  ``(N*, D*)`` that minimise the fitted loss ``L(N, D) = E + A/N^α + B/D^β``
  under ``6 N D = C`` (:func:`course.scaling.compute_optimal`). Its loss
  ``L* = L(N*, D*)`` is the **quality target**.
* **Inference-aware** (Sardana, Portes, Doubov and Frankle 2023, "Beyond
  Chinchilla-Optimal: Accounting for Inference in Language Model Scaling
  Laws", arXiv 2401.00448, section 2): a model that will serve ``D_inf``
  tokens over its life should minimise its *lifetime* FLOPs
  ``T(N) = 6 N D + 2 N D_inf`` (training, plus 2 FLOPs per parameter per
  served token) subject to reaching the same loss, ``L(N, D) = L*``.

  The solver (:func:`inference_optimal`) walks the iso-loss curve by the
  share ``s = (A / N^α) / (L* − E)`` of the reducible loss that the parameter
  term carries (:func:`course.scaling.iso_loss_point`):
  ``N(s) = (A / (s R))^(1/α)``, ``D(s) = (B / ((1 − s) R))^(1/β)`` with
  ``R = L* − E``. Along the curve ``d ln D / d ln N = −(α/β) s/(1 − s)``, so

  ``dT/dN = 6 D (1 − (α/β) s/(1 − s)) + 2 D_inf``.

  It vanishes where ``h(s) = 6 D(s) ((α/β) s/(1 − s) − 1) = 2 D_inf``. At the
  Chinchilla point ``s* = β/(α + β)`` (where ``α A/N^α = β B/D^β``), ``h = 0``;
  for ``s > s*`` (smaller N, more tokens) both factors of ``h`` grow, so ``h``
  rises monotonically to infinity and the root is unique. The solver brackets
  it between ``s*`` and a share found by stepping ``ln(1 − s)`` down by 1 until
  ``h > 2 D_inf``, then bisects on ``ln(1 − s)`` (about 50 halvings reach a
  bracket narrower than 1e-15). With ``D_inf = 0`` it returns the Chinchilla
  point; a larger ``D_inf`` gives a smaller model trained on more tokens
  ("over-training"), and never a larger one: for ``N > N*`` both terms of
  ``T`` grow.
* The default fit is Besiroglu et al.'s refit of Approach 3 (Epoch AI,
  arXiv 2404.10102), whose optimum sits near the familiar 20 tokens per
  parameter; Hoffmann et al.'s own fit is offered too.

2. Fitting the replica: precision, context, attention, memory and speed
-----------------------------------------------------------------------
* **Shape** of an N-parameter decoder (:func:`shape`): ``N ≈ 12 L d²``
  (Kaplan et al. 2020, arXiv 2001.08361, section 2.1) at the aspect ratio
  ``d / L = 128`` of Llama 3 8B (4,096 wide, 32 layers), heads of 128, and
  grouped-query attention with 8 KV heads (Ainslie et al. 2023, arXiv
  2305.13245; the value of Llama 3 and Qwen3's dense models).
* **Context** per use case (:data:`USE_CASES`), and **attention**: grouped
  query (GQA) for chat, code and maths; multi-head latent attention (MLA,
  DeepSeek-V2, arXiv 2405.04434: a 512-wide latent and a 64-wide RoPE key per
  layer, DeepSeek-V3's config.json) for long documents, whose cache is the
  smallest that keeps every layer global; hybrid sliding / global layers for
  on-device (5 sliding-window layers of 1,024 tokens per global layer, as
  Gemma 3, arXiv 2503.19786, section 2), whose cache stops growing with the
  context in 5 of 6 layers. KV bytes come from
  :func:`course.attention.kv_bytes_per_token` and
  :func:`course.attention.kv_tokens_kept`, at 16 bits.
* **Precision** of the weights (:mod:`course.serving` schemes): 4-bit groups
  (INT4, 4.16 bits per weight) on a device; on a server FP8 when the weights
  fit (DeepSeek-V3 trains and serves FP8, arXiv 2412.19437, section 3.3), else
  INT4 (gpt-oss ships its experts in 4-bit MXFP4, arXiv 2508.10925).
* **Memory** of one replica holding one sequence at the context: weights plus
  KV cache must fit. **Speed**: decoding is memory-bound, tokens/s ≈ bandwidth
  / (active weight bytes + KV bytes) (Pope et al. 2022, arXiv 2211.05102),
  with a server replica's bandwidth that of as many H100s as its memory holds
  (:data:`H100_BANDWIDTH`) and a phone's an assumption (:data:`DEVICE_BANDWIDTH`);
  the latency need is a floor on tokens/s. Both constraints cap N
  (:func:`largest_fitting`, bisection on log N). Below the cap nothing
  changes. Above it, the lifetime FLOPs on the iso-loss curve fall as N grows
  towards the inference-aware optimum, so the constrained optimum is the cap
  itself, trained on the iso-loss tokens; if the cap lies below the smallest
  model that can reach ``L*`` at all (``A/N^α ≥ R``), the cap is trained on
  every token the budget buys and the loss it reaches is reported.

3. Dense or MoE, reasoning
--------------------------
* **MoE** keeps N as the *active* parameters (the FLOPs per token the fit
  prices; no quality bonus is credited, a conservative choice) and grows the
  total by the total/active ratio of a published design, counted by
  :func:`course.moe.count_parameters` from its config.json: the sparsest of
  gpt-oss-120b, DeepSeek-V3, Qwen3-235B-A22B and Mixtral 8x7B whose total
  fits the replica at the chosen precision and is trained on at least 20
  tokens per total parameter (:data:`MOE_MIN_TOKENS_PER_TOTAL_PARAM`). So an
  MoE appears when the model is over-trained for a large serving volume. Not
  on a device (memory is the bottleneck there) and not below 1 B active
  parameters.
* **Data**: the training tokens are compared with the ~300 T-token stock of
  public text (:data:`PUBLIC_TEXT_TOKENS`); beyond about 4 passes over it
  (:data:`USEFUL_EPOCHS`) repeated data loses value and the fitted loss,
  which assumes fresh tokens, is optimistic.
* **Reasoning** (RL post-training with verifiable rewards, DeepSeek-R1,
  arXiv 2501.12948): on for maths and code, whose answers a rule can check;
  the thinking time of :data:`THINKING_TOKENS` tokens (an assumption) at the
  replica's decode speed is reported.

>>> c = budget_flops(5e6)
>>> f"{c:.3g}"
'3.56e+24'
>>> a = inference_optimal(2.0, 0.0, "epoch")
>>> round(a.share, 6) == round(scaling.FITS["epoch"].beta / (scaling.FITS["epoch"].alpha + scaling.FITS["epoch"].beta), 6)
True
>>> shape(8e9)
Shape(layers=34, d_model=4096, heads=32, kv_heads=8, head_dim=128)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course import attention, moe, scaling, serving

# ------------------------------------------------------------------ constants

FLOPS_PER_PARAM_PER_SERVED_TOKEN = 2.0
"""Forward pass only: 2 FLOPs per parameter per token (Kaplan et al. 2020,
arXiv 2001.08361, section 2.1; Sardana et al. 2023, section 2)."""

ASPECT_RATIO = 128
"""d_model / layers of Llama 3 8B (4,096 / 32)."""

HEAD_DIM = 128
GQA_KV_HEADS = 8
MLA_LATENT, MLA_ROPE = 512, 64
"""DeepSeek-V3 config.json: kv_lora_rank 512, qk_rope_head_dim 64."""

SLIDING_WINDOW, SLIDING_PER_GLOBAL = 1024, 5
"""Gemma 3 (arXiv 2503.19786, section 2): 5 local layers with a 1,024-token
window for every global layer."""

KV_BITS = 16
THINKING_TOKENS = 4000
"""An assumption of this lesson: thinking tokens before a hard answer (reasoning
traces run from hundreds to tens of thousands of tokens)."""

MOE_MIN_ACTIVE = 1e9
"""Below this many active parameters the planner keeps the model dense."""

MOE_MIN_TOKENS_PER_TOTAL_PARAM = 20.0
"""An MoE is recommended only if its training tokens number at least this many
per *total* parameter, so every expert sees a Chinchilla-like diet: DeepSeek-V3
trained its 671 B parameters on 14.8 T tokens, 22 per parameter (arXiv 2412.19437)."""

MOE_DESIGNS = ("gpt-oss-120b", "deepseek-v3", "qwen3-235b-a22b", "mixtral-8x7b")
"""Published MoE designs whose total/active ratio the planner may borrow."""

H100_MEMORY, H100_BANDWIDTH = 80e9, 3.35e12
"""NVIDIA H100 SXM5: 80 GB of HBM3 at 3.35 TB/s (NVIDIA H100 datasheet). A
server replica of M bytes is M / 80 GB such GPUs, reading their memories in
parallel (tensor parallelism): bandwidth = M × 3.35 TB/s / 80 GB."""

DEVICE_BANDWIDTH = 60e9
"""An assumption: a phone's LPDDR5/5X memory delivers of the order of 50-80 GB/s."""

PUBLIC_TEXT_TOKENS = 300e12
"""Villalobos et al. 2024, "Will we run out of data?", arXiv 2211.04325: the
effective stock of quality-adjusted public human text is about 300 T tokens."""

USEFUL_EPOCHS = 4
"""Muennighoff et al. 2023, "Scaling Data-Constrained Language Models", arXiv
2305.16264: up to about 4 epochs of repeated data are almost as good as fresh data."""

MIN_PARAMS = 1e6
"""The smallest model the planner considers."""


@dataclass(frozen=True)
class UseCase:
    key: str
    label: str
    context_tokens: int
    attention: str  # "gqa", "mla" or "hybrid"
    reasoning: bool
    on_device: bool
    why_context: str


USE_CASES: dict[str, UseCase] = {
    u.key: u
    for u in (
        UseCase("chat", "chat assistant", 32_768, "gqa", False, False,
                "a long conversation fits 32K tokens (Qwen3's native context)"),
        UseCase("code", "coding", 131_072, "gqa", True, False,
                "a repository's files and tool output fill 128K tokens (Llama 3.1, Qwen3 with YaRN)"),
        UseCase("maths", "maths and reasoning", 32_768, "gqa", True, False,
                "a chain of thought plus the problem fits 32K tokens"),
        UseCase("long-documents", "long documents", 262_144, "mla", False, False,
                "whole reports and books: 256K tokens"),
        UseCase("on-device", "on-device assistant", 8_192, "hybrid", False, True,
                "a phone keeps short contexts: 8K tokens"),
    )
}

LATENCY_NEEDS: dict[str, float] = {"interactive": 20.0, "steady": 5.0, "batch": 0.0}
"""Latency need -> the least decode speed (tokens/s per sequence) it accepts:
interactive (faster than people read), steady, batch (no floor)."""

ATTENTION_LABELS = {
    "gqa": f"grouped-query ({GQA_KV_HEADS} KV heads)",
    "mla": "multi-head latent (MLA)",
    "hybrid": f"hybrid: {SLIDING_PER_GLOBAL} sliding ({SLIDING_WINDOW:,}) per global layer",
}


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


# ------------------------------------------------------------------ budget


def budget_flops(usd: float, usd_per_gpu_hour: float = scaling.DEFAULT_USD_PER_GPU_HOUR,
                 peak_flops: float = scaling.H100_BF16_DENSE_PEAK_FLOPS, mfu: float = scaling.DEFAULT_MFU) -> float:
    """Training FLOPs a budget buys: dollars / $ per GPU-hour × 3600 × peak × MFU.

    >>> f"{budget_flops(1000):.3g}"
    '7.12e+20'
    """
    _check_positive(usd=usd, usd_per_gpu_hour=usd_per_gpu_hour, peak_flops=peak_flops, mfu=mfu)
    return usd / usd_per_gpu_hour * 3600.0 * peak_flops * mfu


def flops_usd(flops: float) -> float:
    """Dollars of ``flops`` training FLOPs at the planner's GPU assumptions."""
    return scaling.training_cost_usd(flops, scaling.H100_BF16_DENSE_PEAK_FLOPS, scaling.DEFAULT_MFU,
                                     scaling.DEFAULT_USD_PER_GPU_HOUR)


# ------------------------------------------------------------------ the iso-loss curve


def lifetime_flops(n_params: float, n_tokens: float, inference_tokens: float) -> float:
    """Training plus inference FLOPs: 6 N D + 2 N D_inf (Sardana et al. 2023).

    >>> lifetime_flops(1e9, 20e9, 1e12)
    2.12e+21
    """
    return scaling.training_flops(n_params, n_tokens) + FLOPS_PER_PARAM_PER_SERVED_TOKEN * n_params * inference_tokens


def smallest_model(target_loss: float, fit: str) -> float:
    """The N at which the parameter term alone is the whole reducible loss,
    (A / (L − E))^(1/α): no token count brings a smaller model to the loss."""
    f = scaling.get_fit(fit)
    reducible = target_loss - f.E
    if reducible <= 0:
        raise ValueError(f"a loss of {target_loss!r} is at or below the irreducible E = {f.E}")
    return (f.A / reducible) ** (1.0 / f.alpha)


def iso_loss_tokens(n_params: float, target_loss: float, fit: str) -> float:
    """Tokens D with L(N, D) = ``target_loss``; infinity at or below :func:`smallest_model`.

    >>> n = 1e10
    >>> round(scaling.loss(n, iso_loss_tokens(n, 2.0, "epoch"), "epoch"), 12)
    2.0
    """
    f = scaling.get_fit(fit)
    rest = target_loss - f.E - f.A / n_params**f.alpha
    if rest <= 0:
        return math.inf
    return (f.B / rest) ** (1.0 / f.beta)


def chinchilla_share(fit: str) -> float:
    """s* = β / (α + β): the parameter term's share of the reducible loss at the
    compute-optimal point."""
    f = scaling.get_fit(fit)
    return f.beta / (f.alpha + f.beta)


@dataclass(frozen=True)
class Allocation:
    n_params: float
    n_tokens: float
    share: float  # s, the parameter term's share of the reducible loss
    iterations: int

    @property
    def tokens_per_param(self) -> float:
        return self.n_tokens / self.n_params


def _excess(share: float, target_loss: float, inference_tokens: float, fit: str) -> float:
    """h(s) − 2 D_inf: negative left of the root, positive right of it."""
    f = scaling.get_fit(fit)
    _, tokens = scaling.iso_loss_point(target_loss, share, fit)
    ratio = (f.alpha / f.beta) * share / (1.0 - share)
    return 6.0 * tokens * (ratio - 1.0) - FLOPS_PER_PARAM_PER_SERVED_TOKEN * inference_tokens


def inference_optimal(target_loss: float, inference_tokens: float, fit: str = "epoch",
                      tolerance: float = 1e-15, max_steps: int = 400) -> Allocation:
    """The (N, D) on the iso-loss curve L = ``target_loss`` that minimise
    6 N D + 2 N D_inf (the solver of the module docstring: bisection on
    ln(1 − s) between the Chinchilla share and a bracketing share).
    """
    if not (math.isfinite(inference_tokens) and inference_tokens >= 0):
        raise ValueError(f"inference tokens must be a finite number of at least 0, got {inference_tokens!r}")
    s_star = chinchilla_share(fit)
    low = math.log(1.0 - s_star)  # u = ln(1 - s): s = s* here, h - 2 D_inf <= 0
    steps = 0
    if inference_tokens == 0:
        n, d = scaling.iso_loss_point(target_loss, s_star, fit)
        return Allocation(n, d, s_star, 0)
    high = low  # the bracket's other end, below low in u (closer to s = 1)
    while _excess(1.0 - math.exp(high), target_loss, inference_tokens, fit) <= 0:
        high -= 1.0
        steps += 1
        if steps > max_steps:
            raise ValueError("no bracket found: the inference volume is too large for floating point")
    # Invariant: excess(low) <= 0 < excess(high), with high < low in u.
    while low - high > tolerance * max(1.0, abs(high)) and steps < max_steps:
        mid = 0.5 * (low + high)
        if _excess(1.0 - math.exp(mid), target_loss, inference_tokens, fit) <= 0:
            low = mid
        else:
            high = mid
        steps += 1
    share = 1.0 - math.exp(0.5 * (low + high))
    n, d = scaling.iso_loss_point(target_loss, share, fit)
    return Allocation(n, d, share, steps)


# ------------------------------------------------------------------ shape, memory and speed


@dataclass(frozen=True)
class Shape:
    layers: int
    d_model: int
    heads: int
    kv_heads: int
    head_dim: int


def shape(n_params: float) -> Shape:
    """Layers and width of an ``n_params`` decoder: N ≈ 12 L d², d = 128 L,
    d rounded to whole heads of 128, and the heads to whole groups of the 8 KV
    heads (fewer KV heads if it has fewer than 8 heads)."""
    _check_positive(n_params=n_params)
    layers = max(2, round((n_params / (12.0 * ASPECT_RATIO**2)) ** (1.0 / 3.0)))
    width = math.sqrt(n_params / (12.0 * layers))
    heads = max(1, round(width / HEAD_DIM))
    if heads >= GQA_KV_HEADS:  # whole groups: every KV head serves as many query heads
        heads = GQA_KV_HEADS * round(heads / GQA_KV_HEADS)
    return Shape(layers, heads * HEAD_DIM, heads, min(heads, GQA_KV_HEADS), HEAD_DIM)


def kv_model(s: Shape, kind: str) -> attention.Model:
    """The attention shape for KV bytes: GQA (also the layers of the hybrid), or MLA."""
    if kind == "mla":
        return attention.Model(key="mla", label="MLA", layers=s.layers, heads=s.heads, kv_heads=s.heads,
                               head_dim=s.head_dim + MLA_ROPE, v_head_dim=s.head_dim, context_limit=None,
                               source="planner", kv_lora_rank=MLA_LATENT, rope_dim=MLA_ROPE)
    return attention.Model(key="gqa", label="GQA", layers=s.layers, heads=s.heads, kv_heads=s.kv_heads,
                           head_dim=s.head_dim, v_head_dim=s.head_dim, context_limit=None, source="planner")


def kv_cache_bytes(n_params: float, kind: str, context_tokens: int) -> float:
    """KV bytes of one sequence of ``context_tokens`` for the shape of ``n_params``.

    Hybrid: one layer in 6 global (every token kept), the others keep the last
    ``SLIDING_WINDOW`` tokens (:func:`course.attention.kv_tokens_kept`).
    """
    s = shape(n_params)
    bytes_per_element = KV_BITS / 8
    per_token = attention.kv_bytes_per_token(kv_model(s, kind), bytes_per_element)
    if kind != "hybrid":
        return per_token * context_tokens
    per_layer = per_token / s.layers
    global_layers = max(1, round(s.layers / (SLIDING_PER_GLOBAL + 1)))
    kept = attention.kv_tokens_kept(attention.sliding(SLIDING_WINDOW), context_tokens)
    return per_layer * (global_layers * context_tokens + (s.layers - global_layers) * kept)


def weights_bytes(n_params: float, scheme: str) -> float:
    """Bytes of ``n_params`` weights stored in ``scheme`` (every weight at the body's bits)."""
    return n_params * serving.bits_per_weight(scheme) / serving.BITS_PER_BYTE


@dataclass(frozen=True)
class Replica:
    memory_bytes: float
    bandwidth_bytes_per_s: float
    min_tokens_per_s: float
    context_tokens: int
    attention: str


def memory_needed(n_total: float, n_active: float, scheme: str, r: Replica) -> float:
    """Weights of every parameter plus the KV cache of one sequence at the context."""
    return weights_bytes(n_total, scheme) + kv_cache_bytes(n_active, r.attention, r.context_tokens)


def decode_tokens_per_s(n_active: float, scheme: str, r: Replica) -> float:
    """Bandwidth / (active weight bytes + KV bytes of the sequence): batch-1 decoding."""
    step = weights_bytes(n_active, scheme) + kv_cache_bytes(n_active, r.attention, r.context_tokens)
    return r.bandwidth_bytes_per_s / step


def fits(n_params: float, scheme: str, r: Replica) -> bool:
    """Does a dense ``n_params`` model fit the replica's memory and latency need?"""
    return (memory_needed(n_params, n_params, scheme, r) <= r.memory_bytes
            and decode_tokens_per_s(n_params, scheme, r) >= r.min_tokens_per_s)


def largest_fitting(scheme: str, r: Replica, upper: float) -> float | None:
    """The largest dense N ≤ ``upper`` that :func:`fits` (bisection on log N;
    memory and step bytes grow with N), or None when not even
    :data:`MIN_PARAMS` fits."""
    if fits(upper, scheme, r):
        return upper
    if not fits(MIN_PARAMS, scheme, r):
        return None
    lo, hi = math.log(MIN_PARAMS), math.log(upper)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if fits(math.exp(mid), scheme, r):
            lo = mid
        else:
            hi = mid
    return math.exp(lo)


# ------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class Inputs:
    budget_usd: float
    inference_tokens: float
    memory_bytes: float
    latency: str
    use_case: str
    fit: str = "epoch"


@dataclass(frozen=True)
class MoEDesign:
    key: str
    label: str
    ratio: float  # total / active parameters of the published model
    routed_experts: int
    shared_experts: int
    top_k: int


def moe_design(key: str) -> MoEDesign:
    p = moe.PRESETS[key]
    c = moe.count_parameters(p.arch)
    return MoEDesign(key, p.label, c.total / c.active, p.arch.routed_experts, p.arch.shared_experts, p.arch.top_k)


@dataclass(frozen=True)
class Plan:
    inputs: Inputs
    budget_flops: float
    target_loss: float
    chinchilla: Allocation
    inference_aware: Allocation
    n_active: float
    n_tokens: float
    loss: float
    capped: bool  # memory or latency cut N below the inference-aware optimum
    reachable: bool  # the recommended model reaches the target loss
    cap: float | None
    scheme: str
    moe: MoEDesign | None
    n_total: float
    reasoning: bool
    context_tokens: int
    attention: str
    shape: Shape
    weights_bytes: float
    kv_bytes: float
    kv_bytes_gqa: float
    memory_bytes: float
    tokens_per_s: float
    thinking_s: float

    @property
    def training_flops(self) -> float:
        return scaling.training_flops(self.n_active, self.n_tokens)

    @property
    def lifetime_flops(self) -> float:
        return lifetime_flops(self.n_active, self.n_tokens, self.inputs.inference_tokens)

    @property
    def chinchilla_lifetime_flops(self) -> float:
        c = self.chinchilla
        return lifetime_flops(c.n_params, c.n_tokens, self.inputs.inference_tokens)

    @property
    def public_text_epochs(self) -> float:
        """Passes over the stock of public text the training tokens need."""
        return self.n_tokens / PUBLIC_TEXT_TOKENS

    @property
    def fits_memory(self) -> bool:
        return self.memory_bytes <= self.inputs.memory_bytes


def replica(inputs: Inputs) -> Replica:
    u = USE_CASES[inputs.use_case]
    return Replica(
        memory_bytes=inputs.memory_bytes,
        bandwidth_bytes_per_s=DEVICE_BANDWIDTH if u.on_device else inputs.memory_bytes * H100_BANDWIDTH / H100_MEMORY,
        min_tokens_per_s=LATENCY_NEEDS[inputs.latency],
        context_tokens=u.context_tokens,
        attention=u.attention,
    )


def plan(inputs: Inputs) -> Plan:
    """Every recommendation for ``inputs`` (rules in the module docstring)."""
    if inputs.use_case not in USE_CASES:
        raise ValueError(f"unknown use case {inputs.use_case!r}; choose one of {', '.join(USE_CASES)}")
    if inputs.latency not in LATENCY_NEEDS:
        raise ValueError(f"unknown latency need {inputs.latency!r}; choose one of {', '.join(LATENCY_NEEDS)}")
    _check_positive(memory_bytes=inputs.memory_bytes)
    u = USE_CASES[inputs.use_case]
    r = replica(inputs)
    flops = budget_flops(inputs.budget_usd)
    n_star, d_star = scaling.compute_optimal(flops, inputs.fit)
    target = scaling.loss(n_star, d_star, inputs.fit)
    chin = Allocation(n_star, d_star, chinchilla_share(inputs.fit), 0)
    ia = inference_optimal(target, inputs.inference_tokens, inputs.fit)

    # Precision: 4-bit on a device; FP8 on a server if the unconstrained model fits, else INT4.
    if u.on_device or not fits(ia.n_params, "fp8", r):
        scheme = "int4"
    else:
        scheme = "fp8"
    cap = largest_fitting(scheme, r, ia.n_params)
    n, d, capped, reachable = ia.n_params, ia.n_tokens, False, True
    if cap is None:
        cap = MIN_PARAMS
    if cap < ia.n_params:
        capped = True
        n = cap
        d = iso_loss_tokens(n, target, inputs.fit)
        if not math.isfinite(d):
            reachable = False
            d = flops / (scaling.FLOPS_PER_PARAM_PER_TOKEN * n)
    loss = scaling.loss(n, d, inputs.fit)

    design, total = None, n
    if not u.on_device and n >= MOE_MIN_ACTIVE:
        for key in MOE_DESIGNS:  # sparsest first
            candidate = moe_design(key)
            fed = d / (n * candidate.ratio) >= MOE_MIN_TOKENS_PER_TOTAL_PARAM
            if fed and memory_needed(n * candidate.ratio, n, scheme, r) <= r.memory_bytes:
                design, total = candidate, n * candidate.ratio
                break

    kv = kv_cache_bytes(n, u.attention, u.context_tokens)
    tps = decode_tokens_per_s(n, scheme, r)
    return Plan(
        inputs=inputs, budget_flops=flops, target_loss=target, chinchilla=chin, inference_aware=ia,
        n_active=n, n_tokens=d, loss=loss, capped=capped, reachable=reachable,
        cap=cap if capped else None, scheme=scheme, moe=design, n_total=total, reasoning=u.reasoning,
        context_tokens=u.context_tokens, attention=u.attention, shape=shape(n),
        weights_bytes=weights_bytes(total, scheme), kv_bytes=kv,
        kv_bytes_gqa=kv_cache_bytes(n, "gqa", u.context_tokens),
        memory_bytes=memory_needed(total, n, scheme, r), tokens_per_s=tps,
        thinking_s=THINKING_TOKENS / tps if u.reasoning else 0.0,
    )


def iso_loss_curve(target_loss: float, inference_tokens: float, fit: str, low: float, high: float,
                   points: int = 120) -> list[tuple[float, float, float, float]]:
    """(N, training FLOPs, inference FLOPs, lifetime FLOPs) at ``points`` N spaced
    evenly in log N over [low, high] on the iso-loss curve (low above :func:`smallest_model`)."""
    out = []
    for i in range(points):
        n = math.exp(math.log(low) + (math.log(high) - math.log(low)) * i / (points - 1))
        d = iso_loss_tokens(n, target_loss, fit)
        if not math.isfinite(d):
            continue
        train = scaling.training_flops(n, d)
        infer = FLOPS_PER_PARAM_PER_SERVED_TOKEN * n * inference_tokens
        out.append((n, train, infer, train + infer))
    return out


SELF_CHECKS = {
    "budget.5M": lambda: budget_flops(5e6),
    "inference_optimal.epoch": lambda: [inference_optimal(2.0, 1e13, "epoch").n_params,
                                        inference_optimal(2.0, 1e13, "epoch").n_tokens],
    "inference_optimal.hoffmann": lambda: inference_optimal(1.9, 1e14, "hoffmann").n_params,
    "kv.hybrid": lambda: kv_cache_bytes(3e9, "hybrid", 131072),
    "plan.default": lambda: [plan(Inputs(5e6, 1e12, 640e9, "interactive", "chat")).n_active,
                             plan(Inputs(5e6, 1e12, 640e9, "interactive", "chat")).n_total],
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
