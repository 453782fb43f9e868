"""The self-check quiz: questions for the stage's four abilities, generated
from a seed, with answers computed by the labs' own modules, and grading.

What it models
--------------
The stage promises four abilities (home page, "After this stage you can"):

1. ``tokens``: state the ≈20 tokens per parameter rule and why it matters;
2. ``moe``: explain total versus active parameters of a Mixture of Experts;
3. ``reasoning``: tell reasoning from non-reasoning models and when to use each;
4. ``budget``: pick a model size and architecture for a budget.

Each ability has three questions with *stable ids* (:data:`QUESTION_IDS`):
two numeric, one multiple choice. A seed (``random.Random(seed)``, the same
sequence in CPython and Pyodide) picks the numbers of the numeric questions,
the scenario of some multiple-choice ones and the order of every option list;
the answers are computed by :mod:`course.scaling`, :mod:`course.moe`,
:mod:`course.reasoning` and :mod:`course.serving`, never typed in.

Grading (:func:`grade`)
-----------------------
* Numeric answers are typed text: plain or exponent notation (``1.4e12``,
  ``1.4×10^12``), thousands separators, a leading ``$`` and a short-scale
  suffix (``70B``, ``1.4T``, ``12k``) are accepted. Each question states its
  tolerance: relative (±5%) or, for orders of magnitude, on a log scale
  (``|log10(given / answer)| <= 0.1``, a factor of 1.26).
* Multiple choice: the answer is an option's key; every option carries an
  explanation, shown after answering.
* Anything else (empty, ``<script>``, 10 MB of text, ``NaN``, ``1e999``,
  an unknown option) is graded *not correct* with ``valid = False`` and a
  message saying what is expected; it never raises, and it is not counted in
  the score.

The score in the browser
------------------------
:data:`STORAGE_KEY` names the ``localStorage`` entry; its JSON schema is::

    {"v": 1, "answers": {"<question id>": {"correct": true, "seed": 2026}}}

one entry per question id (the latest valid answer, whatever its seed), so a
learner's score is "answered / correct out of 12". :func:`parse_progress` reads
it tolerantly (anything malformed, unknown ids or the wrong version count as
no progress), :func:`record_answer` adds one answer, :func:`summary` counts.
The main-thread page modules (MicroPython) only move this text between
``localStorage`` and the worker; they repeat the key, and a unit test checks
the copies.

>>> q = questions(2026)
>>> len(q), [x.id for x in q][:3]
(12, ['tokens-budget', 'tokens-chinchilla', 'tokens-why'])
>>> g = grade(q[0], "nonsense")
>>> g.correct, g.valid
(False, False)
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field

from course import moe, reasoning, scaling, serving
from course.units import count, nbytes, sci, seconds, usd

STORAGE_KEY = "stage07-self-check-v1"
"""localStorage key of the score (schema in the module docstring)."""
STORAGE_VERSION = 1
MAX_PROGRESS_CHARS = 20_000
"""Longer stored text is not a score this page wrote: it counts as none."""
MAX_ANSWER_CHARS = 100
"""A typed answer longer than this is refused with a message."""
SHOWN_ANSWER_CHARS = 60
"""How much of a typed answer the feedback quotes back."""

SEED_MIN, SEED_MAX, DEFAULT_SEED = 1, 999_999, 2026

REL_TOL = 0.05
LOG10_TOL = 0.1

ABILITIES = {
    "tokens": ("The ≈20 tokens per parameter rule", "scaling-laws.html", "the scaling-laws lab"),
    "moe": ("Total versus active parameters", "mixture-of-experts.html", "the Mixture-of-Experts lab"),
    "reasoning": ("Reasoning or non-reasoning model", "reasoning-models.html", "the reasoning-models lab"),
    "budget": ("A size and architecture for a budget", "frontier-architectures.html", "the frontier-architectures lesson"),
}
"""Ability key -> (title, lesson page in lessons/, link text)."""

QUESTION_IDS = (
    "tokens-budget", "tokens-chinchilla", "tokens-why",
    "moe-active", "moe-memory", "moe-why",
    "reasoning-cost", "reasoning-latency", "reasoning-when",
    "budget-size", "budget-memory", "budget-arch",
)  # fmt: skip
"""The twelve question ids, in page order; stable across seeds."""


@dataclass(frozen=True)
class Option:
    """One multiple-choice option; every option explains itself."""

    key: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    """One question. Numeric ones have ``answer``, ``unit`` and a tolerance
    (``rel_tol`` or ``log10_tol``); multiple-choice ones have ``options``."""

    id: str
    ability: str
    kind: str  # "numeric" or "choice"
    text: str
    worked: tuple[str, ...] = ()
    answer: float | None = None
    answer_text: str = ""
    unit: str = ""
    rel_tol: float | None = None
    log10_tol: float | None = None
    options: tuple[Option, ...] = field(default_factory=tuple)
    inputs: dict = field(default_factory=dict, compare=False, hash=False)
    """The numbers the question states, by name (for tests and the page's data)."""

    @property
    def lab(self) -> str:
        return ABILITIES[self.ability][1]

    @property
    def tolerance_text(self) -> str:
        if self.rel_tol is not None:
            return f"within ±{self.rel_tol * 100:g}%"
        if self.log10_tol is not None:
            return f"within a factor of {10**self.log10_tol:.2f} (±{self.log10_tol:g} in log10)"
        return ""

    def to_json(self) -> dict:
        """What the page needs to draw the question (no answer: that comes with the grade)."""
        data = {
            "id": self.id,
            "ability": self.ability,
            "kind": self.kind,
            "text": self.text,
            "lab": self.lab,
            "lab_text": ABILITIES[self.ability][2],
        }
        if self.kind == "numeric":
            data["unit"] = self.unit
            data["tolerance"] = self.tolerance_text
        else:
            data["options"] = [{"key": o.key, "text": o.text} for o in self.options]
        return data


def _option_list(rng: random.Random, options: list[Option]) -> tuple[Option, ...]:
    shuffled = list(options)
    rng.shuffle(shuffled)
    return tuple(shuffled)


def _numeric(question_id: str, **fields) -> Question:
    """A numeric question of the ability its id starts with; ±5% unless it
    states a log-scale tolerance."""
    if "log10_tol" not in fields:
        fields["rel_tol"] = REL_TOL
    return Question(id=question_id, ability=question_id.split("-")[0], kind="numeric", **fields)


def _choice(question_id: str, text: str, rng: random.Random, options: list[Option]) -> Question:
    """A multiple-choice question, its options in the seed's order."""
    return Question(
        id=question_id, ability=question_id.split("-")[0], kind="choice", text=text,
        options=_option_list(rng, options),
    )  # fmt: skip


def _round_number(rng: random.Random, mantissas: tuple[int, ...], low: int, high: int) -> float:
    """m × 10^e as the float a person typing "me+e" gets (5e24, not 5 × 10.0**24)."""
    return float(f"{rng.choice(mantissas)}e{rng.randint(low, high)}")


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not SEED_MIN <= seed <= SEED_MAX:
        raise ValueError(f"seed must be a whole number from {SEED_MIN} to {SEED_MAX}, got {seed!r}")


# ------------------------------------------------------------------ ability 1: tokens


def _tokens_budget(rng: random.Random) -> Question:
    flops = _round_number(rng, (1, 2, 3, 5, 8), 21, 25)
    n, d = scaling.rule_of_thumb_allocation(flops)
    k = scaling.RULE_TOKENS_PER_PARAM
    return _numeric(
        "tokens-budget",
        text=(
            f"You have a training budget of {sci(flops, 'FLOPs')}. By the ≈{k:g} tokens per parameter rule "
            f"(with C = 6 N D), how many training tokens D should the compute-optimal model see?"
        ),
        unit="tokens",
        answer=d,
        answer_text=count(d, "tokens"),
        inputs={"flops": flops, "tokens_per_param": k},
        worked=(
            f"C = 6 N D and D = {k:g} N, so C = {6 * k:g} N², N = √(C / {6 * k:g}).",
            f"N = √({flops:.3g} / {6 * k:g}) = {n:.3e} parameters ({count(n)}).",
            f"D = {k:g} × N = {d:.3e} tokens ({count(d, 'tokens')}).",
        ),
    )


def _tokens_chinchilla(rng: random.Random) -> Question:
    flops = _round_number(rng, (1, 2, 3, 5), 21, 25)
    fit = scaling.get_fit(scaling.DEFAULT_FIT)
    n, d = scaling.compute_optimal(flops)
    return _numeric(
        "tokens-chinchilla",
        text=(
            f"Chinchilla's fitted loss L(N, D) = E + A/N^α + B/D^β has α = {fit.alpha}, β = {fit.beta}, "
            f"A = {fit.A}, B = {fit.B} ({fit.label}). Minimising it under C = 6 N D for C = {sci(flops, 'FLOPs')}, "
            f"what is the compute-optimal number of parameters N? Being close on a log scale is enough."
        ),
        unit="parameters",
        answer=n,
        answer_text=count(n, "parameters"),
        log10_tol=LOG10_TOL,
        inputs={"flops": flops, "alpha": fit.alpha, "beta": fit.beta, "A": fit.A, "B": fit.B},
        worked=(
            "N_opt = G (C/6)^a with a = β/(α+β) and G = (αA / (βB))^(1/(α+β)) (Hoffmann et al. 2022, eq. 4).",
            f"a = {fit.beta}/({fit.alpha}+{fit.beta}) = {fit.a:.4f}; G = {fit.G:.4f}.",
            f"N_opt = {fit.G:.4f} × ({flops:.3g}/6)^{fit.a:.4f} = {n:.3e} ({count(n)}),"
            f" trained on D = C/(6N) = {d:.3e} tokens, {d / n:.1f} tokens per parameter.",
        ),
    )


def _tokens_why(rng: random.Random) -> Question:
    options = [
        Option(
            "equal-scaling",
            "For a fixed compute budget, loss is lowest when parameters and training tokens grow together, "
            "about 20 tokens per parameter; many earlier models were too big for their data.",
            True,
            "Right: Hoffmann et al. (2022) found N and D should scale in equal proportion. Chinchilla (70B, "
            "1.4T tokens) beat Gopher (280B, 300B tokens) on the same compute.",
        ),
        Option(
            "bigger-always",
            "Parameters matter far more than data, so a budget should go almost entirely into a bigger model.",
            False,
            "That was the reading of Kaplan et al. (2020, N ∝ C^0.73). Chinchilla showed it leaves models "
            "undertrained: the same compute buys a lower loss with a smaller model on more tokens.",
        ),
        Option(
            "memorise",
            "A model can memorise at most 20 tokens per parameter, so more data than that is wasted.",
            False,
            "The rule is about the compute-optimal split, not a capacity limit: Llama 3 8B was trained on "
            "15T tokens (about 1,900 per parameter) and kept improving.",
        ),
        Option(
            "inference",
            "It sets how many tokens a model can generate per parameter at inference time.",
            False,
            "The rule concerns training tokens. Inference cost is about 2 N FLOPs per generated token, "
            "which is why small over-trained models are popular for serving.",
        ),
    ]
    return _choice("tokens-why", "Why does the ≈20 tokens per parameter rule (Chinchilla) matter?", rng, options)


# ------------------------------------------------------------------ ability 2: MoE


def _moe_arch(rng: random.Random) -> moe.Architecture:
    base = moe.PRESETS["mixtral-8x7b"].arch
    experts = rng.choice((8, 16, 32))
    top_k = rng.choice((1, 2, 4))
    width = rng.choice((4096, 8192, 14336))
    return moe.Architecture(
        d_model=base.d_model, layers=base.layers, heads=base.heads, kv_heads=base.kv_heads,
        head_dim=base.head_dim, vocab=base.vocab, tied_embeddings=base.tied_embeddings,
        dense_ffn=0, dense_layers=0, routed_experts=experts, shared_experts=0, top_k=top_k,
        expert_ffn=width,
    )  # fmt: skip


def _moe_model(rng: random.Random) -> tuple[moe.Architecture, moe.ParameterCount, int]:
    """The seed's Mixtral-like model, its parameter count and one expert's size."""
    a = _moe_arch(rng)
    return a, moe.count_parameters(a), moe.ffn_parameters(a.d_model, a.expert_ffn, gated=True)


def _moe_inputs(a: moe.Architecture, shared: int) -> dict:
    return {
        "layers": a.layers, "experts": a.routed_experts, "top_k": a.top_k,
        "d_model": a.d_model, "expert_ffn": a.expert_ffn, "shared": shared,
    }  # fmt: skip


def _moe_description(a: moe.Architecture, shared: int, what: str) -> str:
    return (
        f"A Mixtral-like model has {a.layers} layers, each with {a.routed_experts} experts and top-{a.top_k} "
        f"routing. Each expert is a SwiGLU FFN with 3 × {a.d_model} × {a.expert_ffn:,} weights. Everything "
        f"else {what} (attention, router, norms, embeddings and output head) is {shared:,} parameters."
    )


def _moe_active(rng: random.Random) -> Question:
    a, counted, expert = _moe_model(rng)
    shared_active = counted.active - counted.active_by["routed experts"]
    return _numeric(
        "moe-active",
        text=(
            _moe_description(a, shared_active, "that a token uses")
            + " How many parameters are active per token?"
        ),
        unit="parameters",
        answer=float(counted.active),
        answer_text=count(counted.active, "parameters"),
        inputs=_moe_inputs(a, shared=shared_active),
        worked=(
            f"One expert: 3 × {a.d_model} × {a.expert_ffn:,} = {expert:,}.",
            f"Each token uses top-{a.top_k} experts in each of {a.layers} layers: "
            f"{a.layers} × {a.top_k} × {expert:,} = {a.layers * a.top_k * expert:,}.",
            f"Plus the shared {shared_active:,}: {counted.active:,} active ({count(counted.active)}), "
            f"of {counted.total:,} total ({counted.active_fraction * 100:.0f}%).",
        ),
    )


def _moe_memory(rng: random.Random) -> Question:
    a, counted, expert = _moe_model(rng)
    shared_total = counted.total - counted.total_by["routed experts"]
    memory = serving.weight_bytes(counted.total_by, "bf16")
    return _numeric(
        "moe-memory",
        text=(
            _moe_description(a, shared_total, "in the model")
            + " How many GB (10⁹ bytes) of GPU memory do its weights need in BF16 (2 bytes per parameter)?"
        ),
        unit="GB",
        answer=memory / 1e9,
        answer_text=nbytes(memory),
        inputs={**_moe_inputs(a, shared=shared_total), "bytes_per_param": 2},
        worked=(
            "Memory holds every expert, used or not: it follows the total, not the active count.",
            f"Experts: {a.layers} × {a.routed_experts} × {expert:,} = {a.layers * a.routed_experts * expert:,}; "
            f"plus {shared_total:,} = {counted.total:,} parameters.",
            f"× 2 bytes = {memory:.4g} bytes = {memory / 1e9:.1f} GB.",
        ),
    )


def _moe_why(rng: random.Random) -> Question:
    options = [
        Option(
            "compute-active-memory-total",
            "Per-token compute follows the 37B active parameters; memory must hold all 671B.",
            True,
            "Right: the router sends each token through a few experts (2 N_active FLOPs per token), but any "
            "token may need any expert, so all of them stay loaded.",
        ),
        Option(
            "both-total",
            "Both compute and memory follow the 671B total: all experts run, the router only weights them.",
            False,
            "A dense mixture would run every expert; a sparse MoE runs only the top-K chosen ones, which is "
            "the whole point of the design.",
        ),
        Option(
            "both-active",
            "Both follow the 37B active parameters: unused experts are loaded from disk when needed.",
            False,
            "Routing changes from token to token and layer to layer; fetching experts from disk per token "
            "would be far too slow, so serving keeps every expert in (GPU) memory.",
        ),
        Option(
            "memory-active",
            "Memory follows the 37B active parameters and compute the 671B total.",
            False,
            "It is the other way round: only the chosen experts multiply, but all must be resident.",
        ),
    ]
    return _choice("moe-why", "DeepSeek-V3 has 671B total and 37B active parameters. What do the two numbers govern?", rng, options)


# ------------------------------------------------------------------ ability 3: reasoning


def _reasoning_numbers(rng: random.Random) -> tuple[reasoning.Profile, int, int, int]:
    profile = reasoning.PROFILES["o4-mini"]
    input_tokens = rng.choice((500, 1000, 2000, 4000))
    reasoning_tokens = rng.randrange(1000, 12001, 500)
    answer_tokens = rng.randrange(100, 601, 50)
    return profile, input_tokens, reasoning_tokens, answer_tokens


def _reasoning_cost(rng: random.Random) -> Question:
    p, inp, think, answer = _reasoning_numbers(rng)
    cost = reasoning.cost_usd(inp, think + answer, p.usd_per_m_input, p.usd_per_m_output)
    return _numeric(
        "reasoning-cost",
        text=(
            f"A reasoning model priced ${p.usd_per_m_input:.2f} per million input tokens and "
            f"${p.usd_per_m_output:.2f} per million output tokens ({p.label}) reads a {inp:,}-token prompt, "
            f"thinks for {think:,} reasoning tokens and writes a {answer:,}-token answer. What does the "
            f"request cost, in dollars?"
        ),
        unit="$",
        answer=cost,
        answer_text=usd(cost),
        inputs={
            "input_tokens": inp, "reasoning_tokens": think, "answer_tokens": answer,
            "usd_per_m_input": p.usd_per_m_input, "usd_per_m_output": p.usd_per_m_output,
        },  # fmt: skip
        worked=(
            "Reasoning tokens are billed as output tokens, although you never see them.",
            f"Input: {inp:,} × ${p.usd_per_m_input:.2f} / 10⁶ = ${inp * p.usd_per_m_input / 1e6:.6f}.",
            f"Output: ({think:,} + {answer:,}) × ${p.usd_per_m_output:.2f} / 10⁶ = "
            f"${(think + answer) * p.usd_per_m_output / 1e6:.6f}.",
            f"Total: ${cost:.6f} ({usd(cost)}).",
        ),
    )


def _reasoning_latency(rng: random.Random) -> Question:
    p, inp, think, answer = _reasoning_numbers(rng)
    speed = rng.choice((60.0, 100.0, 120.0, 150.0))
    ttft = rng.choice((0.5, 1.0, 2.0))
    total = reasoning.latency_s(think + answer, ttft, speed)
    return _numeric(
        "reasoning-latency",
        text=(
            f"A reasoning model starts streaming after {ttft:g} s and then writes {speed:g} tokens per "
            f"second. It thinks for {think:,} reasoning tokens, then writes a {answer:,}-token answer. How "
            f"many seconds until the answer is complete?"
        ),
        unit="s",
        answer=total,
        answer_text=seconds(total),
        inputs={"ttft_s": ttft, "tokens_per_s": speed, "reasoning_tokens": think, "answer_tokens": answer},
        worked=(
            "Latency = time to first token + every output token (reasoning and answer) / output speed.",
            f"{ttft:g} + ({think:,} + {answer:,}) / {speed:g} = {total:.2f} s.",
            "A non-reasoning model would write only the answer: "
            f"{reasoning.latency_s(answer, ttft, speed):.2f} s.",
        ),
    )


_SCENARIOS = (
    (
        "A multi-step maths or logic problem where a wrong answer is costly and a minute's wait is fine.",
        "reasoning",
        "Right: multi-step problems are where thinking longer at test time pays (o1, DeepSeek-R1 on AIME "
        "and the bat-and-ball problem); the extra tokens are worth a correct answer.",
        "A fast model answers from intuition and is often wrong on such problems (the bat-and-ball "
        "intuitive 10 cents); here accuracy is worth the wait and the cost.",
    ),
    (
        "Autocompleting code in an editor, where each suggestion must appear in under half a second.",
        "fast",
        "Right: a reasoning model spends seconds thinking before its first visible token; autocomplete "
        "needs a short answer at once.",
        "The thinking alone would take longer than the whole latency budget.",
    ),
    (
        "Sorting ten million support tickets into five topics, cheaply.",
        "fast",
        "Right: an easy, high-volume task: hidden reasoning tokens would multiply the bill without "
        "improving a simple classification.",
        "Reasoning tokens are billed as output: thousands per ticket times ten million tickets, for "
        "little gain on an easy task.",
    ),
    (
        "Planning a tricky database migration step by step, checking each step's constraints, once.",
        "reasoning",
        "Right: a one-off task with many interacting constraints, where checking and backtracking "
        "(what reasoning models learn to do) catches mistakes.",
        "A single fast pass tends to miss interactions between steps; one request is cheap even with "
        "thousands of reasoning tokens.",
    ),
)


def _reasoning_when(rng: random.Random) -> Question:
    scenario, best, right, wrong = rng.choice(_SCENARIOS)
    options = [
        Option(
            "reasoning",
            "A reasoning model, which writes a hidden chain of thought before answering.",
            best == "reasoning",
            right if best == "reasoning" else wrong,
        ),
        Option(
            "fast",
            "A fast non-reasoning model, which answers at once.",
            best == "fast",
            right if best == "fast" else wrong,
        ),
        Option(
            "same",
            "Either: they cost the same and answer the same; only the brand differs.",
            False,
            "They differ in the hidden reasoning tokens: more seconds and dollars per request, and better "
            "answers on multi-step problems.",
        ),
    ]
    return _choice("reasoning-when", f"Which kind of model fits this task? {scenario}", rng, options)


# ------------------------------------------------------------------ ability 4: budget


def _budget_size(rng: random.Random) -> Question:
    dollars = _round_number(rng, (1, 2, 5), 4, 7)
    price = scaling.DEFAULT_USD_PER_GPU_HOUR
    peak = scaling.H100_BF16_DENSE_PEAK_FLOPS
    mfu = scaling.DEFAULT_MFU
    hours = dollars / price
    flops = hours * 3600 * peak * mfu
    n, d = scaling.rule_of_thumb_allocation(flops)
    return _numeric(
        "budget-size",
        text=(
            f"You can spend {usd(dollars)} on training, renting H100s at ${price:.2f} per GPU-hour. Each "
            f"delivers {peak / 1e12:g} TFLOP/s at peak and you reach {mfu:.0%} utilisation. By the 20 tokens "
            f"per parameter rule, how many parameters should the model have?"
        ),
        unit="parameters",
        answer=n,
        answer_text=count(n, "parameters"),
        inputs={"usd": dollars, "usd_per_gpu_hour": price, "peak_flops_per_s": peak, "mfu": mfu},
        worked=(
            f"GPU-hours = {usd(dollars)} / ${price:.2f} = {hours:,.0f}.",
            f"C = {hours:,.0f} h × 3600 s × {peak:.4g} FLOP/s × {mfu:g} = {flops:.3e} FLOPs ({sci(flops, 'FLOP')}).",
            f"N = √(C / 120) = {n:.3e} ({count(n)}), trained on D = 20 N = {count(d, 'tokens')}.",
        ),
    )


_BUDGET_SCHEMES = ("bf16", "fp8", "int4")


def _budget_memory(rng: random.Random) -> Question:
    n = rng.choice((7, 8, 14, 32, 70, 120)) * 1e9
    scheme = rng.choice(_BUDGET_SCHEMES)
    bits = serving.bits_per_weight(scheme)
    memory = serving.weight_bytes({"weights": n}, scheme)
    label = serving.SCHEMES[scheme].label
    return _numeric(
        "budget-memory",
        text=(
            f"You plan to serve a {n / 1e9:g}B-parameter dense model stored as {label}, "
            f"{bits:.4g} bits per weight. How many GB (10⁹ bytes) do its weights take?"
        ),
        unit="GB",
        answer=memory / 1e9,
        answer_text=nbytes(memory),
        inputs={"params": n, "bits_per_weight": bits},
        worked=(
            f"Bytes = parameters × bits per weight / 8 = {n:.3g} × {bits:.4g} / 8 = {memory:.4g}.",
            f"= {memory / 1e9:.1f} GB, before the KV cache and activations; an 80 GB GPU "
            f"{'holds it' if memory < 80e9 else 'does not hold it'}.",
        ),
    )


def _budget_arch(rng: random.Random) -> Question:
    flops = 1e23
    n, d = scaling.rule_of_thumb_allocation(flops)
    scenarios = [
        (
            f"You have {sci(flops, 'FLOPs')} of training compute and want the lowest possible loss. "
            "Which model?",
            [
                Option("optimal", f"About {count(n)} parameters on {count(d, 'tokens')}.", True,
                       "Right: the 20 tokens per parameter split, N = √(C/120), minimises loss for the budget."),
                Option("big", f"About {count(10 * n)} parameters on {count(d / 10, 'tokens')}.", False,
                       "Ten times too big for its data (2 tokens per parameter): undertrained, like Gopher."),
                Option("small", f"About {count(n / 10)} parameters on {count(10 * d, 'tokens')}.", False,
                       "Over-trained (2,000 tokens per parameter): cheaper to serve, but not the lowest loss "
                       "this compute can buy."),
            ],
        ),
        (
            "Training compute is plentiful, but the model will serve billions of tokens a day and each "
            "token's serving cost must stay low. Which model?",
            [
                Option("overtrain", "A smaller dense model trained on far more than 20 tokens per parameter.",
                       True,
                       "Right: serving costs about 2 N FLOPs per token, so a small model trained long (Llama 3 8B: "
                       "15T tokens) wins when inference dominates the lifetime cost."),
                Option("optimal", "Exactly the compute-optimal size for the training budget.", False,
                       "Compute-optimal minimises training loss per training FLOP; it ignores the serving bill, "
                       "which here dominates."),
                Option("biggest", "The biggest dense model the budget can train.", False,
                       "Every served token would cost 2 N FLOPs of the biggest N: the worst choice for this use."),
            ],
        ),
        (
            "You want the quality of a very large model, but the per-token serving compute of a ~30B model, "
            "and you have plenty of GPU memory. Which architecture?",
            [
                Option("moe", "A Mixture-of-Experts model with many total but ~30B active parameters.", True,
                       "Right: per-token compute follows the active parameters, while the many experts add "
                       "capacity (DeepSeek-V3: 671B total, 37B active); memory, which you have, holds them all."),
                Option("dense-small", "A dense 30B model.", False,
                       "Same per-token compute, but with far less total capacity than a large MoE."),
                Option("dense-big", "A dense 600B model.", False,
                       "Every token would run through all 600B parameters: twenty times the compute you allow."),
            ],
        ),
    ]
    text, options = rng.choice(scenarios)
    return _choice("budget-arch", text, rng, options)


_MAKERS = (
    _tokens_budget, _tokens_chinchilla, _tokens_why,
    _moe_active, _moe_memory, _moe_why,
    _reasoning_cost, _reasoning_latency, _reasoning_when,
    _budget_size, _budget_memory, _budget_arch,
)  # fmt: skip


def questions(seed: int) -> list[Question]:
    """The twelve questions of ``seed`` (the same seed gives the same questions).

    Each question draws from its own generator, seeded by the quiz seed and the
    question id, so the questions vary independently and adding one never
    changes the others.
    """
    _check_seed(seed)
    result = []
    for make, qid in zip(_MAKERS, QUESTION_IDS):
        result.append(make(random.Random(f"{seed}:{qid}")))
    return result


def question(seed: int, question_id: str) -> Question:
    """One question of ``seed``; ValueError for an unknown id."""
    if question_id not in QUESTION_IDS:
        raise ValueError(f"unknown question {question_id!r}")
    return questions(seed)[QUESTION_IDS.index(question_id)]


# ------------------------------------------------------------------ grading


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer."""

    question: str
    correct: bool
    valid: bool  # False: not an answer at all (not counted in the score)
    given: str  # the answer as typed, shortened; always shown as text
    message: str
    worked: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "correct": self.correct,
            "valid": self.valid,
            "given": self.given,
            "message": self.message,
            "worked": list(self.worked),
            "options": [
                {"key": o.key, "text": o.text, "correct": o.correct, "explanation": o.explanation}
                for o in self.options
            ],
        }


_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12}
_NUMBER = re.compile(
    r"^\$?(?P<mantissa>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"(?:\s*[x×*]\s*10\s*(?:\^|\*\*)\s*(?P<power>[+-]?\d{1,4}))?"
    r"\s*(?P<suffix>k|K|M|B|bn|T)?$"
)


def shown(text: str, limit: int = SHOWN_ANSWER_CHARS) -> str:
    """A typed answer quoted back, shortened (the page writes it as text)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_number(text: str) -> tuple[float | None, str]:
    """(value, "") for a readable positive number, else (None, a message).

    >>> parse_number("1.4e12"), parse_number("70B"), parse_number("$1,200")
    ((1400000000000.0, ''), (70000000000.0, ''), (1200.0, ''))
    >>> parse_number("2 × 10^23")[0]
    2e+23
    >>> parse_number("1e999")[1]
    '1e999 is not a finite number.'
    """
    text = str(text)
    if len(text) > MAX_ANSWER_CHARS:
        return None, (
            f"That answer is {len(text):,} characters long; an answer is a number of at most "
            f"{MAX_ANSWER_CHARS} characters, such as 1.4e12."
        )
    cleaned = text.strip().replace(",", "").replace("_", "").replace("\u2009", "")
    if not cleaned:
        return None, "Enter a number, such as 1.4e12 or 70B."
    match = _NUMBER.match(cleaned)
    if not match:
        return None, f"{shown(text)!r} is not a number; write it like 1.4e12, 1.4×10^12 or 70B."
    try:
        value = float(match["mantissa"])
        if match["power"]:
            value *= float("1e" + match["power"])
        if match["suffix"]:
            value *= _SUFFIX[match["suffix"]]
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        return None, f"{shown(text)} is not a finite number."
    if value <= 0:
        return None, f"Enter a positive number (you entered {shown(text)})."
    return value, ""


def _within(q: Question, value: float) -> bool:
    assert q.answer is not None
    if q.rel_tol is not None:
        return abs(value - q.answer) <= q.rel_tol * abs(q.answer) * (1 + 1e-12)
    return abs(math.log10(value / q.answer)) <= q.log10_tol + 1e-12


def grade(q: Question, answer: object) -> Grade:
    """Grade ``answer`` (typed text, or an option key) for ``q``; never raises."""
    text = "" if answer is None else str(answer)
    given = shown(text)
    if q.kind == "choice":
        chosen = next((o for o in q.options if o.key == text), None)
        if chosen is None:
            return Grade(q.id, False, False, given, "Choose one of the options, then check.")
        best = next(o for o in q.options if o.correct)
        message = "Correct." if chosen.correct else f"Not quite: the best answer is “{best.text}”"
        return Grade(q.id, chosen.correct, True, chosen.text, message, options=q.options)
    value, problem = parse_number(text)
    if value is None:
        return Grade(q.id, False, False, given, problem)
    correct = _within(q, value)
    verdict = "Correct" if correct else "Not quite"
    message = f"{verdict}: the answer is {q.answer_text} ({q.answer:.4g}); answers {q.tolerance_text} count."
    return Grade(q.id, correct, True, given, message, worked=q.worked)


# ------------------------------------------------------------------ the score in the browser


def parse_progress(text: object) -> dict[str, dict]:
    """The stored answers ({id: {"correct": bool, "seed": int}}); anything
    malformed reads as no progress (entries that do not fit are dropped).

    >>> parse_progress('{"v": 1, "answers": {"moe-why": {"correct": true, "seed": 3}}}')
    {'moe-why': {'correct': True, 'seed': 3}}
    >>> parse_progress("{not json"), parse_progress(None), parse_progress('[1]')
    ({}, {}, {})
    """
    if not isinstance(text, str) or not text or len(text) > MAX_PROGRESS_CHARS:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("v") != STORAGE_VERSION or not isinstance(data.get("answers"), dict):
        return {}
    answers = {}
    for qid, entry in data["answers"].items():
        if qid not in QUESTION_IDS or not isinstance(entry, dict):
            continue
        correct, seed = entry.get("correct"), entry.get("seed")
        if not isinstance(correct, bool) or isinstance(seed, bool) or not isinstance(seed, int):
            continue
        answers[qid] = {"correct": correct, "seed": seed}
    return answers


def progress_text(answers: dict[str, dict]) -> str:
    """The stored form of ``answers`` (JSON, the schema above)."""
    ordered = {qid: answers[qid] for qid in QUESTION_IDS if qid in answers}
    return json.dumps({"v": STORAGE_VERSION, "answers": ordered}, separators=(",", ":"))


def record_answer(text: object, g: Grade, seed: int) -> str:
    """The stored text after grade ``g``; an invalid answer changes nothing."""
    answers = parse_progress(text)
    if g.valid and g.question in QUESTION_IDS:
        answers[g.question] = {"correct": g.correct, "seed": seed}
    return progress_text(answers)


def summary(answers: dict[str, dict]) -> dict:
    """Counts for the score: answered, correct, total, and per ability.

    >>> summary({"moe-why": {"correct": True, "seed": 1}})["by_ability"]["moe"]
    {'answered': 1, 'correct': 1, 'total': 3}
    """
    by_ability = {}
    for ability in ABILITIES:
        ids = [qid for qid in QUESTION_IDS if qid.startswith(ability + "-")]
        done = [answers[qid] for qid in ids if qid in answers]
        by_ability[ability] = {
            "answered": len(done),
            "correct": sum(1 for entry in done if entry["correct"]),
            "total": len(ids),
        }
    return {
        "answered": sum(v["answered"] for v in by_ability.values()),
        "correct": sum(v["correct"] for v in by_ability.values()),
        "total": len(QUESTION_IDS),
        "by_ability": by_ability,
    }


def summary_text(answers: dict[str, dict]) -> str:
    """``Self-check: 7 of 12 answered, 5 correct`` (empty without progress)."""
    s = summary(answers)
    if not s["answered"]:
        return ""
    return f"Self-check: {s['answered']} of {s['total']} answered, {s['correct']} correct"


def ability_text(answers: dict[str, dict]) -> str:
    """Correct answers of each ability's three (empty without progress).

    >>> ability_text({"moe-why": {"correct": True, "seed": 1}})
    'Correct by ability: 20 tokens/param 0/3 · MoE 1/3 · reasoning 0/3 · budget 0/3'
    """
    s = summary(answers)
    if not s["answered"]:
        return ""
    short = {"tokens": "20 tokens/param", "moe": "MoE", "reasoning": "reasoning", "budget": "budget"}
    parts = [f"{short[key]} {v['correct']}/{v['total']}" for key, v in s["by_ability"].items()]
    return "Correct by ability: " + " · ".join(parts)


_CHECK_SEEDS = (SEED_MIN, DEFAULT_SEED, SEED_MAX)
SELF_CHECKS = {
    # Pyodide must draw the same questions from a seed as CPython: the numbers...
    "quiz_numeric_answers": lambda: [
        q.answer for seed in _CHECK_SEEDS for q in questions(seed) if q.kind == "numeric"
    ],
    # ... and the seeded order of the options.
    "quiz_option_orders": lambda: [
        [o.key for o in q.options] for seed in _CHECK_SEEDS for q in questions(seed) if q.kind == "choice"
    ],
}
