"""Serving maths: the levers that turn a model into a shippable cost.

What it models, and where each formula comes from
-------------------------------------------------
* **Weight bytes per parameter** of common quantisation schemes
  (:data:`SCHEMES`). Block formats store a shared scale next to each block of
  low-bit weights, so their bits per weight are computed from the block's
  layout: llama.cpp ``block_q8_0`` holds 32 int8 weights and one fp16 scale
  (34 bytes, 8.5 bits per weight); ``block_q4_K`` holds 256 4-bit weights in
  128 bytes, 12 bytes of 6-bit sub-block scales and minima and two fp16
  super-block scales (144 bytes, 4.5 bits per weight) (ggml ``ggml-common.h``);
  GPTQ / AWQ group quantisation stores, for every group of 128 weights, an
  fp16 scale and a 4-bit zero point (Frantar et al. 2022, arXiv 2210.17323;
  Lin et al. 2023, arXiv 2306.00978: group size 128), 4 + 20 / 128 bits. The
  *mixed* scheme keeps the input embedding and output head in 16-bit and
  quantises the rest to 4-bit groups of 128, as quantisation toolkits commonly
  do for those two sensitive matrices.
* **Model memory** = parameters (counted from ``config.json`` by
  :func:`course.moe.count_parameters`) × bytes per parameter, plus the
  **KV cache** = tokens × :func:`course.attention.kv_bytes_per_token`.
* **Decode speed of a memory-bandwidth-bound GPU**: generating one token
  reads every weight that token multiplies plus the KV cache of the sequence,
  so ``tokens/s ≈ achieved bandwidth / bytes read per step`` (the roofline
  argument of Williams et al. 2009, CACM 52(4); for LLM decoding, Pope et al.
  2022, arXiv 2211.05102, section 2). A step that decodes B sequences reads
  the weights once for all of them and each sequence's own KV cache. For a
  mixture of experts, B tokens each choosing K of E routed experts uniformly
  at random touch ``E (1 - (1 - K/E)^B)`` distinct experts in expectation
  (each expert is missed by one token with probability ``(E - K) / E``): one
  token reads only its K experts, a large batch reads nearly all of them.
* **Prefill** (the prompt) is compute-bound: ``2 × active parameters`` FLOPs
  per prompt token (Kaplan et al. 2020, arXiv 2001.08361, section 2.1), at a
  model-FLOPs utilisation of the GPU's peak.
* **Prompt caching**: the first request writes the shared prefix to the cache
  at the cache-write price; each later request within the cache's lifetime
  reads it at the cache-read price instead of the input price. Caching pays
  from the reuse at which ``write + r × read <= (1 + r) × input``:
  :func:`break_even_reuses`. Default prices: Anthropic's published Claude
  Sonnet 4.6 rates, $3 per million input tokens, cache writes 1.25× that
  (5-minute cache), cache reads 0.1× (Anthropic pricing page and prompt
  caching documentation).
* **Speculative decoding** (Leviathan, Kalman and Matias 2023, "Fast
  Inference from Transformers via Speculative Decoding", arXiv 2211.17192):
  a draft model proposes γ tokens, the target model checks them in one step;
  with each token accepted independently with probability α, the expected
  number of tokens one target step produces is
  ``(1 - α^(γ+1)) / (1 - α)`` (their eq. 1), and with a draft that costs
  ``c`` target steps per token the expected wall-time speed-up is
  ``(1 - α^(γ+1)) / ((1 - α)(γ c + 1))`` (their Theorem 3.8).

>>> round(bits_per_weight("q4_k"), 4), round(bits_per_weight("int8"), 4)
(4.5, 8.5)
>>> expected_tokens_per_step(0.8, 4)
3.3616
>>> round(speedup(0.8, 4, 0.05), 4)
2.8013
>>> break_even_reuses(3.0, 3.75, 0.30)
1
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course import attention, moe

TOKENS_PER_MILLION = 1_000_000
BITS_PER_BYTE = 8
SECONDS_PER_HOUR = 3600
DAYS_PER_MONTH = 30
"""A month of the workload is 30 days (stated on the page)."""


# ------------------------------------------------------------------ quantisation


def block_bits(weights_per_block: int, bytes_per_block: int) -> float:
    """Bits per weight of a block format: the block's bytes spread over its weights.

    >>> block_bits(32, 34), block_bits(256, 144)   # llama.cpp Q8_0, Q4_K
    (8.5, 4.5)
    """
    return bytes_per_block * BITS_PER_BYTE / weights_per_block


def group_bits(weight_bits: int, group_size: int, overhead_bits_per_group: int) -> float:
    """Bits per weight of group quantisation: weights plus the group's scale and zero.

    >>> group_bits(4, 128, 16 + 4)
    4.15625
    """
    return weight_bits + overhead_bits_per_group / group_size


@dataclass(frozen=True)
class Scheme:
    """Bits per parameter of the body of the model and of its embedding and head."""

    key: str
    label: str
    body_bits: float
    embedding_bits: float
    source: str


_INT4_G128 = group_bits(4, 128, 16 + 4)
SCHEMES: dict[str, Scheme] = {
    s.key: s
    for s in (
        Scheme("bf16", "BF16 / FP16 (16-bit)", 16.0, 16.0, "the weights as trained: 2 bytes per parameter"),
        Scheme("fp8", "FP8 (8-bit)", 8.0, 8.0, "8-bit floats with one scale per tensor (negligible)"),
        Scheme("int8", "Q8_0 (8-bit blocks)", block_bits(32, 34), block_bits(32, 34),
               "llama.cpp block_q8_0: 32 int8 weights + one fp16 scale = 34 bytes"),
        Scheme("q4_k", "Q4_K (4-bit super-blocks)", block_bits(256, 144), block_bits(256, 144),
               "llama.cpp block_q4_K: 256 4-bit weights in 128 B + 12 B of 6-bit scales + 2 fp16 = 144 bytes"),
        Scheme("int4", "INT4, groups of 128 (GPTQ / AWQ)", _INT4_G128, _INT4_G128,
               "4-bit weights + fp16 scale + 4-bit zero per 128 weights (arXiv 2210.17323, 2306.00978)"),
        Scheme("mixed", "Mixed: INT4 body, 16-bit embedding and head", _INT4_G128, 16.0,
               "INT4 groups of 128 for every layer; input embedding and output head kept in 16-bit"),
    )
}
"""The quantisation schemes of both pages, in the order of their selects."""

DEFAULT_SCHEME = "bf16"
KV_BITS = (16, 8)
"""KV-cache precisions offered: 16-bit (BF16/FP16) and 8-bit (FP8) keys and values."""


def bits_per_weight(scheme: str) -> float:
    """Bits per parameter of the body of ``scheme`` (a key of :data:`SCHEMES`)."""
    return _scheme(scheme).body_bits


def _scheme(scheme: str) -> Scheme:
    try:
        return SCHEMES[scheme]
    except KeyError:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}") from None


_EMBEDDING_ROWS = ("input embedding", "output head")


def weight_bytes(by_component: dict, scheme: str) -> float:
    """Bytes of the parameters of ``by_component`` (a :class:`course.moe.ParameterCount`
    ``total_by`` or ``active_by``) stored in ``scheme``.

    >>> weight_bytes({"attention": 1000, "input embedding": 100, "output head": 100}, "mixed")
    919.53125
    """
    s = _scheme(scheme)
    body = math.fsum(v for k, v in by_component.items() if k not in _EMBEDDING_ROWS)
    embeddings = math.fsum(v for k, v in by_component.items() if k in _EMBEDDING_ROWS)
    return (body * s.body_bits + embeddings * s.embedding_bits) / BITS_PER_BYTE


def expected_experts_touched(experts: int, top_k: int, tokens: int) -> float:
    """Distinct routed experts that ``tokens`` tokens, each choosing ``top_k`` of
    ``experts`` uniformly at random, touch in expectation: E (1 - (1 - K/E)^B).

    >>> expected_experts_touched(8, 2, 1), round(expected_experts_touched(128, 8, 64), 2)
    (2.0, 125.94)
    """
    if experts < 1 or not 1 <= top_k <= experts or tokens < 1:
        raise ValueError(f"need 1 <= top_k <= experts and at least one token, got {top_k}, {experts}, {tokens}")
    return experts * (1.0 - ((experts - top_k) / experts) ** tokens)


def weights_read_per_step(arch: moe.Architecture, count: moe.ParameterCount, scheme: str, batch: int) -> float:
    """Bytes of weights one decode step of ``batch`` sequences reads: every weight
    an active token multiplies, the routed experts as many as the batch touches.
    The input embedding reads one row per token (negligible, not counted)."""
    active = dict(count.active_by)
    if arch.routed_experts > 1 and count.total_by["routed experts"]:
        touched = expected_experts_touched(arch.routed_experts, arch.top_k, batch)
        active["routed experts"] = count.total_by["routed experts"] * touched / arch.routed_experts
    return weight_bytes(active, scheme)


def kv_model(label: str, arch: moe.Architecture, context_limit: int | None, source: str) -> attention.Model:
    """The attention shape :func:`course.attention.kv_bytes_per_token` needs, from an architecture."""
    if arch.latent_attention is not None:
        m = arch.latent_attention
        return attention.Model(
            key=label, label=label, layers=arch.layers, heads=arch.heads, kv_heads=arch.kv_heads,
            head_dim=m.qk_nope_head_dim + m.qk_rope_head_dim, v_head_dim=m.v_head_dim,
            context_limit=context_limit, source=source, kv_lora_rank=m.kv_lora_rank, rope_dim=m.qk_rope_head_dim,
        )
    return attention.Model(
        key=label, label=label, layers=arch.layers, heads=arch.heads, kv_heads=arch.kv_heads,
        head_dim=arch.head_dim, v_head_dim=arch.head_dim, context_limit=context_limit, source=source,
    )


def kv_cache_bytes(model: attention.Model, tokens: float, kv_bits: int) -> float:
    """KV-cache bytes of ``tokens`` cached tokens at ``kv_bits`` per element."""
    return tokens * attention.kv_bytes_per_token(model, kv_bits / BITS_PER_BYTE)


def gpus_needed(memory_bytes: float, gpu_memory_bytes: float) -> int:
    """GPUs whose memory holds ``memory_bytes`` (weights and KV cache split across them).

    >>> gpus_needed(16.1e9, 80e9), gpus_needed(141e9, 80e9)
    (1, 2)
    """
    if not gpu_memory_bytes > 0:
        raise ValueError(f"GPU memory must be positive, got {gpu_memory_bytes!r}")
    return max(1, math.ceil(memory_bytes / gpu_memory_bytes - 1e-12))


def decode_step_seconds(bytes_per_step: float, bandwidth_bytes_per_s: float, gpus: int = 1) -> float:
    """Seconds of one decode step when reading memory is the bottleneck: bytes
    read / bandwidth (tensor parallelism splits the bytes over ``gpus``).

    >>> decode_step_seconds(16e9, 3.35e12)
    0.004776119402985075
    """
    if not (bandwidth_bytes_per_s > 0 and gpus >= 1):
        raise ValueError("bandwidth must be positive and at least one GPU used")
    return bytes_per_step / (bandwidth_bytes_per_s * gpus)


def prefill_seconds(tokens: float, active_params: float, peak_flops: float, mfu: float, gpus: int = 1) -> float:
    """Seconds to read a prompt of ``tokens`` tokens: 2 × active parameters FLOPs
    per token at ``mfu`` of the peak of ``gpus`` GPUs.

    >>> round(prefill_seconds(1000, 8e9, 989.4e12, 0.4), 5)
    0.04043
    """
    if not (peak_flops > 0 and 0 < mfu <= 1 and gpus >= 1):
        raise ValueError("peak FLOP/s and MFU must be positive (MFU at most 1)")
    return 2.0 * active_params * tokens / (peak_flops * mfu * gpus)


# ------------------------------------------------------------------ prompt caching


@dataclass(frozen=True)
class CachePrices:
    """Dollars per million tokens: ordinary input, cache write, cache read."""

    input: float
    write: float
    read: float


ANTHROPIC_SONNET = CachePrices(input=3.00, write=3.75, read=0.30)
"""Claude Sonnet 4.6: $3 / M input; 5-minute cache writes 1.25× ($3.75), cache
reads 0.1× ($0.30) (Anthropic pricing page; prompt caching documentation)."""
OUTPUT_PRICE = 15.00
"""Claude Sonnet 4.6 output tokens, $ per million (Anthropic pricing page)."""


def prefix_cost_uncached(prefix_tokens: float, requests: int, prices: CachePrices) -> float:
    """Dollars for ``requests`` requests sending the same prefix without caching."""
    return requests * prefix_tokens * prices.input / TOKENS_PER_MILLION


def prefix_cost_cached(prefix_tokens: float, requests: int, prices: CachePrices) -> float:
    """Dollars with caching: one write, then ``requests - 1`` reads (all within
    the cache's lifetime)."""
    if requests < 1:
        return 0.0
    return prefix_tokens * (prices.write + (requests - 1) * prices.read) / TOKENS_PER_MILLION


def break_even_reuses(price_input: float, price_write: float, price_read: float) -> int | None:
    """Fewest reuses r (requests after the first) for which caching costs no more:
    write + r × read <= (1 + r) × input, i.e. r >= (write - input) / (input - read).
    None if a cache read costs at least an input token (caching never pays).

    >>> break_even_reuses(3.0, 3.75, 0.3), break_even_reuses(1.0, 2.0, 0.1), break_even_reuses(1.0, 1.25, 1.0)
    (1, 2, None)
    """
    if price_read >= price_input:
        return None
    if price_write <= price_input:
        return 0
    return math.ceil((price_write - price_input) / (price_input - price_read) - 1e-12)


# ------------------------------------------------------------------ speculative decoding


def expected_tokens_per_step(alpha: float, gamma: int) -> float:
    """E[tokens per target step] = (1 - α^(γ+1)) / (1 - α) (Leviathan et al. eq. 1);
    γ + 1 when every draft is accepted (α = 1).

    >>> expected_tokens_per_step(0.0, 5), expected_tokens_per_step(1.0, 5)
    (1.0, 6.0)
    """
    _check_speculation(alpha, gamma)
    if alpha == 1.0:
        return float(gamma + 1)
    return (1.0 - alpha ** (gamma + 1)) / (1.0 - alpha)


def speedup(alpha: float, gamma: int, draft_cost: float) -> float:
    """Expected wall-time speed-up (Leviathan et al. Theorem 3.8): tokens per step
    over the cost of a step, γ draft tokens at ``draft_cost`` target steps each
    plus one target step."""
    if not (0.0 <= draft_cost and math.isfinite(draft_cost)):
        raise ValueError(f"draft cost must be a non-negative number, got {draft_cost!r}")
    return expected_tokens_per_step(alpha, gamma) / (gamma * draft_cost + 1.0)


def best_gamma(alpha: float, draft_cost: float, max_gamma: int) -> int:
    """The draft length in 1 .. ``max_gamma`` with the largest speed-up (the shortest on ties)."""
    return max(range(1, max_gamma + 1), key=lambda g: (speedup(alpha, g, draft_cost), -g))


def _check_speculation(alpha: float, gamma: int) -> None:
    if not (0.0 <= alpha <= 1.0):
        raise ValueError(f"acceptance rate must be from 0 to 1, got {alpha!r}")
    if isinstance(gamma, bool) or not isinstance(gamma, int) or gamma < 0:
        raise ValueError(f"draft length must be a whole number of at least 0, got {gamma!r}")


# ------------------------------------------------------------------ one workload, every lever


@dataclass(frozen=True)
class Deployment:
    """A model on GPUs: its architecture and counts, precisions, hardware and prices."""

    arch: moe.Architecture
    params: moe.ParameterCount
    kv_shape: attention.Model
    kv_bits: int
    gpu_memory_bytes: float
    bandwidth_bytes_per_s: float
    peak_flops: float
    mfu: float
    usd_per_gpu_hour: float
    batch: int


@dataclass(frozen=True)
class Workload:
    """Identical requests: a prompt whose first ``prefix_tokens`` tokens are the
    same for all, and ``requests_per_write`` requests sharing each cache write."""

    requests_per_day: float
    prompt_tokens: int
    output_tokens: int
    prefix_tokens: int
    requests_per_write: int


@dataclass(frozen=True)
class Levers:
    """Which levers are on, and their settings."""

    scheme: str  # the weight precision when quantisation is on
    quantise: bool
    cache: bool
    speculate: bool
    alpha: float
    gamma: int
    draft_cost: float


@dataclass(frozen=True)
class Served:
    """What a workload costs on a deployment with some levers on."""

    weights_bytes: float
    kv_bytes: float
    memory_bytes: float
    gpus: int
    step_seconds: float  # one decode step of the whole batch
    seconds_per_token: float  # per sequence, after speculative decoding
    tokens_per_s: float  # per sequence
    ttft_p50_s: float
    latency_p50_s: float
    gpu_seconds_per_request: float
    monthly_usd: float
    api_monthly_usd: float


def cached_share(w: Workload, cache: bool) -> float:
    """Share of requests that read the prefix from the cache: (r - 1) / r."""
    if not cache or w.prefix_tokens == 0:
        return 0.0
    return (w.requests_per_write - 1) / w.requests_per_write


def serve_workload(d: Deployment, w: Workload, levers: Levers, prices: CachePrices, output_price: float) -> Served:
    """Monthly cost and median latency of ``w`` on ``d`` (every request identical).

    * memory: weights at the precision plus the KV cache of ``batch`` sequences
      of prompt + output tokens; GPUs: as many as that memory needs;
    * decode: a step reads the weights the batch touches and each sequence's
      KV cache (on average prompt + output / 2 tokens), at the GPUs' bandwidth;
      speculative decoding divides the time per token by its speed-up;
    * prefill: 2 × active parameters FLOPs per prompt token not read from the
      cache, at ``mfu`` of peak; a cached prefix is skipped (prefix caching);
    * p50: with r >= 2 requests per cache write, most requests (r - 1 of r)
      read the cache, so the median request does; the p50 latency is its time
      to first token plus its output tokens at the decode speed;
    * cost: busy GPU-seconds (the prefill on all GPUs, each decode step shared
      by the batch) at the hourly price, 30 days a month;
    * API bill: the same requests at a provider's prices (input, cache write,
      cache read, output); quantisation and speculative decoding do not change it.
    """
    scheme = levers.scheme if levers.quantise else DEFAULT_SCHEME
    weights = weight_bytes(d.params.total_by, scheme)
    per_token_kv = attention.kv_bytes_per_token(d.kv_shape, d.kv_bits / BITS_PER_BYTE)
    kv = d.batch * (w.prompt_tokens + w.output_tokens) * per_token_kv
    memory = weights + kv
    gpus = gpus_needed(memory, d.gpu_memory_bytes)
    step_bytes = weights_read_per_step(d.arch, d.params, scheme, d.batch)
    step_bytes += d.batch * (w.prompt_tokens + w.output_tokens / 2) * per_token_kv
    step = decode_step_seconds(step_bytes, d.bandwidth_bytes_per_s, gpus)
    gain = speedup(levers.alpha, levers.gamma, levers.draft_cost) if levers.speculate else 1.0
    per_token = step / gain
    share = cached_share(w, levers.cache)
    mean_prefill_tokens = w.prompt_tokens - share * w.prefix_tokens
    median_prefill_tokens = w.prompt_tokens - (w.prefix_tokens if share >= 0.5 else 0)
    active = d.params.active
    ttft = prefill_seconds(median_prefill_tokens, active, d.peak_flops, d.mfu, gpus)
    latency = ttft + w.output_tokens * per_token
    prefill_gpu_seconds = gpus * prefill_seconds(mean_prefill_tokens, active, d.peak_flops, d.mfu, gpus)
    decode_gpu_seconds = gpus * w.output_tokens * step / (d.batch * gain)
    gpu_seconds = prefill_gpu_seconds + decode_gpu_seconds
    monthly = w.requests_per_day * DAYS_PER_MONTH * gpu_seconds / SECONDS_PER_HOUR * d.usd_per_gpu_hour
    if levers.cache and w.prefix_tokens:
        prefix_usd = prefix_cost_cached(w.prefix_tokens, w.requests_per_write, prices) / w.requests_per_write
    else:
        prefix_usd = w.prefix_tokens * prices.input / TOKENS_PER_MILLION
    per_request_api = prefix_usd + (
        (w.prompt_tokens - w.prefix_tokens) * prices.input + w.output_tokens * output_price
    ) / TOKENS_PER_MILLION
    return Served(
        weights_bytes=weights,
        kv_bytes=kv,
        memory_bytes=memory,
        gpus=gpus,
        step_seconds=step,
        seconds_per_token=per_token,
        tokens_per_s=1.0 / per_token,
        ttft_p50_s=ttft,
        latency_p50_s=latency,
        gpu_seconds_per_request=gpu_seconds,
        monthly_usd=monthly,
        api_monthly_usd=w.requests_per_day * DAYS_PER_MONTH * per_request_api,
    )


SELF_CHECKS = {
    "bits": lambda: {key: [s.body_bits, s.embedding_bits] for key, s in SCHEMES.items()},
    "speculation": lambda: [[speedup(a / 10, g, 0.05) for g in range(1, 9)] for a in range(0, 10)],
    "experts_touched": lambda: [expected_experts_touched(128, 8, b) for b in (1, 2, 8, 64, 256)],
    "mixtral_bytes": lambda: [
        weights_read_per_step(moe.PRESETS["mixtral-8x7b"].arch, moe.count_parameters(moe.PRESETS["mixtral-8x7b"].arch), key, 4)
        for key in SCHEMES
    ],
    "break_even": lambda: break_even_reuses(ANTHROPIC_SONNET.input, ANTHROPIC_SONNET.write, ANTHROPIC_SONNET.read),
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
