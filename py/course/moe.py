"""Mixture of Experts: a toy router you can read, and the parameter counts of real MoE models.

Part 1, the router (a 16-dimensional toy with 8 experts, every step exact and reproducible)
------------------------------------------------------------------------------------------
* **Tokens** are the whitespace-separated words of the text (``str.split()``);
  real models route subword tokens from a BPE vocabulary instead.
* **Hashed embedding.** A token's UTF-8 bytes go through SHA-256 (``hashlib``;
  Python's ``hash()`` is salted per process and would change on every visit).
  The 32-byte digest is read as 16 big-endian unsigned 16-bit integers
  ``u_j = 256 * byte[2j] + byte[2j+1]`` (0 to 65,535), each mapped to
  ``x_j = (2 u_j - 65535) / 65535`` in [-1, 1]; the embedding is
  ``e = x / ||x||_2`` (unit length, so every token enters the router at the
  same scale). ``x`` is never zero: ``2 u - 65535`` is odd.
* **Router matrix** ``W`` (16 x 8) comes from ``random.Random(seed)``, the
  Mersenne Twister MT19937 seeded by ``init_by_array([seed])`` (identical in
  CPython and in Pyodide's CPython, and in numpy's ``RandomState([seed])``).
  Its ``random()`` draws ``u`` in [0, 1) fill ``W`` row by row (``W[0][0]``,
  ``W[0][1]``, ...) as ``W_ij = sqrt(3) (2u - 1)``: uniform on [-sqrt 3, sqrt 3],
  variance 1, so with a unit-length embedding every logit has variance 1.
  Only integer arithmetic, one multiplication and a correctly rounded square
  root are involved: no platform-dependent ``log``/``cos`` as in ``gauss()``.
* **Logits** ``z = e W``; **softmax** ``p_j = exp(z_j - max z) / sum_k exp(z_k - max z)``
  (subtracting the maximum cannot change ``p`` and keeps ``exp`` from overflowing);
  **top-K**: the K largest ``p_j``, ties broken towards the lower expert index;
  **gates** ``g_j = p_j / sum_{k in top-K} p_k``, the renormalised weights of
  the chosen experts, as in Mixtral (Jiang et al. 2024, arXiv 2401.04088, eq. 1-2,
  which writes Softmax(TopK(z)): the same numbers) and Shazeer et al. 2017
  (arXiv 1701.06538, section 2.1). Dot products and sums use ``math.fsum``,
  whose result is the same bits in every CPython version (see ``logits``).

Part 2, load balance and capacity (a sentence is a batch of T tokens)
--------------------------------------------------------------------
* ``f_i``: the share of the T K routing assignments that chose expert ``i``
  (so ``sum f_i = 1``); ``P_i``: the mean router probability of expert ``i``
  over the tokens. The **load-balancing loss** is ``N sum_i f_i P_i``
  (Fedus, Zoph and Shazeer 2021, "Switch Transformers", arXiv 2101.03961,
  eq. 4-6, written there for K = 1); it is 1 when routing is perfectly
  uniform and approaches N when every token picks the same expert.
  (Hugging Face's Mixtral ``load_balancing_loss_func`` sums the top-K
  slots separately, which gives K times this value.)
* **Capacity** per expert: ``ceil(capacity_factor * T * K / N)`` slots (the
  Switch Transformer's "expert capacity", section 2.2, rounded up so one
  token always fits). Assignments claim slots in priority order: every
  token's first choice in token order, then every second choice, and so on
  (GShard, Lepikhin et al. 2020, arXiv 2006.16668, Algorithm 1); an
  assignment that finds its expert full is **dropped** (the token skips that
  expert and is carried by the residual connection).

Part 3, total and active parameters of a decoder-only MoE transformer
-----------------------------------------------------------------------
Counted from the architecture numbers of each model's published ``config.json``
(see ``PRESETS``), layer by layer: attention (grouped-query, or DeepSeek's
multi-head latent attention), the FFN of the dense layers, the routed and
shared experts, the router, the RMSNorm weights and biases where the config
has them, the input embedding and the output head. Convention: the **active**
parameters of a token are the ones its forward pass multiplies by: attention,
the dense FFNs, its K routed experts, the shared experts, the router, the
norms and the output head; the **input-embedding lookup is not active** (it
reads one row; no multiplication). This is the convention of DeepSeek-V3's
own README_WEIGHTS.md (36.6 B active "including 0.9 B for the output head")
and of the gpt-oss model card (arXiv 2508.10925, Table 1: 5.13 B active).

>>> [round(v, 4) for v in embed("router")[:3]]
[-0.0385, -0.1441, -0.4249]
>>> r = route("router", seed=7, k=2)
>>> r.experts, [round(g, 3) for g in r.gates]
([2, 7], [0.628, 0.372])
>>> round(count_parameters(PRESETS["deepseek-v3"].arch).total / 1e9, 2)
671.03
"""

from __future__ import annotations

import hashlib
import math
import operator
import random
from dataclasses import dataclass, replace
from functools import lru_cache

EMBED_DIM = 16
"""Width of the toy hashed embedding: 32 bytes of SHA-256 = 16 x 16 bits."""

N_EXPERTS = 8
"""Experts of the toy router (Mixtral 8x7B also has 8 per layer)."""

U16_MAX = 65535
W_SCALE = math.sqrt(3.0)
"""Half-width of the uniform router weights: variance (sqrt 3)^2 / 3 = 1."""

MAX_TOKENS = 300
"""At most this many words are routed (the text box holds 2,000 characters)."""


# --------------------------------------------------------------------------- router


def tokenize(text: str, max_tokens: int = MAX_TOKENS) -> list[str]:
    """Whitespace-separated words, at most ``max_tokens`` of them.

    >>> tokenize("  Mixture of\\tExperts\\n")
    ['Mixture', 'of', 'Experts']
    """
    return text.split()[:max_tokens]


def token_digest(token: str) -> bytes:
    """SHA-256 of the token's UTF-8 bytes (32 bytes).

    >>> token_digest("router").hex()[:16]
    '74c95604043427f0'
    """
    # surrogatepass: a lone surrogate (possible in JavaScript strings) still
    # hashes to a fixed value instead of raising.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def embed(token: str) -> list[float]:
    """The unit-length 16-d hashed embedding of ``token`` (see the module docstring)."""
    return _embed_digest(token_digest(token))


def _embed_digest(digest: bytes) -> list[float]:
    x = [(2 * (digest[2 * j] * 256 + digest[2 * j + 1]) - U16_MAX) / U16_MAX for j in range(EMBED_DIM)]
    norm = math.sqrt(math.fsum(v * v for v in x))
    return [v / norm for v in x]


@lru_cache(maxsize=64)
def _router_matrix(seed: int) -> tuple[tuple[float, ...], ...]:
    rng = random.Random(seed)
    return tuple(tuple(W_SCALE * (2.0 * rng.random() - 1.0) for _ in range(N_EXPERTS)) for _ in range(EMBED_DIM))


def router_matrix(seed: int) -> list[list[float]]:
    """W (16 x 8) for ``seed``: ``sqrt(3) (2u - 1)`` of ``random.Random(seed).random()``, row-major.

    >>> w = router_matrix(7)
    >>> len(w), len(w[0]), round(w[0][0], 6)
    (16, 8, -0.610261)
    """
    _check_seed(seed)
    return [list(row) for row in _router_matrix(seed)]


SEED_MAX = 2**32 - 1
"""Seeds are 32-bit: one key word for ``init_by_array``."""


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise ValueError(f"seed must be a whole number from 0 to {SEED_MAX}, got {seed!r}")


@lru_cache(maxsize=64)
def _router_columns(seed: int) -> tuple[tuple[float, ...], ...]:
    w = _router_matrix(seed)
    return tuple(tuple(w[i][j] for i in range(EMBED_DIM)) for j in range(N_EXPERTS))


def logits(embedding: list[float], seed: int) -> list[float]:
    """z = e W: one score per expert.

    Sums use ``math.fsum`` (correctly rounded, so the same bits everywhere), never
    ``sum()``: CPython 3.12 made ``sum()`` of floats compensated, so it differs in the
    last bit between the tests' CPython 3.11 and the page's Pyodide (CPython 3.14).
    """
    _check_seed(seed)
    return [math.fsum(map(operator.mul, embedding, column)) for column in _router_columns(seed)]


def softmax(scores: list[float]) -> list[float]:
    """Numerically stable softmax: subtract the maximum before ``exp``.

    >>> [round(p, 4) for p in softmax([1000.0, 1000.0, 999.0])]
    [0.4223, 0.4223, 0.1554]
    """
    if not scores:
        raise ValueError("softmax of an empty list")
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = math.fsum(exps)
    return [e / total for e in exps]


def top_k(probs: list[float], k: int) -> list[int]:
    """Indices of the ``k`` largest probabilities, largest first; ties go to the lower index.

    >>> top_k([0.1, 0.4, 0.1, 0.4], 3)
    [1, 3, 0]
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(probs):
        raise ValueError(f"top-K needs a whole K from 1 to {len(probs)}, got {k!r}")
    return sorted(range(len(probs)), key=lambda i: (-probs[i], i))[:k]


def gates(probs: list[float], chosen: list[int]) -> list[float]:
    """The chosen experts' probabilities renormalised to sum to 1."""
    total = math.fsum(probs[i] for i in chosen)
    return [probs[i] / total for i in chosen]


@dataclass(frozen=True)
class Routing:
    """Every intermediate of routing one token."""

    token: str
    digest: bytes
    embedding: list[float]
    logits: list[float]
    probs: list[float]
    experts: list[int]
    gates: list[float]


@lru_cache(maxsize=4096)
def route(token: str, seed: int, k: int) -> Routing:
    """Route one token: hash -> embedding -> logits -> softmax -> top-K -> gates.

    Cached: a pure function of its arguments, and a learner typing a sentence
    re-routes the same words on every keystroke. (Treat the result as read-only.)
    """
    digest = token_digest(token)
    e = _embed_digest(digest)
    z = logits(e, seed)
    p = softmax(z)
    chosen = top_k(p, k)
    return Routing(token, digest, e, z, p, chosen, gates(p, chosen))


# --------------------------------------------------------------------------- balance


def expert_capacity(n_tokens: int, k: int, n_experts: int, capacity_factor: float) -> int:
    """Slots per expert: ceil(capacity_factor * T * K / N), at least 1.

    >>> expert_capacity(9, 2, 8, 1.25), expert_capacity(8, 2, 8, 1.0), expert_capacity(1, 1, 8, 1.0)
    (3, 2, 1)
    """
    if not (capacity_factor > 0 and math.isfinite(capacity_factor)):
        raise ValueError(f"capacity factor must be a positive number, got {capacity_factor!r}")
    # The tolerance keeps binary noise (2.0000000000000004) from adding a slot.
    return max(1, math.ceil(capacity_factor * n_tokens * k / n_experts - 1e-9))


@dataclass(frozen=True)
class Balance:
    """Load statistics of a batch of routed tokens."""

    fraction: list[float]  # f_i: share of the T*K assignments sent to expert i
    mean_prob: list[float]  # P_i: mean router probability of expert i
    loss: float  # N * sum f_i P_i


def load_balance(probs: list[list[float]], chosen: list[list[int]], n_experts: int = N_EXPERTS) -> Balance:
    """Switch Transformer load-balancing loss N * sum_i f_i P_i (arXiv 2101.03961, eq. 4-6).

    Two tokens, two experts, top-1: both choose expert 0, so f = (1, 0);
    P = ((0.7 + 0.6) / 2, (0.3 + 0.4) / 2) = (0.65, 0.35); loss = 2 * 0.65 = 1.3.

    >>> round(load_balance([[0.7, 0.3], [0.6, 0.4]], [[0], [0]], 2).loss, 12)
    1.3
    """
    if not probs or len(probs) != len(chosen):
        raise ValueError("need one list of chosen experts per token, and at least one token")
    assignments = sum(len(c) for c in chosen)
    counts = [0] * n_experts
    for row in chosen:
        for expert in row:
            counts[expert] += 1
    fraction = [c / assignments for c in counts]
    mean_prob = [math.fsum(row[i] for row in probs) / len(probs) for i in range(n_experts)]
    loss = n_experts * math.fsum(f * p for f, p in zip(fraction, mean_prob))
    return Balance(fraction, mean_prob, loss)


@dataclass(frozen=True)
class Dispatch:
    """Which assignments fit in the experts' capacity."""

    capacity: int
    demand: list[int]  # assignments per expert, before dropping
    kept: list[int]  # assignments per expert that found a slot
    dropped: list[tuple[int, int]]  # (token index, expert) of dropped assignments
    tokens_fully_dropped: int  # tokens that lost every one of their K experts


def dispatch(chosen: list[list[int]], capacity: int, n_experts: int = N_EXPERTS) -> Dispatch:
    """Fill each expert's ``capacity`` slots: first choices in token order, then second choices...

    >>> d = dispatch([[0, 1], [0, 2], [0, 1]], capacity=2, n_experts=3)
    >>> d.kept, d.dropped, d.tokens_fully_dropped
    ([2, 2, 1], [(2, 0)], 0)
    """
    demand = [0] * n_experts
    kept = [0] * n_experts
    dropped: list[tuple[int, int]] = []
    lost = [0] * len(chosen)
    depth = max((len(c) for c in chosen), default=0)
    for rank in range(depth):
        for t, row in enumerate(chosen):
            if rank >= len(row):
                continue
            expert = row[rank]
            demand[expert] += 1
            if kept[expert] < capacity:
                kept[expert] += 1
            else:
                dropped.append((t, expert))
                lost[t] += 1
    fully = sum(1 for t, row in enumerate(chosen) if row and lost[t] == len(row))
    return Dispatch(capacity, demand, kept, dropped, fully)


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class LatentAttention:
    """DeepSeek's multi-head latent attention (MLA; DeepSeek-V2, arXiv 2405.04434, section 2.1):
    queries and keys/values pass through low-rank latent projections."""

    q_lora_rank: int
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int


@dataclass(frozen=True)
class Architecture:
    """What a parameter count needs of a decoder-only (MoE) transformer.

    ``dense_layers`` are the first layers, which have an ordinary FFN of width
    ``dense_ffn`` instead of experts. A gated FFN (SwiGLU) has three matrices
    (gate, up, down), a plain one (GELU) two.
    """

    d_model: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    tied_embeddings: bool
    dense_ffn: int
    dense_layers: int
    routed_experts: int
    shared_experts: int
    top_k: int
    expert_ffn: int
    gated_ffn: bool = True
    latent_attention: LatentAttention | None = None
    qk_norm: bool = False  # RMSNorm of each query and key head (Qwen3)
    attention_bias: bool = False  # biases on q, k, v, o (gpt-oss)
    attention_sinks: bool = False  # one learned sink logit per head (gpt-oss)
    expert_bias: bool = False  # biases in the expert FFNs (gpt-oss)
    router_bias: bool = False  # a bias per expert in the router (gpt-oss; DeepSeek-V3's correction bias)


COMPONENTS = (
    "attention",
    "dense FFN",
    "routed experts",
    "shared experts",
    "router",
    "norms",
    "input embedding",
    "output head",
)
"""The rows of a parameter breakdown, in display order."""


@dataclass(frozen=True)
class ParameterCount:
    """Total and active parameters, per component (keys of ``COMPONENTS``)."""

    total_by: dict
    active_by: dict

    @property
    def total(self) -> int:
        return sum(self.total_by.values())

    @property
    def active(self) -> int:
        return sum(self.active_by.values())

    @property
    def active_fraction(self) -> float:
        return self.active / self.total


def attention_parameters(a: Architecture) -> int:
    """Weights (and biases, sinks, q/k norms) of one attention block."""
    d = a.d_model
    if a.latent_attention is not None:
        m = a.latent_attention
        qk_head = m.qk_nope_head_dim + m.qk_rope_head_dim
        return (
            d * m.q_lora_rank  # q_a_proj: compress the query
            + m.q_lora_rank  # q_a_layernorm
            + m.q_lora_rank * a.heads * qk_head  # q_b_proj
            + d * (m.kv_lora_rank + m.qk_rope_head_dim)  # kv_a_proj_with_mqa (+ shared RoPE key)
            + m.kv_lora_rank  # kv_a_layernorm
            + m.kv_lora_rank * a.heads * (m.qk_nope_head_dim + m.v_head_dim)  # kv_b_proj
            + a.heads * m.v_head_dim * d  # o_proj
        )
    q = a.heads * a.head_dim
    kv = a.kv_heads * a.head_dim
    count = d * q + 2 * d * kv + q * d
    if a.attention_bias:
        count += q + 2 * kv + d
    if a.attention_sinks:
        count += a.heads
    if a.qk_norm:
        count += 2 * a.head_dim
    return count


def ffn_parameters(d_model: int, width: int, gated: bool, bias: bool = False) -> int:
    """One FFN (one expert): 3 matrices if gated (SwiGLU), else 2; optional biases.

    >>> ffn_parameters(4096, 14336, gated=True)
    176160768
    """
    matrices = 3 if gated else 2
    count = matrices * d_model * width
    if bias:
        count += (matrices - 1) * width + d_model
    return count


def count_parameters(a: Architecture) -> ParameterCount:
    """Total and active parameters of ``a`` (convention in the module docstring)."""
    check_architecture(a)
    d = a.d_model
    moe_layers = a.layers - a.dense_layers
    expert = ffn_parameters(d, a.expert_ffn, a.gated_ffn, a.expert_bias)
    router = (d * a.routed_experts + (a.routed_experts if a.router_bias else 0)) if a.routed_experts else 0
    attention = a.layers * attention_parameters(a)
    dense = a.dense_layers * ffn_parameters(d, a.dense_ffn, a.gated_ffn)
    norms = 2 * d * a.layers + d  # two RMSNorms per layer and the final one
    embedding = a.vocab * d
    head = 0 if a.tied_embeddings else a.vocab * d
    total = {
        "attention": attention,
        "dense FFN": dense,
        "routed experts": moe_layers * a.routed_experts * expert,
        "shared experts": moe_layers * a.shared_experts * expert,
        "router": moe_layers * router,
        "norms": norms,
        "input embedding": embedding,
        "output head": head,
    }
    active = dict(total)
    active["routed experts"] = moe_layers * a.top_k * expert
    # The lookup reads one row and multiplies nothing: not active. The output
    # head multiplies (with tied embeddings it is the same matrix, used again).
    active["input embedding"] = 0
    active["output head"] = embedding
    return ParameterCount(total, active)


def check_architecture(a: Architecture) -> None:
    """ValueError naming the first impossible number."""
    for name in ("d_model", "layers", "heads", "kv_heads", "head_dim", "vocab", "routed_experts", "top_k", "expert_ffn"):
        value = getattr(a, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    for name in ("dense_ffn", "dense_layers", "shared_experts"):
        value = getattr(a, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of at least 0, got {value!r}")
    if a.kv_heads > a.heads:
        raise ValueError(f"kv_heads ({a.kv_heads}) cannot exceed heads ({a.heads})")
    if a.top_k > a.routed_experts:
        raise ValueError(f"top_k ({a.top_k}) cannot exceed routed_experts ({a.routed_experts})")
    if a.dense_layers > a.layers:
        raise ValueError(f"dense_layers ({a.dense_layers}) cannot exceed layers ({a.layers})")


def repair_architecture(a: Architecture) -> tuple[Architecture, list[str]]:
    """Clamp the numbers that contradict each other, saying what changed."""
    notes = []
    if a.kv_heads > a.heads:
        notes.append(f"KV heads ({a.kv_heads:,}) cannot exceed query heads; using {a.heads:,}.")
        a = replace(a, kv_heads=a.heads)
    if a.top_k > a.routed_experts:
        notes.append(f"Experts per token ({a.top_k:,}) cannot exceed routed experts; using {a.routed_experts:,}.")
        a = replace(a, top_k=a.routed_experts)
    if a.dense_layers > a.layers:
        notes.append(f"Dense layers ({a.dense_layers:,}) cannot exceed layers; using {a.layers:,}.")
        a = replace(a, dense_layers=a.layers)
    return a, notes


@dataclass(frozen=True)
class Preset:
    """A real model: its architecture from config.json and its published counts."""

    key: str
    label: str
    arch: Architecture
    published_total: float
    published_active: float
    config_url: str
    published_source: str
    note: str


PRESETS: dict[str, Preset] = {
    "mixtral-8x7b": Preset(
        key="mixtral-8x7b",
        label="Mixtral 8x7B",
        # config.json: hidden_size 4096, num_hidden_layers 32, num_attention_heads 32,
        # num_key_value_heads 8 (head 4096/32 = 128), vocab_size 32000, tie_word_embeddings
        # false, intermediate_size 14336, num_local_experts 8, num_experts_per_tok 2, SiLU (SwiGLU).
        arch=Architecture(
            d_model=4096, layers=32, heads=32, kv_heads=8, head_dim=128, vocab=32000,
            tied_embeddings=False, dense_ffn=0, dense_layers=0, routed_experts=8,
            shared_experts=0, top_k=2, expert_ffn=14336,
        ),
        published_total=46.7e9,
        published_active=12.9e9,
        config_url="https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json",
        published_source="Mistral AI, 'Mixtral of experts' (2023-12-11): 46.7B total, 12.9B per token; arXiv 2401.04088",
        note="Every layer is MoE: 8 SwiGLU experts, top-2.",
    ),
    "deepseek-v3": Preset(
        key="deepseek-v3",
        label="DeepSeek-V3",
        # config.json: hidden_size 7168, num_hidden_layers 61, num_attention_heads 128,
        # q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128, qk_rope_head_dim 64,
        # v_head_dim 128, vocab_size 129280, tie_word_embeddings false, intermediate_size
        # 18432 for the first_k_dense_replace 3 layers, n_routed_experts 256,
        # n_shared_experts 1, num_experts_per_tok 8, moe_intermediate_size 2048,
        # scoring_func sigmoid with a per-expert e_score_correction_bias.
        arch=Architecture(
            d_model=7168, layers=61, heads=128, kv_heads=128, head_dim=128, vocab=129280,
            tied_embeddings=False, dense_ffn=18432, dense_layers=3, routed_experts=256,
            shared_experts=1, top_k=8, expert_ffn=2048, router_bias=True,
            latent_attention=LatentAttention(
                q_lora_rank=1536, kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128
            ),
        ),
        published_total=671e9,
        published_active=37e9,
        config_url="https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json",
        published_source="DeepSeek-AI, DeepSeek-V3 Technical Report, arXiv 2412.19437: 671B total, 37B activated per token",
        note="Main model only: the 14B multi-token-prediction module on Hugging Face is excluded, as in the 671B.",
    ),
    "qwen3-235b-a22b": Preset(
        key="qwen3-235b-a22b",
        label="Qwen3-235B-A22B",
        # config.json: hidden_size 4096, num_hidden_layers 94, num_attention_heads 64,
        # num_key_value_heads 4, head_dim 128, vocab_size 151936, tie_word_embeddings false,
        # num_experts 128, num_experts_per_tok 8, moe_intermediate_size 1536, every layer
        # sparse (decoder_sparse_step 1, mlp_only_layers []), RMSNorm on q and k heads.
        arch=Architecture(
            d_model=4096, layers=94, heads=64, kv_heads=4, head_dim=128, vocab=151936,
            tied_embeddings=False, dense_ffn=0, dense_layers=0, routed_experts=128,
            shared_experts=0, top_k=8, expert_ffn=1536, qk_norm=True,
        ),
        published_total=235e9,
        published_active=22e9,
        config_url="https://huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json",
        published_source="Qwen team, Qwen3-235B-A22B model card: 235B total, 22B activated; Qwen3 Technical Report, arXiv 2505.09388",
        note="The card's 22B matches better if the input embedding is counted as active (22.19B).",
    ),
    "gpt-oss-120b": Preset(
        key="gpt-oss-120b",
        label="gpt-oss-120b",
        # config.json: hidden_size 2880, num_hidden_layers 36, num_attention_heads 64,
        # num_key_value_heads 8, head_dim 64, vocab_size 201088, tie_word_embeddings false,
        # num_local_experts 128, experts_per_token 4, intermediate_size 2880, attention_bias
        # true; the model card adds attention sinks and biases in experts and router.
        arch=Architecture(
            d_model=2880, layers=36, heads=64, kv_heads=8, head_dim=64, vocab=201088,
            tied_embeddings=False, dense_ffn=0, dense_layers=0, routed_experts=128,
            shared_experts=0, top_k=4, expert_ffn=2880, attention_bias=True,
            attention_sinks=True, expert_bias=True, router_bias=True,
        ),
        published_total=116.83e9,
        published_active=5.13e9,
        config_url="https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json",
        published_source="OpenAI, gpt-oss-120b & gpt-oss-20b Model Card, arXiv 2508.10925, Table 1: 116.83B total, 5.13B active",
        note="The card counts the unembedding as active and the embedding as not, as here.",
    ),
}
"""The four presets of the lab, each with its config.json and published counts."""


def expert_combinations(routed_experts: int, top_k: int) -> int:
    """How many different sets of K experts a token can be sent to: C(N, K).

    Fine-grained experts (DeepSeekMoE, Dai et al. 2024, arXiv 2401.06066,
    section 3.1) raise it enormously at equal compute:

    >>> expert_combinations(8, 2), expert_combinations(256, 8)
    (28, 409663695276000)
    """
    return math.comb(routed_experts, top_k)


def relative_error(ours: float, published: float) -> float:
    """(ours - published) / published."""
    return (ours - published) / published


SELF_CHECKS = {
    "embed.router": lambda: embed("router"),
    "embed.unicode": lambda: [embed(w) for w in ("naïve", "🙂", "שלום", "e\u0301", "<script>")],
    "route.seed7.k2": lambda: [[r.experts, r.probs, r.gates] for r in (route(w, 7, 2) for w in ("mixture", "of", "experts"))],
    "route.seed0.k8": lambda: route("東京", 0, 8).probs,
    "route.seedmax.k1": lambda: route("Ωmega", SEED_MAX, 1).experts,
    "router.seed12345": lambda: router_matrix(12345),
    "balance.sentence": lambda: load_balance(
        [route(w, 7, 2).probs for w in "the quick brown fox jumps over the lazy dog".split()],
        [route(w, 7, 2).experts for w in "the quick brown fox jumps over the lazy dog".split()],
    ).loss,
    "params.presets": lambda: {k: [count_parameters(p.arch).total, count_parameters(p.arch).active] for k, p in PRESETS.items()},
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
