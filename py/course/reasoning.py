"""Reasoning models: effort, traces, tokens, latency, cost, and the published
evidence that thinking longer at test time pays.

What it models
--------------
A *reasoning model* writes a chain of thought (its *reasoning tokens*) before
the answer. This module holds four problems, and for each of the effort levels
``none``, ``low``, ``medium`` and ``high`` a written trace and an answer; it
counts their tokens, grades the answer, and turns the tokens into seconds and
dollars for a model profile.

* The traces are **written for this lesson** in the style of published
  reasoning traces (re-reading, checking, "wait", backtracking: the behaviours
  DeepSeek-R1-Zero learned during RL, Guo et al. 2025, arXiv 2501.12948,
  section 2.2.4). They are illustrative, not recorded model output; every
  number derived from them is computed from the text shown.
* Problems: the three items of the Cognitive Reflection Test (Frederick 2005,
  "Cognitive Reflection and Decision Making", Journal of Economic Perspectives
  19(4): 25-42): bat and ball (intuitive 10 cents, correct 5 cents), widgets
  (intuitive 100 minutes, correct 5) and lily pads (intuitive 24 days,
  correct 47); and a multi-step price problem written for this lesson.
  Correct answers are *computed* by the solver of each problem, never typed in.
* Grading follows the rule-based accuracy reward of DeepSeek-R1 (arXiv
  2501.12948, section 2.2.2): the answer must state its result in a fixed
  format (here a last line ``Final answer: <number>``), which a rule reads and
  compares with the known solution.
* Token counting (:func:`tokens`) approximates a byte-pair-encoding tokenizer:
  the pre-tokenisation regular expression of OpenAI's ``o200k_base`` encoding
  (tiktoken, ``tiktoken_ext/openai_public.py``), rewritten for Python's ``re``
  module, splits text into words with their leading space, runs of up to three
  digits, punctuation runs and whitespace; each piece counts one token, and a
  letter run longer than :data:`LETTERS_PER_TOKEN` letters counts one more
  token per further :data:`LETTERS_PER_TOKEN` letters, since BPE splits rare
  long words. It is an approximation of a real tokenizer, stated on the page.
* Latency = time to first token + output tokens / output tokens per second.
  Cost = input tokens x input price + (reasoning + answer tokens) x output
  price; reasoning tokens are billed as output tokens (OpenAI reasoning guide;
  Anthropic extended-thinking docs).
* Prices per million tokens (input / output) are the vendors' published list
  prices: Claude Haiku 4.5 $1 / $5 and Claude Sonnet 4.6 $3 / $15 (Anthropic
  pricing page, platform.claude.com/docs/en/about-claude/pricing); OpenAI
  o4-mini $1.10 / $4.40 (OpenAI API pricing page, April 2025 launch price).
  Times to first token and output speeds are **assumptions** (vendors publish
  none; they vary with load and prompt), labelled so on the page, editable.
* Published evidence (:data:`EVIDENCE`): AIME 2024 pass@1 from arXiv
  2501.12948: R1-Zero rising from 15.6% to 71.0% during RL (section 2.2.4,
  Figure 2) and 86.7% with majority voting over 64 samples (Table 2);
  DeepSeek-R1 79.8%, OpenAI o1-1217 79.2%, DeepSeek-V3 39.2%, GPT-4o-0513
  9.3%, Claude-3.5-Sonnet-1022 16.0% (Table 4); the models distilled from R1
  (Table 5).

>>> tokens("The ball costs $0.05.")
8
>>> graded_answer("It is 5 cents.\\nFinal answer: $0.05")
0.05
>>> PROBLEMS["bat-and-ball"].correct, PROBLEMS["bat-and-ball"].intuitive
(0.05, 0.1)
>>> round(latency_s(500, 0.5, 100.0), 3)
5.5
>>> round(cost_usd(40, 500, 1.10, 4.40), 6)
0.002244
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

EFFORTS = ("none", "low", "medium", "high")
"""The reasoning-effort levels, in order (OpenAI's ``reasoning_effort`` uses
low / medium / high; ``none`` is answering at once, as a non-reasoning model)."""

TOKENS_PER_MILLION = 1_000_000

# ------------------------------------------------------------------ tokens

LETTERS_PER_TOKEN = 8
"""A letter run of up to this many letters counts as one token; each further
block of this many letters counts one more (an approximation of how BPE
splits rare long words; common English words are single tokens)."""

# o200k_base's pre-tokeniser (tiktoken), with \p{L} written as [^\W\d_]
# (a letter), upper case as [A-Z] (the traces are English) and \p{N} as \d.
_LETTER = r"[^\W\d_]"
_UPPER = r"[A-Z]"
_LOWER = r"(?:(?![A-Z])[^\W\d_])"
_CONTRACTION = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?"
_NOT_LETTER_DIGIT_NEWLINE = r"(?:[^\r\n\w]|_)"
_PRETOKEN = re.compile(
    "|".join(
        [
            # A word, possibly capitalised, with one leading non-letter (a space).
            rf"{_NOT_LETTER_DIGIT_NEWLINE}?{_UPPER}*{_LOWER}+{_CONTRACTION}",
            rf"{_NOT_LETTER_DIGIT_NEWLINE}?{_UPPER}+{_LOWER}*{_CONTRACTION}",
            r"\d{1,3}",  # numbers in runs of up to three digits
            r" ?(?:[^\s\w]|_)+[\r\n/]*",  # punctuation runs, with one leading space
            r"\s*[\r\n]+",  # newlines
            r"\s+(?!\S)",
            r"\s+",
        ]
    )
)
_LETTER_RUN = re.compile(rf"{_LETTER}+")


def _piece_tokens(piece: str) -> int:
    match = _LETTER_RUN.search(piece)
    letters = len(match.group(0)) if match else 0
    return 1 + max(0, letters - 1) // LETTERS_PER_TOKEN


def pieces(text: str) -> list[str]:
    """The pre-tokens of ``text`` (they concatenate back to ``text``).

    >>> pieces("Wait, 1234 isn't it?")
    ['Wait', ',', ' ', '123', '4', " isn't", ' it', '?']
    """
    return _PRETOKEN.findall(text)


def tokens(text: str) -> int:
    """Approximate BPE token count of ``text`` (see the module docstring).

    >>> tokens(""), tokens("Hello world"), tokens(" misunderstanding")
    (0, 2, 2)
    """
    return sum(_piece_tokens(piece) for piece in pieces(text))


@lru_cache(maxsize=64)  # the page streams the same few traces again and again
def token_ends(text: str) -> tuple[int, ...]:
    """Character offset after each token, for revealing ``text`` token by
    token as a model streams it (a long word's extra tokens split it evenly).

    >>> token_ends("Hi there")
    (2, 8)
    """
    ends = []
    position = 0
    for piece in pieces(text):
        count = _piece_tokens(piece)
        for k in range(1, count + 1):
            ends.append(position + (len(piece) * k) // count)
        position += len(piece)
    return tuple(ends)


# ------------------------------------------------------------------ answers

_FINAL = re.compile(r"Final answer:\s*\$?\s*(-?\d+(?:\.\d+)?)")


def graded_answer(answer_text: str) -> float | None:
    """The number an answer commits to: the one after ``Final answer:`` (the
    fixed format a rule-based reward checks, as in DeepSeek-R1); None if the
    answer does not follow the format.

    >>> graded_answer("Final answer: 47 days"), graded_answer("about 47")
    (47.0, None)
    """
    found = _FINAL.findall(answer_text)
    return float(found[-1]) if found else None


def is_correct(answer: float | None, truth: float) -> bool:
    """Rule-based accuracy reward: 1 if the graded answer equals the solution.

    >>> is_correct(0.05, 0.05), is_correct(0.1, 0.05), is_correct(None, 0.05)
    (True, False, False)
    """
    return answer is not None and math.isclose(answer, truth, rel_tol=0.0, abs_tol=1e-9)


# ------------------------------------------------------------------ problems


def bat_and_ball(total_usd: float = 1.10, difference_usd: float = 1.00) -> tuple[float, float]:
    """(correct, intuitive) price of the ball in dollars.

    ball + (ball + difference) = total, so ball = (total - difference) / 2;
    the intuitive answer subtracts once: total - difference (Frederick 2005).

    >>> bat_and_ball()
    (0.05, 0.1)
    """
    return round((total_usd - difference_usd) / 2, 2), round(total_usd - difference_usd, 2)


def widgets(machines: int = 5, minutes: float = 5, made: int = 5, new_machines: int = 100, new_made: int = 100) -> tuple[float, float]:
    """(correct, intuitive) minutes for ``new_machines`` to make ``new_made``.

    Each machine makes made / (machines x minutes) widgets a minute; the
    intuitive answer scales the time with the count (Frederick 2005).

    >>> widgets()
    (5.0, 100.0)
    """
    per_machine_per_minute = made / (machines * minutes)
    correct = new_made / (new_machines * per_machine_per_minute)
    return float(correct), float(minutes * new_made / made)


def lily_pads(days_to_cover: int = 48, fraction: float = 0.5) -> tuple[float, float]:
    """(correct, intuitive) day on which a patch that doubles daily covers
    ``fraction`` of the lake, if it covers all of it on ``days_to_cover``.

    Area on day d is 2**(d - days_to_cover) of the lake, so the day is
    days_to_cover + log2(fraction); the intuitive answer halves the days.

    >>> lily_pads()
    (47.0, 24.0)
    """
    return float(days_to_cover + math.log2(fraction)), float(days_to_cover * fraction)


def jacket(price_usd: float = 80.0, markup: float = 0.20, discount: float = 0.20, tax: float = 0.08) -> tuple[float, float]:
    """(correct, intuitive) amount paid, in dollars to the cent.

    Marked up, then discounted, then taxed: price x (1 + markup) x
    (1 - discount) x (1 + tax). The intuitive answer takes the markup and the
    discount to cancel: price x (1 + tax).

    >>> jacket()
    (82.94, 86.4)
    """
    return round(price_usd * (1 + markup) * (1 - discount) * (1 + tax), 2), round(price_usd * (1 + tax), 2)


@dataclass(frozen=True)
class Response:
    """What a model writes at one effort level: reasoning, then the answer."""

    trace: str
    answer: str


@dataclass(frozen=True)
class Problem:
    key: str
    title: str
    prompt: str
    unit: str  # how the answer is written: "$" before, or a word after
    source: str
    correct: float
    intuitive: float
    responses: tuple[Response, Response, Response, Response]  # none, low, medium, high


def format_answer(value: float, unit: str) -> str:
    """A graded number with its unit: ``$0.05``, ``47 days``.

    >>> format_answer(0.05, "$"), format_answer(47.0, "days"), format_answer(82.94, "$")
    ('$0.05', '47 days', '$82.94')
    """
    if unit == "$":
        return f"${value:,.2f}"
    text = f"{value:g}"
    return f"{text} {unit}" if unit else text


_BAT = bat_and_ball()
_WIDGETS = widgets()
_LILY = lily_pads()
_JACKET = jacket()

# The traces. Written so that a learner can follow them; each level re-does
# the work of the one below with more checking, as longer reasoning does.

_BAT_LOW = """The obvious answer is 10 cents, but let me check it. If the ball is $0.10, the bat is $1.00 more, so $1.10, and together that is $1.20, not $1.10. So 10 cents is wrong.
Let the ball cost x. The bat costs x + 1.00. Then x + (x + 1.00) = 1.10, so 2x = 0.10 and x = 0.05.
Check: ball $0.05, bat $1.05, total $1.10, difference $1.00. Correct."""

_BAT_MEDIUM = """Let me read this carefully. Two items, bat and ball, total $1.10. The bat costs $1.00 MORE than the ball, not $1.00.
My first instinct says the ball is 10 cents, because 1.10 - 1.00 = 0.10. But that subtracts the difference from the total as if the bat cost exactly $1.00. Let me test it: ball $0.10, bat $0.10 + $1.00 = $1.10, total $1.20. That's 10 cents too much. So the instinct is wrong.
Set it up properly. Let b be the ball's price.
bat = b + 1.00
b + (b + 1.00) = 1.10
2b + 1.00 = 1.10
2b = 0.10
b = 0.05
Wait, let me make sure I didn't flip anything. Ball $0.05, bat $0.05 + $1.00 = $1.05. Total: 0.05 + 1.05 = 1.10. Yes. Difference: 1.05 - 0.05 = 1.00. Yes.
Another way to see it: the total is two balls plus the $1.00 difference, so two balls cost $0.10 and one ball costs $0.05.
So the ball costs 5 cents."""

_BAT_HIGH = """Let me restate the problem. A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. I need the price of the ball.
This is a famous question and the tempting answer is 10 cents. I should not trust that; let me work it out and then check it.
Unknowns: ball = b, bat = t, both in dollars.
Equation 1: t + b = 1.10 (the total).
Equation 2: t - b = 1.00 (the bat is $1.00 more than the ball).
Adding the equations: 2t = 2.10, so t = 1.05.
Subtracting them: 2b = 0.10, so b = 0.05.
So the ball is $0.05 and the bat $1.05.
Let me check with the original wording, not my equations, in case I set them up wrong.
"cost $1.10 in total": 1.05 + 0.05 = 1.10. Yes.
"the bat costs $1.00 more than the ball": 1.05 - 0.05 = 1.00. Yes.
Now the tempting answer, to be sure it really fails. Ball $0.10 means the bat is $1.10 (a dollar more), and the total would be $1.20. That breaks the first condition by 10 cents. So 10 cents is wrong, and the reason is clear: it treats "$1.00 more" as "$1.00".
Hmm, could "$1.00 more than the ball" mean something else, like a ratio? No: "more than" with an amount of money is a difference. And is there any tax, or any third item? The problem mentions none, so the total is just bat plus ball.
Wait, let me also check the units. Everything is in dollars, and 0.05 dollars is 5 cents. Fine.
One more sanity check from a different angle: if both items cost the same, each would be $0.55. The bat has to be $1.00 more, so shift $0.50 from the ball to the bat: ball $0.55 - $0.50 = $0.05, bat $0.55 + $0.50 = $1.05. Same result.
Three methods agree: the ball costs 5 cents."""

_WIDGETS_LOW = """Instinct says 100 minutes, because the numbers go from 5 to 100. But check the rate. 5 machines make 5 widgets in 5 minutes, so each machine makes 1 widget in 5 minutes.
100 machines working together each make 1 widget in the same 5 minutes, which gives 100 widgets in 5 minutes.
So it's 5 minutes, not 100."""

_WIDGETS_MEDIUM = """Let me think about rates instead of matching numbers.
5 machines, 5 minutes, 5 widgets. The tempting pattern is "everything scales together", so 100, 100, 100. But time doesn't scale with the number of machines like that.
Rate of one machine: 5 widgets / 5 machines = 1 widget per machine in 5 minutes, i.e. 0.2 widgets per machine per minute.
Now 100 machines: 100 x 0.2 = 20 widgets per minute together.
100 widgets / 20 widgets per minute = 5 minutes.
Wait, let me double check with the simple picture. Each machine takes 5 minutes to make one widget. With 100 machines, each makes one widget at the same time, in parallel. After 5 minutes there are 100 widgets. Yes.
And 100 minutes would be way too long: in 100 minutes, 100 machines would make 100 x 0.2 x 100 = 2000 widgets.
So the answer is 5 minutes."""

_WIDGETS_HIGH = """Restating: if it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to make 100 widgets?
The pull is toward 100 minutes, since the question swaps every 5 for 100. That is exactly the kind of pattern-matching to distrust. Let me compute.
Assume each machine works at a constant rate and machines work independently (no shared bottleneck). The problem gives no reason to think otherwise.
Total work: 5 machines x 5 minutes = 25 machine-minutes for 5 widgets, so one widget needs 5 machine-minutes.
100 widgets need 100 x 5 = 500 machine-minutes.
With 100 machines: 500 / 100 = 5 minutes.
Let me check the same thing another way. One machine makes one widget in 5 minutes (from 5 machines making 5 widgets in 5 minutes, each machine made one). If I have 100 machines and want 100 widgets, each machine makes one widget, which takes 5 minutes, and they all run at once. 5 minutes.
Hmm, is it possible the question means the machines work one after another? "It takes 5 machines 5 minutes" describes them working together, otherwise the first case wouldn't make sense either. So parallel it is.
What about set-up time, or a machine needing to finish before another starts? Nothing in the text suggests it. I'll state the assumption rather than invent details.
Sanity check on the tempting answer: 100 minutes with 100 machines would be 10,000 machine-minutes, enough for 2,000 widgets. Far more than 100. So 100 minutes is wrong by a factor of 20.
Both methods give 5 minutes."""

_LILY_LOW = """Half the lake sounds like half the time, 24 days. But the patch doubles every day, so it isn't linear.
If it covers the whole lake on day 48, then on day 47 it was half that size, because it doubles from day 47 to day 48.
So half the lake is covered on day 47."""

_LILY_MEDIUM = """The patch doubles in size every day and covers the whole lake on day 48. When does it cover half?
First thought: 24 days, half of 48. But that assumes steady growth, the same area added each day. Doubling growth is exponential.
Work backwards from the end. Day 48: full lake. Each day before, the patch was half as big.
Day 47: 1/2 of the lake.
Day 46: 1/4.
Day 45: 1/8.
So half the lake is day 47.
Wait, let me make sure the direction is right. From day 47 to day 48 the patch doubles, 1/2 x 2 = 1. Yes, full on day 48.
And what does day 24 look like? That's 24 halvings before day 48, so 1/2^24 of the lake, about 1/16,777,216. Tiny. Definitely not half.
The answer is 47 days."""

_LILY_HIGH = """Let me restate. A patch of lily pads doubles in size every day. It takes 48 days to cover the whole lake. How long to cover half the lake?
The tempting answer is 24, half of 48. I'll check that against the doubling.
Model it: let the area on day d be A(d) as a fraction of the lake. Doubling means A(d + 1) = 2 A(d). Full lake on day 48: A(48) = 1.
Then A(d) = 2^(d - 48).
I want A(d) = 1/2: 2^(d - 48) = 2^(-1), so d - 48 = -1 and d = 47.
Check by stepping: A(47) = 2^(-1) = 1/2. Then A(48) = 2 x 1/2 = 1. Consistent.
Now the tempting answer: A(24) = 2^(-24), which is about 6 x 10^-8 of the lake. Nowhere near half.
Hmm, one subtlety: does "takes 48 days" mean it reaches full cover at the end of day 48, or partway through? If the patch grows continuously, doubling every 24 hours, then it is half the size exactly one day before it is full, whatever the starting time. So the answer is one day before full cover, day 47, either way.
Another subtlety: does the patch stop doubling once it runs out of room? That only matters after it fills the lake, so not for the half-way point.
Let me also sanity check with smaller numbers. If a patch doubles daily and covers a pond on day 3, then day 2 is half, day 1 a quarter. The half point is always one day before full, not half the days.
So the answer is 47 days."""

_JACKET_LOW = """The store marks up by 20% and then gives 20% off, so those cancel out and the price is back to $80? No wait, let me just do the steps.
$80 x 1.20 = $96. Then 20% off: $96 x 0.80 = $76.80.
Tax 8% on $80 is $6.40, so $76.80 + $6.40 = $83.20.
The customer pays $83.20."""

_JACKET_MEDIUM = """Step by step, and check whether the markup and discount really cancel.
Start: $80.
Markup 20%: 80 x 1.20 = $96.00.
Sale 20% off the marked price: 96 x 0.80 = $76.80.
So they don't cancel: a 20% increase then a 20% decrease gives 1.2 x 0.8 = 0.96 of the original, 4% less.
Tax 8%. Tax applies to what the customer actually pays before tax, the sale price, not the original $80.
Wait, I should be careful here. It's tempting to take 8% of $80 = $6.40. But the customer isn't buying at $80, they're buying at $76.80.
8% of $76.80 = $6.144.
Total: 76.80 + 6.144 = $82.944, which rounds to $82.94.
Check with one multiplication: 80 x 1.2 x 0.8 x 1.08 = 80 x 1.0368 = 82.944. Same.
So the customer pays $82.94."""

_JACKET_HIGH = """Let me restate. A jacket priced at $80 is marked up by 20%, then put on sale at 20% off. The customer pays 8% sales tax on the sale price. What does the customer pay?
First, the trap: "up 20%, down 20%" sounds like no change, which would give $80 x 1.08 = $86.40. Percent changes multiply, though; they don't add. Let me do each step.
Step 1, markup: 20% of $80 is $16, so the marked price is $96.00.
Step 2, sale: 20% of $96 is $19.20, so the sale price is $96.00 - $19.20 = $76.80.
Check: 1.2 x 0.8 = 0.96, and 0.96 x 80 = 76.80. Yes.
Step 3, tax: the problem says the tax is on the sale price, so 8% of $76.80.
0.08 x 76.80 = 6.144.
Hmm, it's easy to slip and use the original price here: 8% of $80 is $6.40, which would give $83.20. That's wrong; the sale price is the taxable amount.
Total before rounding: 76.80 + 6.144 = 82.944.
Rounding to the cent: $82.944 rounds to $82.94 (the third decimal is 4, so round down).
Let me verify with a single product: 80 x 1.20 x 0.80 x 1.08.
1.20 x 0.80 = 0.96.
0.96 x 1.08 = 1.0368.
80 x 1.0368 = 82.944. Same result.
Does the order of discount and tax matter? Multiplication commutes, so applying the tax before or after the discount gives the same total, as long as both apply. Here they do.
Wait, one more reading: "puts it on sale at 20% off" could in principle mean 20% off the original $80, not the marked-up price. But a sale applies to the current price on the tag, which is $96 after the markup. I'll go with that reading and note it.
Final check on size: the answer $82.94 is a bit above $80, which makes sense: the price ended 4% lower before tax, then 8% tax pushed it up about 3.7% above the original.
The customer pays $82.94."""

PROBLEMS: dict[str, Problem] = {
    problem.key: problem
    for problem in (
        Problem(
            key="bat-and-ball",
            title="Bat and ball",
            prompt="A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?",
            unit="$",
            source="Cognitive Reflection Test item 1 (Frederick 2005)",
            correct=_BAT[0],
            intuitive=_BAT[1],
            responses=(
                Response("", "The ball costs 10 cents.\nFinal answer: $0.10"),
                Response(_BAT_LOW, "The ball costs 5 cents (and the bat $1.05).\nFinal answer: $0.05"),
                Response(_BAT_MEDIUM, "The ball costs 5 cents: the bat is $1.05, a dollar more, and together they cost $1.10.\nFinal answer: $0.05"),
                Response(_BAT_HIGH, "The ball costs 5 cents. The bat costs $1.05, which is $1.00 more than the ball, and together they cost $1.10. (The tempting 10 cents would make the total $1.20.)\nFinal answer: $0.05"),
            ),
        ),
        Problem(
            key="widgets",
            title="Widgets",
            prompt="If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to make 100 widgets?",
            unit="minutes",
            source="Cognitive Reflection Test item 2 (Frederick 2005)",
            correct=_WIDGETS[0],
            intuitive=_WIDGETS[1],
            responses=(
                Response("", "It would take 100 minutes.\nFinal answer: 100 minutes"),
                Response(_WIDGETS_LOW, "5 minutes: each machine makes one widget in 5 minutes.\nFinal answer: 5 minutes"),
                Response(_WIDGETS_MEDIUM, "5 minutes. Each machine makes one widget every 5 minutes, so 100 machines make 100 widgets in 5 minutes.\nFinal answer: 5 minutes"),
                Response(_WIDGETS_HIGH, "5 minutes. One widget takes one machine 5 minutes; 100 machines working in parallel make 100 widgets in those same 5 minutes (assuming the machines work independently at a constant rate).\nFinal answer: 5 minutes"),
            ),
        ),
        Problem(
            key="lily-pads",
            title="Lily pads",
            prompt="In a lake, there is a patch of lily pads. Every day, the patch doubles in size. If it takes 48 days for the patch to cover the entire lake, how long would it take for the patch to cover half of the lake?",
            unit="days",
            source="Cognitive Reflection Test item 3 (Frederick 2005)",
            correct=_LILY[0],
            intuitive=_LILY[1],
            responses=(
                Response("", "It would take 24 days.\nFinal answer: 24 days"),
                Response(_LILY_LOW, "47 days: the patch doubles daily, so it is half the lake one day before it covers all of it.\nFinal answer: 47 days"),
                Response(_LILY_MEDIUM, "47 days. The patch doubles every day, so one day before it covers the whole lake (day 48) it covers half.\nFinal answer: 47 days"),
                Response(_LILY_HIGH, "47 days. Because the patch doubles every day, it covers half the lake exactly one day before it covers the whole lake. Halving the time (24 days) would leave it at about one sixteen-millionth of the lake.\nFinal answer: 47 days"),
            ),
        ),
        Problem(
            key="jacket",
            title="Jacket price (multi-step)",
            prompt="A store marks up an $80 jacket by 20%, then puts it on sale at 20% off. The customer pays 8% sales tax on the sale price. How much does the customer pay?",
            unit="$",
            source="written for this lesson: three percentage steps, two traps",
            correct=_JACKET[0],
            intuitive=_JACKET[1],
            responses=(
                Response("", "The 20% markup and 20% discount cancel, so with tax the customer pays $86.40.\nFinal answer: $86.40"),
                Response(_JACKET_LOW, "The customer pays $83.20: the marked-up price is $96, the sale price $76.80, and the 8% tax adds $6.40.\nFinal answer: $83.20"),
                Response(_JACKET_MEDIUM, "The customer pays $82.94: the marked-up price is $96, the sale price $76.80, and the 8% tax on the sale price adds $6.14.\nFinal answer: $82.94"),
                Response(_JACKET_HIGH, "The customer pays $82.94. Marked up to $96.00, on sale at $76.80, plus 8% tax on the sale price ($6.144), total $82.944, which rounds to $82.94.\nFinal answer: $82.94"),
            ),
        ),
    )
}
DEFAULT_PROBLEM = "bat-and-ball"


def response(problem: str, effort: int) -> Response:
    """The trace and answer for ``problem`` at effort level ``effort`` (0-3)."""
    if problem not in PROBLEMS:
        raise ValueError(f"unknown problem {problem!r}; choose one of {', '.join(PROBLEMS)}")
    if not (isinstance(effort, int) and 0 <= effort < len(EFFORTS)):
        raise ValueError(f"effort must be a whole number from 0 to {len(EFFORTS) - 1}, got {effort!r}")
    return PROBLEMS[problem].responses[effort]


@dataclass(frozen=True)
class Attempt:
    """One problem at one effort level, counted and graded."""

    problem: str
    effort: int
    input_tokens: int
    reasoning_tokens: int
    answer_tokens: int
    answer: float | None
    correct: bool

    @property
    def output_tokens(self) -> int:
        """Reasoning plus answer tokens: everything the model generates."""
        return self.reasoning_tokens + self.answer_tokens


@lru_cache(maxsize=None)  # the texts are constants: count each once per process
def attempt(problem: str, effort: int) -> Attempt:
    """Count and grade ``problem`` at ``effort``: tokens of the prompt, the
    trace and the answer as shown, and the rule-based grade of the answer."""
    shown = response(problem, effort)
    item = PROBLEMS[problem]
    answer = graded_answer(shown.answer)
    return Attempt(
        problem=problem,
        effort=effort,
        input_tokens=tokens(item.prompt),
        reasoning_tokens=tokens(shown.trace),
        answer_tokens=tokens(shown.answer),
        answer=answer,
        correct=is_correct(answer, item.correct),
    )


# ------------------------------------------------------------------ profiles


@dataclass(frozen=True)
class Profile:
    """A model's prices (published) and speed (assumed)."""

    key: str
    label: str
    role: str
    usd_per_m_input: float
    usd_per_m_output: float
    ttft_s: float
    output_tokens_per_s: float
    price_source: str


SPEED_ASSUMPTION = (
    "Time to first token and output speed are assumptions: round figures of the order independent "
    "measurements report, not published by the vendor; they vary with load and prompt length."
)

PROFILES: dict[str, Profile] = {
    profile.key: profile
    for profile in (
        Profile(
            key="haiku-4-5",
            label="Claude Haiku 4.5",
            role="small fast model",
            usd_per_m_input=1.00,
            usd_per_m_output=5.00,
            ttft_s=0.5,
            output_tokens_per_s=150.0,
            price_source="Anthropic pricing page: $1 / $5 per million input / output tokens",
        ),
        Profile(
            key="sonnet-4-6",
            label="Claude Sonnet 4.6",
            role="frontier model, used without extended thinking",
            usd_per_m_input=3.00,
            usd_per_m_output=15.00,
            ttft_s=1.0,
            output_tokens_per_s=60.0,
            price_source="Anthropic pricing page: $3 / $15 per million input / output tokens",
        ),
        Profile(
            key="o4-mini",
            label="OpenAI o4-mini",
            role="reasoning model (reasoning_effort low / medium / high)",
            usd_per_m_input=1.10,
            usd_per_m_output=4.40,
            ttft_s=1.0,
            output_tokens_per_s=120.0,
            price_source="OpenAI API pricing page (April 2025): $1.10 / $4.40 per million input / output tokens",
        ),
    )
}
DEFAULT_PROFILE = "o4-mini"


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_count(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of tokens (0 or more), got {value!r}")


def latency_s(output_tokens: int, ttft_s: float, output_tokens_per_s: float) -> float:
    """Seconds until the answer is complete: time to first token, then every
    output token (reasoning and answer) at the model's output speed.

    >>> latency_s(0, 0.5, 100.0), latency_s(300, 1.0, 60.0)
    (0.5, 6.0)
    """
    _check_count(output_tokens=output_tokens)
    _check_positive(ttft_s=ttft_s, output_tokens_per_s=output_tokens_per_s)
    return ttft_s + output_tokens / output_tokens_per_s


def cost_usd(input_tokens: int, output_tokens: int, usd_per_m_input: float, usd_per_m_output: float) -> float:
    """Dollars for one request: input tokens at the input price plus output
    tokens (reasoning + answer; reasoning is billed as output) at the output
    price, prices per million tokens.

    >>> cost_usd(1_000_000, 0, 3.0, 15.0), cost_usd(0, 1_000_000, 3.0, 15.0)
    (3.0, 15.0)
    """
    _check_count(input_tokens=input_tokens, output_tokens=output_tokens)
    _check_positive(usd_per_m_input=usd_per_m_input, usd_per_m_output=usd_per_m_output)
    return (input_tokens * usd_per_m_input + output_tokens * usd_per_m_output) / TOKENS_PER_MILLION


# ------------------------------------------------------------------ evidence


@dataclass(frozen=True)
class Evidence:
    """One published AIME 2024 pass@1 (or majority-vote) score."""

    label: str
    group: str
    percent: float
    source: str


R1_PAPER = "Guo et al. 2025, DeepSeek-R1, arXiv 2501.12948"
GROUPS = ("R1-Zero during RL", "reasoning model", "distilled from R1", "non-reasoning model")

EVIDENCE: tuple[Evidence, ...] = (
    Evidence("R1-Zero, start of RL", GROUPS[0], 15.6, f"{R1_PAPER}, section 2.2.4 and Figure 2 (pass@1)"),
    Evidence("R1-Zero, end of RL", GROUPS[0], 71.0, f"{R1_PAPER}, Table 2 (pass@1)"),
    Evidence("R1-Zero, majority of 64", GROUPS[0], 86.7, f"{R1_PAPER}, Table 2 (cons@64: majority vote of 64 samples)"),
    Evidence("DeepSeek-R1", GROUPS[1], 79.8, f"{R1_PAPER}, Table 4 (pass@1)"),
    Evidence("OpenAI o1-1217", GROUPS[1], 79.2, f"{R1_PAPER}, Table 4 (pass@1)"),
    Evidence("R1-Distill-Qwen-1.5B", GROUPS[2], 28.9, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("R1-Distill-Qwen-7B", GROUPS[2], 55.5, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("R1-Distill-Llama-8B", GROUPS[2], 50.4, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("R1-Distill-Qwen-14B", GROUPS[2], 69.7, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("R1-Distill-Qwen-32B", GROUPS[2], 72.6, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("R1-Distill-Llama-70B", GROUPS[2], 70.0, f"{R1_PAPER}, Table 5 (pass@1)"),
    Evidence("DeepSeek-V3", GROUPS[3], 39.2, f"{R1_PAPER}, Table 4 (pass@1)"),
    Evidence("Claude-3.5-Sonnet-1022", GROUPS[3], 16.0, f"{R1_PAPER}, Table 4 (pass@1)"),
    Evidence("GPT-4o-0513", GROUPS[3], 9.3, f"{R1_PAPER}, Table 4 (pass@1)"),
)


def evidence(label: str) -> Evidence:
    """The published score named ``label``."""
    for item in EVIDENCE:
        if item.label == label:
            return item
    raise ValueError(f"no published score named {label!r}")


SELF_CHECKS = {
    "tokens_of_every_response": lambda: {
        f"{key}/{EFFORTS[e]}": [a.input_tokens, a.reasoning_tokens, a.answer_tokens, a.correct]
        for key in PROBLEMS
        for e in range(len(EFFORTS))
        for a in [attempt(key, e)]
    },
    "bat_and_ball_high_on_o4_mini": lambda: [
        latency_s(attempt("bat-and-ball", 3).output_tokens, 1.0, 120.0),
        cost_usd(attempt("bat-and-ball", 3).input_tokens, attempt("bat-and-ball", 3).output_tokens, 1.10, 4.40),
    ],
    "solvers": lambda: [bat_and_ball(), widgets(), lily_pads(), jacket()],
}
