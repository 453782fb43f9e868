"""The open-weight decision matrix: what each model card says, and a ranking
whose every step can be shown.

The catalogue
-------------
Eleven open-weight models of four families (Llama, Qwen, Mistral, Phi), each
fact a :class:`Fact` with its source: the model card on Hugging Face, the
model's ``config.json`` or its paper. A fact the sources do not give is
``None`` and shown as *unknown*: never guessed. Architectures come from the
published ``config.json`` files (``hidden_size``, ``num_hidden_layers``,
``num_attention_heads``, ``num_key_value_heads``, ``head_dim``,
``intermediate_size``, ``vocab_size``, ``tie_word_embeddings``, experts) and
are counted by :func:`course.moe.count_parameters`, the same counter as the
Mixture-of-Experts lab (Mixtral 8x7B and Qwen3-235B-A22B reuse its presets);
KV-cache bytes come from :func:`course.attention.kv_bytes_per_token`, as in
the long-context lab.

The benchmark column is MMLU (Hendrycks et al. 2020, arXiv 2009.03300) as each
card or paper reports it, with its setting: the settings differ (0-shot with
chain of thought for the Llama cards, 5-shot for the base models of Mixtral
and Mistral Small 3.1, OpenAI simple-evals for Phi-4), so the scores are only
roughly comparable; the page says so.

The ranking (:func:`rank`)
--------------------------
1. **Constraints** remove candidates: a context window shorter than the
   context you need, a licence that does not allow commercial use when you
   need it, and serving memory (weights at the chosen precision plus the KV
   cache of one sequence at the needed context) that does not fit the GPUs
   you have (or the device's memory, on-device).
2. **Criteria**, each scored from 0 (worst candidate left) to 1 (best):
   *quality* = MMLU, linear; *cost to serve* = FLOPs per generated token,
   2 × active parameters (Kaplan et al. 2020, arXiv 2001.08361); *memory* =
   serving memory; *context* = context window; *licence freedom* = a fixed
   score per licence (1 permissive: Apache 2.0 or MIT; 0.5 commercial use
   allowed with conditions: the Llama community licences; 0 no commercial
   use: the Mistral Research License), a judgement of this lesson, stated on
   the page; *latency* = seconds per generated token on the chosen GPUs, read
   as bytes read per token / memory bandwidth (:mod:`course.serving`).
   Cost, memory, context and latency span orders of magnitude, so they are
   scored on a logarithmic scale: ``s = (log x - log worst) / (log best - log
   worst)``. A criterion on which all candidates tie scores 1 for each. An
   unknown MMLU scores 0 (the page marks it).
3. **Score** = the weighted mean ``sum_i w_i s_i / sum_i w_i`` with the
   learner's weights; candidates are ranked by score, ties by label.

>>> round(count("phi-4").total / 1e9, 2), round(count("llama-3.1-8b").total / 1e9, 2)
(14.66, 8.03)
>>> normalise([1.0, 10.0, 100.0], higher_is_better=False, log=True)
[1.0, 0.5, 0.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course import attention, moe, serving

HF = "https://huggingface.co/"


@dataclass(frozen=True)
class Fact:
    """One cell of the matrix: a value (None = unknown) and where it comes from."""

    value: object
    source: str
    note: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Licence:
    key: str
    name: str
    commercial: bool
    restrictions: str
    freedom: float
    url: str


LICENCES: dict[str, Licence] = {
    lic.key: lic
    for lic in (
        Licence("apache-2.0", "Apache 2.0", True, "none beyond keeping the notices; patent grant included", 1.0,
                "https://www.apache.org/licenses/LICENSE-2.0"),
        Licence("mit", "MIT", True, "none beyond keeping the copyright notice", 1.0, "https://opensource.org/license/mit"),
        Licence("llama-3.1", "Llama 3.1 Community License", True,
                "over 700 million monthly active users needs a licence from Meta; Acceptable Use Policy; show 'Built with Llama'",
                0.5, HF + "meta-llama/Llama-3.1-8B-Instruct/blob/main/LICENSE"),
        Licence("llama-3.3", "Llama 3.3 Community License", True,
                "over 700 million monthly active users needs a licence from Meta; Acceptable Use Policy; show 'Built with Llama'",
                0.5, HF + "meta-llama/Llama-3.3-70B-Instruct/blob/main/LICENSE"),
        Licence("llama-4", "Llama 4 Community License", True,
                "over 700 million monthly active users needs a licence from Meta; Acceptable Use Policy; show 'Built with Llama'",
                0.5, HF + "meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/LICENSE"),
        Licence("mrl", "Mistral AI Research License", False,
                "research and non-commercial use only; commercial use needs a separate licence from Mistral AI",
                0.0, "https://mistral.ai/licenses/MRL-0.1.md"),
    )
}


@dataclass(frozen=True)
class Entry:
    """One model of the matrix."""

    key: str
    label: str
    family: str
    arch: moe.Architecture
    config_url: str
    card_url: str
    published_total: Fact  # parameters, as the card or paper states them
    published_active: Fact
    context: Fact  # tokens
    licence: str  # key of LICENCES
    languages: Fact
    modalities: Fact
    mmlu: Fact  # percent
    count_note: str = ""

    @property
    def is_moe(self) -> bool:
        return self.arch.dense_layers < self.arch.layers


def _dense(d_model: int, layers: int, heads: int, kv_heads: int, head_dim: int, ffn: int, vocab: int,
           tied: bool, qk_norm: bool = False) -> moe.Architecture:
    """A dense decoder: every layer an ordinary SwiGLU FFN (no routed experts)."""
    return moe.Architecture(
        d_model=d_model, layers=layers, heads=heads, kv_heads=kv_heads, head_dim=head_dim, vocab=vocab,
        tied_embeddings=tied, dense_ffn=ffn, dense_layers=layers, routed_experts=1, shared_experts=0,
        top_k=1, expert_ffn=1, qk_norm=qk_norm,
    )


_LLAMA_LANGS = "8: English, German, French, Italian, Portuguese, Hindi, Spanish, Thai"
_QWEN3_LANGS = "119 languages and dialects"
_QWEN3_REPORT = "Qwen3 Technical Report, arXiv 2505.09388"
_QWEN3_CONTEXT = "32,768 native; 131,072 with YaRN"
_TEXT = "text in, text out"
_LLAMA33_CARD = HF + "meta-llama/Llama-3.3-70B-Instruct"

ENTRIES: dict[str, Entry] = {
    e.key: e
    for e in (
        Entry(
            key="llama-3.1-8b", label="Llama 3.1 8B Instruct", family="Llama",
            # hidden_size 4096, 32 layers, 32 heads, 8 KV heads, intermediate 14336, vocab 128256, untied.
            arch=_dense(4096, 32, 32, 8, 128, 14336, 128256, tied=False),
            config_url=HF + "meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json",
            card_url=HF + "meta-llama/Llama-3.1-8B-Instruct",
            published_total=Fact(8e9, "model card: 8B"),
            published_active=Fact(8e9, "dense: every parameter is active"),
            context=Fact(131072, "model card: 128k; config.json max_position_embeddings 131072"),
            licence="llama-3.1",
            languages=Fact(_LLAMA_LANGS, "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(73.0, "Llama 3.3 model card, table 'Llama 3.1 8B Instruct'", "0-shot, CoT"),
        ),
        Entry(
            key="llama-3.3-70b", label="Llama 3.3 70B Instruct", family="Llama",
            # hidden_size 8192, 80 layers, 64 heads, 8 KV heads, intermediate 28672, vocab 128256, untied.
            arch=_dense(8192, 80, 64, 8, 128, 28672, 128256, tied=False),
            config_url=_LLAMA33_CARD + "/blob/main/config.json",
            card_url=_LLAMA33_CARD,
            published_total=Fact(70e9, "model card: 70B"),
            published_active=Fact(70e9, "dense: every parameter is active"),
            context=Fact(131072, "model card: 128k"),
            licence="llama-3.3",
            languages=Fact(_LLAMA_LANGS, "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(86.0, "model card, instruction-tuned benchmarks", "0-shot, CoT"),
        ),
        Entry(
            key="llama-4-scout", label="Llama 4 Scout 17B-16E Instruct", family="Llama",
            # text_config: hidden_size 5120, 48 layers, 40 heads, 8 KV heads, head_dim 128, vocab 202048,
            # num_local_experts 16, num_experts_per_tok 1, one shared expert, intermediate_size 8192,
            # every layer MoE (interleave_moe_layer_step 1).
            arch=moe.Architecture(
                d_model=5120, layers=48, heads=40, kv_heads=8, head_dim=128, vocab=202048, tied_embeddings=False,
                dense_ffn=0, dense_layers=0, routed_experts=16, shared_experts=1, top_k=1, expert_ffn=8192,
            ),
            config_url=HF + "meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/config.json",
            card_url=HF + "meta-llama/Llama-4-Scout-17B-16E-Instruct",
            published_total=Fact(109e9, "model card: 109B total"),
            published_active=Fact(17e9, "model card: 17B activated"),
            context=Fact(10_000_000, "model card: 10M"),
            licence="llama-4",
            languages=Fact("12: Arabic, English, French, German, Hindi, Indonesian, Italian, Portuguese, Spanish, Tagalog, Thai, Vietnamese", "model card"),
            modalities=Fact("text and images in, text out", "model card"),
            mmlu=Fact(None, "the instruction-tuned card reports MMLU-Pro, not MMLU"),
            count_note="text model only: the vision encoder is not counted",
        ),
        Entry(
            key="qwen3-8b", label="Qwen3-8B", family="Qwen",
            # hidden_size 4096, 36 layers, 32 heads, 8 KV heads, head_dim 128, intermediate 12288,
            # vocab 151936, tie_word_embeddings false, q/k RMSNorm.
            arch=_dense(4096, 36, 32, 8, 128, 12288, 151936, tied=False, qk_norm=True),
            config_url=HF + "Qwen/Qwen3-8B/blob/main/config.json",
            card_url=HF + "Qwen/Qwen3-8B",
            published_total=Fact(8.2e9, "model card: 8.2B (6.95B non-embedding)"),
            published_active=Fact(8.2e9, "dense: every parameter is active"),
            context=Fact(131072, "model card", _QWEN3_CONTEXT),
            licence="apache-2.0",
            languages=Fact(_QWEN3_LANGS, _QWEN3_REPORT),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(None, "the model card gives no benchmark table"),
        ),
        Entry(
            key="qwen3-30b-a3b", label="Qwen3-30B-A3B", family="Qwen",
            # hidden_size 2048, 48 layers, 32 heads, 4 KV heads, head_dim 128, vocab 151936, untied,
            # num_experts 128, num_experts_per_tok 8, moe_intermediate_size 768, every layer sparse.
            arch=moe.Architecture(
                d_model=2048, layers=48, heads=32, kv_heads=4, head_dim=128, vocab=151936, tied_embeddings=False,
                dense_ffn=0, dense_layers=0, routed_experts=128, shared_experts=0, top_k=8, expert_ffn=768, qk_norm=True,
            ),
            config_url=HF + "Qwen/Qwen3-30B-A3B/blob/main/config.json",
            card_url=HF + "Qwen/Qwen3-30B-A3B",
            published_total=Fact(30.5e9, "model card: 30.5B total"),
            published_active=Fact(3.3e9, "model card: 3.3B activated"),
            context=Fact(131072, "model card", _QWEN3_CONTEXT),
            licence="apache-2.0",
            languages=Fact(_QWEN3_LANGS, _QWEN3_REPORT),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(None, "the model card gives no benchmark table"),
        ),
        Entry(
            key="qwen3-235b-a22b", label="Qwen3-235B-A22B", family="Qwen",
            arch=moe.PRESETS["qwen3-235b-a22b"].arch,
            config_url=moe.PRESETS["qwen3-235b-a22b"].config_url,
            card_url=HF + "Qwen/Qwen3-235B-A22B",
            published_total=Fact(235e9, "model card: 235B total"),
            published_active=Fact(22e9, "model card: 22B activated"),
            context=Fact(131072, "model card", _QWEN3_CONTEXT),
            licence="apache-2.0",
            languages=Fact(_QWEN3_LANGS, _QWEN3_REPORT),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(None, "the model card gives no benchmark table"),
        ),
        Entry(
            key="mistral-small-3.1", label="Mistral Small 3.1 24B", family="Mistral",
            # text_config: hidden_size 5120, 40 layers, 32 heads, 8 KV heads, head_dim 128,
            # intermediate 32768, vocab 131072, untied.
            arch=_dense(5120, 40, 32, 8, 128, 32768, 131072, tied=False),
            config_url=HF + "mistralai/Mistral-Small-3.1-24B-Instruct-2503/blob/main/config.json",
            card_url=HF + "mistralai/Mistral-Small-3.1-24B-Instruct-2503",
            published_total=Fact(24e9, "model card: 24B"),
            published_active=Fact(24e9, "dense: every parameter is active"),
            context=Fact(131072, "model card: 128k"),
            licence="apache-2.0",
            languages=Fact("dozens; 25 listed, from English and French to Chinese, Hindi and Farsi", "model card"),
            modalities=Fact("text and images in, text out", "model card"),
            mmlu=Fact(81.01, HF + "mistralai/Mistral-Small-3.1-24B-Base-2503", "base model, 5-shot"),
            count_note="text model only: the vision encoder is not counted",
        ),
        Entry(
            key="mixtral-8x7b", label="Mixtral 8x7B Instruct", family="Mistral",
            arch=moe.PRESETS["mixtral-8x7b"].arch,
            config_url=moe.PRESETS["mixtral-8x7b"].config_url,
            card_url=HF + "mistralai/Mixtral-8x7B-Instruct-v0.1",
            published_total=Fact(46.7e9, "Mixtral of experts, arXiv 2401.04088: 47B (46.7B in the release post)"),
            published_active=Fact(12.9e9, "arXiv 2401.04088: 13B active (12.9B in the release post)"),
            context=Fact(32768, "arXiv 2401.04088: context size of 32k tokens"),
            licence="apache-2.0",
            languages=Fact("5: English, French, Italian, German, Spanish", "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(70.6, "arXiv 2401.04088, Table 2", "base model, 5-shot"),
        ),
        Entry(
            key="mistral-large-2", label="Mistral Large 2 (2407)", family="Mistral",
            # hidden_size 12288, 88 layers, 96 heads, 8 KV heads, head_dim 128, intermediate 28672,
            # vocab 32768, untied.
            arch=_dense(12288, 88, 96, 8, 128, 28672, 32768, tied=False),
            config_url=HF + "mistralai/Mistral-Large-Instruct-2407/blob/main/config.json",
            card_url=HF + "mistralai/Mistral-Large-Instruct-2407",
            published_total=Fact(123e9, "model card: 123B"),
            published_active=Fact(123e9, "dense: every parameter is active"),
            context=Fact(131072, "model card: 128k"),
            licence="mrl",
            languages=Fact("10 listed: English, French, German, Spanish, Italian, Portuguese, Chinese, Japanese, Russian, Korean", "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(None, "not verified for this page"),
        ),
        Entry(
            key="phi-4", label="Phi-4 (14B)", family="Phi",
            # hidden_size 5120, 40 layers, 40 heads, 10 KV heads (head 128), intermediate 17920,
            # vocab 100352, max_position_embeddings 16384.
            arch=_dense(5120, 40, 40, 10, 128, 17920, 100352, tied=False),
            config_url=HF + "microsoft/phi-4/blob/main/config.json",
            card_url=HF + "microsoft/phi-4",
            published_total=Fact(14e9, "model card: 14B parameters, dense decoder-only"),
            published_active=Fact(14e9, "dense: every parameter is active"),
            context=Fact(16384, "model card: 16K tokens"),
            licence="mit",
            languages=Fact("primarily English (about 8% multilingual training data)", "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(84.8, "model card; Phi-4 Technical Report, arXiv 2412.08905, Table 1", "OpenAI simple-evals"),
        ),
        Entry(
            key="phi-4-mini", label="Phi-4-mini-instruct (3.8B)", family="Phi",
            # hidden_size 3072, 32 layers, 24 heads, 8 KV heads (head 128), intermediate 8192,
            # vocab 200064, tie_word_embeddings true.
            arch=_dense(3072, 32, 24, 8, 128, 8192, 200064, tied=True),
            config_url=HF + "microsoft/Phi-4-mini-instruct/blob/main/config.json",
            card_url=HF + "microsoft/Phi-4-mini-instruct",
            published_total=Fact(3.8e9, "model card: 3.8B"),
            published_active=Fact(3.8e9, "dense: every parameter is active"),
            context=Fact(131072, "model card: 128K tokens"),
            licence="mit",
            languages=Fact("23 listed, from Arabic and Chinese to Turkish and Ukrainian", "model card"),
            modalities=Fact(_TEXT, "model card"),
            mmlu=Fact(67.3, "model card, benchmark table", "5-shot"),
        ),
    )
}
"""The matrix's models, in the order of its rows."""

FAMILIES = ("Llama", "Qwen", "Mistral", "Phi")

_COUNTS: dict[str, moe.ParameterCount] = {}


def count(key: str) -> moe.ParameterCount:
    """Total and active parameters of ``key``, counted from its config.json."""
    if key not in _COUNTS:
        _COUNTS[key] = moe.count_parameters(entry(key).arch)
    return _COUNTS[key]


def entry(key: str) -> Entry:
    try:
        return ENTRIES[key]
    except KeyError:
        raise ValueError(f"unknown model {key!r}; choose one of {', '.join(ENTRIES)}") from None


def kv_shape(key: str) -> attention.Model:
    """The attention shape of ``key`` for KV-cache bytes."""
    e = entry(key)
    return serving.kv_model(e.label, e.arch, e.context.value, e.config_url)


# ------------------------------------------------------------------ serving one model


@dataclass(frozen=True)
class Serving:
    """What serving one model costs at a precision and context (one sequence)."""

    weights_bytes: float
    kv_bytes: float
    memory_bytes: float
    gpus: int
    step_bytes: float  # bytes read per generated token (batch 1)
    seconds_per_token: float
    flops_per_token: float


KV_BITS_FOR_RANKING = 16
"""The matrix keeps the KV cache in 16-bit (the serving engines' default)."""


def serve(key: str, scheme: str, context_tokens: int, gpu_memory_bytes: float, bandwidth_bytes_per_s: float) -> Serving:
    """Memory, GPUs and bandwidth-bound decode time of ``key`` holding one
    sequence of ``context_tokens`` tokens."""
    e = entry(key)
    c = count(key)
    weights = serving.weight_bytes(c.total_by, scheme)
    kv = serving.kv_cache_bytes(kv_shape(key), context_tokens, KV_BITS_FOR_RANKING)
    memory = weights + kv
    gpus = serving.gpus_needed(memory, gpu_memory_bytes)
    step = serving.weights_read_per_step(e.arch, c, scheme, 1) + kv
    return Serving(
        weights_bytes=weights,
        kv_bytes=kv,
        memory_bytes=memory,
        gpus=gpus,
        step_bytes=step,
        seconds_per_token=serving.decode_step_seconds(step, bandwidth_bytes_per_s, gpus),
        flops_per_token=2.0 * c.active,
    )


# ------------------------------------------------------------------ ranking

CRITERIA = ("quality", "cost", "memory", "context", "licence", "latency")
"""Criterion keys, in the order of the page's weight sliders."""

CRITERION_LABELS = {
    "quality": "quality (MMLU)",
    "cost": "cost to serve (FLOPs per token)",
    "memory": "memory",
    "context": "context window",
    "licence": "licence freedom",
    "latency": "latency (s per token)",
}


def normalise(values: list[float], higher_is_better: bool, log: bool = False) -> list[float]:
    """Scores from 0 (worst of ``values``) to 1 (best); all 1 if they tie.

    >>> normalise([60.0, 70.0, 80.0], higher_is_better=True)
    [0.0, 0.5, 1.0]
    """
    xs = [math.log(v) for v in values] if log else list(values)
    if not xs:
        return []
    lo, hi = min(xs), max(xs)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        return [1.0] * len(xs)
    if higher_is_better:
        return [(x - lo) / (hi - lo) for x in xs]
    return [(hi - x) / (hi - lo) for x in xs]


@dataclass(frozen=True)
class Constraints:
    context_tokens: int
    commercial: bool
    on_device: bool
    device_memory_bytes: float
    gpu_memory_bytes: float
    max_gpus: int
    bandwidth_bytes_per_s: float
    scheme: str


@dataclass(frozen=True)
class Ranked:
    key: str
    score: float
    scores: dict  # criterion -> 0..1
    raw: dict  # criterion -> the number it was scored from (None = unknown)
    serving: Serving


@dataclass(frozen=True)
class Ranking:
    ranked: list  # of Ranked, best first
    excluded: list  # of (key, reason)
    weights: dict


def exclusion(key: str, s: Serving, c: Constraints) -> str | None:
    """Why ``key`` fails the constraints, or None."""
    e = entry(key)
    lic = LICENCES[e.licence]
    if e.context.value < c.context_tokens:
        return f"context window {e.context.value:,} tokens is shorter than the {c.context_tokens:,} needed"
    if c.commercial and not lic.commercial:
        return f"{lic.name}: {lic.restrictions}"
    if c.on_device:
        if s.memory_bytes > c.device_memory_bytes:
            return f"needs {s.memory_bytes / 1e9:,.1f} GB, more than the device's {c.device_memory_bytes / 1e9:,.1f} GB"
    elif s.gpus > c.max_gpus:
        return f"needs {s.gpus} GPUs of {c.gpu_memory_bytes / 1e9:,.0f} GB; you have {c.max_gpus}"
    return None


def rank(weights: dict, c: Constraints, keys: tuple[str, ...] | None = None) -> Ranking:
    """Apply the constraints, score every criterion, rank by the weighted mean
    (see the module docstring)."""
    keys = tuple(ENTRIES) if keys is None else keys
    for name in CRITERIA:
        w = weights.get(name, 0.0)
        if not (w >= 0 and math.isfinite(w)):
            raise ValueError(f"weight of {name} must be a non-negative number, got {w!r}")
    servings = {}
    kept, excluded = [], []
    for key in keys:
        # On a device the model runs on the device's memory, one "GPU".
        gpu_memory = c.device_memory_bytes if c.on_device else c.gpu_memory_bytes
        s = serve(key, c.scheme, c.context_tokens, gpu_memory, c.bandwidth_bytes_per_s)
        servings[key] = s
        reason = exclusion(key, s, c)
        if reason:
            excluded.append((key, reason))
        else:
            kept.append(key)
    raw = {
        "quality": [entry(k).mmlu.value for k in kept],
        "cost": [servings[k].flops_per_token for k in kept],
        "memory": [servings[k].memory_bytes for k in kept],
        "context": [float(entry(k).context.value) for k in kept],
        "licence": [LICENCES[entry(k).licence].freedom for k in kept],
        "latency": [servings[k].seconds_per_token for k in kept],
    }
    known_quality = [v for v in raw["quality"] if v is not None]
    quality_known = normalise(known_quality, higher_is_better=True)
    it = iter(quality_known)
    scored = {
        "quality": [next(it) if v is not None else 0.0 for v in raw["quality"]],
        "cost": normalise(raw["cost"], higher_is_better=False, log=True),
        "memory": normalise(raw["memory"], higher_is_better=False, log=True),
        "context": normalise(raw["context"], higher_is_better=True, log=True),
        "licence": list(raw["licence"]),
        "latency": normalise(raw["latency"], higher_is_better=False, log=True),
    }
    total_weight = math.fsum(weights.get(name, 0.0) for name in CRITERIA)
    ranked = []
    for i, key in enumerate(kept):
        scores = {name: scored[name][i] for name in CRITERIA}
        if total_weight > 0:
            score = math.fsum(weights.get(name, 0.0) * scores[name] for name in CRITERIA) / total_weight
        else:
            score = 0.0
        ranked.append(Ranked(key, score, scores, {name: raw[name][i] for name in CRITERIA}, servings[key]))
    ranked.sort(key=lambda r: (-r.score, entry(r.key).label))
    return Ranking(ranked, excluded, {name: weights.get(name, 0.0) for name in CRITERIA})


def relative_count_error(key: str) -> float:
    """(our total count - the published total) / published total."""
    return moe.relative_error(count(key).total, entry(key).published_total.value)


SELF_CHECKS = {
    "counts": lambda: {key: [count(key).total, count(key).active] for key in ENTRIES},
    "kv_bytes_per_token": lambda: {key: attention.kv_bytes_per_token(kv_shape(key), 2) for key in ENTRIES},
    "ranking.default": lambda: [
        [r.key, r.score]
        for r in rank(
            {"quality": 5, "cost": 3, "memory": 3, "context": 2, "licence": 3, "latency": 2},
            Constraints(8192, True, False, 16e9, 80e9, 8, 3.35e12, "bf16"),
        ).ranked
    ],
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
