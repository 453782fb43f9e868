"""Validation of control values at the edge, with messages a person can act on.

A page sends every control's raw string (from the DOM or the URL query) and
its previous valid state; :func:`parse` returns the values the maths may use
and one message per control that needed fixing. Two policies:

* ``Range``, ``Integer`` and ``Choice`` *clamp*: a value out of range (or
  not a number, or not an option) is replaced by the nearest allowed value
  (or the default) and the message says so. Sliders, selects and URL
  parameters use these.
* ``Number`` with ``keep_last=True`` *refuses*: an empty, zero, negative or
  non-numeric entry in a free numeric box keeps the last valid value and the
  message says what is expected, so the read-outs never jump to nonsense.
* ``Text`` truncates to a documented maximum length (and says so).

>>> specs = {"log-n": Range(7.0, 13.0, 0.01, 10.0), "mfu": Number(0.01, 1.0, 0.4)}
>>> values, notes = parse(specs, {"log-n": "99", "mfu": "-1"}, {"mfu": 0.5})
>>> values
{'log-n': 13.0, 'mfu': 0.5}
>>> notes["log-n"]
'99 is above the maximum 13; using 13.'
>>> notes["mfu"]
'Enter a number from 0.01 to 1 (kept 0.5).'
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _num_text(value: float) -> str:
    """A bound as a person writes it: 13 not 13.0, 0.01 not 1e-02."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def _to_float(text: object) -> float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(str(text).strip().replace(",", "").replace("_", ""))
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _shown(text: object, limit: int = 24) -> str:
    """A raw value quoted back in a message, shortened (and never markup: the
    page writes messages with textContent)."""
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True)
class Range:
    """A slider: a float in [low, high] on a grid of ``step``; clamps."""

    low: float
    high: float
    step: float
    default: float

    def parse(self, text: object, previous: object = None) -> tuple[float, str | None]:
        value = _to_float(text)
        if value is None:
            return self.default, f"{_shown(text)!r} is not a number; using {_num_text(self.default)}."
        if value < self.low:
            return self.low, f"{_num_text(value)} is below the minimum {_num_text(self.low)}; using {_num_text(self.low)}."
        if value > self.high:
            return self.high, f"{_num_text(value)} is above the maximum {_num_text(self.high)}; using {_num_text(self.high)}."
        snapped = self.low + round((value - self.low) / self.step) * self.step
        # Round away binary noise from the grid arithmetic (7 + 301*0.01).
        decimals = max(0, -math.floor(math.log10(self.step)) + 2) if self.step < 1 else 0
        return min(self.high, round(snapped, decimals)), None


@dataclass(frozen=True)
class Integer:
    """A whole number in [low, high]; clamps (a select of sizes, a K slider)."""

    low: int
    high: int
    default: int

    def parse(self, text: object, previous: object = None) -> tuple[int, str | None]:
        value = _to_float(text)
        if value is None:
            return self.default, f"{_shown(text)!r} is not a whole number; using {self.default}."
        if value < self.low:
            return self.low, f"{_num_text(value)} is below the minimum {self.low}; using {self.low}."
        if value > self.high:
            return self.high, f"{_num_text(value)} is above the maximum {self.high}; using {self.high}."
        whole = int(round(value))
        if whole != value:
            return whole, f"{_num_text(value)} is not a whole number; using {whole}."
        return whole, None


@dataclass(frozen=True)
class Number:
    """A free numeric box. Out-of-range or non-numeric entries keep the last
    valid value (``keep_last``) or clamp to the range."""

    low: float
    high: float
    default: float
    keep_last: bool = True

    def parse(self, text: object, previous: object = None) -> tuple[float, str | None]:
        value = _to_float(text)
        if value is not None and self.low <= value <= self.high:
            return value, None
        if self.keep_last:
            kept = _to_float(previous)
            if kept is None or not self.low <= kept <= self.high:
                kept = self.default
            return kept, f"Enter a number from {_num_text(self.low)} to {_num_text(self.high)} (kept {_num_text(kept)})."
        if value is None:
            return self.default, f"{_shown(text)!r} is not a number; using {_num_text(self.default)}."
        clamped = min(self.high, max(self.low, value))
        return clamped, f"{_num_text(value)} is outside {_num_text(self.low)} to {_num_text(self.high)}; using {_num_text(clamped)}."


@dataclass(frozen=True)
class Choice:
    """A select: one of ``options``; anything else falls back to the default."""

    options: tuple[str, ...]
    default: str

    def parse(self, text: object, previous: object = None) -> tuple[str, str | None]:
        value = str(text) if text is not None else ""
        if value in self.options:
            return value, None
        return self.default, f"{_shown(value)!r} is not one of {', '.join(self.options)}; using {self.default}."


@dataclass(frozen=True)
class Text:
    """Free text, truncated to ``max_chars`` characters (code points)."""

    max_chars: int
    default: str = ""

    def parse(self, text: object, previous: object = None) -> tuple[str, str | None]:
        value = "" if text is None else str(text)
        if len(value) > self.max_chars:
            return value[: self.max_chars], (
                f"Text truncated to the first {self.max_chars:,} characters (it had {len(value):,})."
            )
        return value, None


Spec = Range | Integer | Number | Choice | Text


def defaults(specs: dict[str, Spec]) -> dict[str, object]:
    """The default value of every control."""
    return {name: spec.default for name, spec in specs.items()}


def parse(
    specs: dict[str, Spec],
    raw: dict[str, object],
    previous: dict[str, object] | None = None,
) -> tuple[dict[str, object], dict[str, str]]:
    """Validate ``raw`` control values against ``specs``.

    Missing controls take their previous valid value, else the default.
    Unknown keys in ``raw`` are ignored (a URL may carry anything).
    Returns ``(values, notices)``; ``notices`` maps a control id to a message.
    """
    previous = previous or {}
    values: dict[str, object] = {}
    notices: dict[str, str] = {}
    for name, spec in specs.items():
        if name not in raw:
            kept = previous.get(name, spec.default)
            value, note = spec.parse(kept, spec.default)
            values[name] = value if note is None else spec.default
            continue
        value, note = spec.parse(raw[name], previous.get(name))
        values[name] = value
        if note:
            notices[name] = note
    return values, notices
