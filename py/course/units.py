"""Readable numbers with units, and the raw form the page contract stores.

Every read-out on a page is an element whose text is the human formatting
(these functions) and whose ``data-value`` attribute is :func:`raw` of the
same number, so tests and screen readers see one value two ways.

Conventions (stated once here, used on every page):

* counts use short-scale suffixes: K = 10^3, M = 10^6, B = 10^9, T = 10^12,
  Q = 10^15 (quadrillion);
* bytes are decimal (1 GB = 10^9 bytes), as GPU and model-card sizes are;
* FLOP counts are written in scientific notation, ``5.76 × 10²³ FLOP``.

>>> count(70e9)
'70.0 B'
>>> count(1.4e12, "tokens")
'1.40 T tokens'
>>> sci(5.76e23, "FLOP")
'5.76 × 10²³ FLOP'
>>> usd(1234567)
'$1.23 M'
>>> usd(0.00345)
'$0.00345'
>>> raw(5.76e23)
'5.76e+23'
"""

from __future__ import annotations

import math

_SUFFIXES = ((1e15, "Q"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_BYTE_UNITS = ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"))


def raw(value: float | int) -> str:
    """The ``data-value`` form: plain decimal or exponent notation, no units.

    ``repr`` of a float is the shortest string that parses back to the same
    double in Python and JavaScript alike.

    >>> raw(3), raw(0.1), raw(2.0), raw(1e-7)
    ('3', '0.1', '2', '1e-07')
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"a read-out must be a finite number, got {value!r}")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def sig(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures, without exponent when readable.

    >>> sig(3.14159), sig(1234.5), sig(0.000123456), sig(0)
    ('3.14', '1,234', '0.000123', '0')
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude >= digits - 1:
        return f"{round(value):,}"
    decimals = digits - 1 - magnitude
    return f"{value:,.{decimals}f}"


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def count(value: float, unit: str = "", digits: int = 3) -> str:
    """A large count with a short-scale suffix: ``70.0 B params``.

    >>> count(8.03e9, "params"), count(512), count(-2.5e6)
    ('8.03 B params', '512', '-2.50 M')
    """
    magnitude = abs(value)
    for scale, suffix in _SUFFIXES:
        if magnitude >= scale * 0.9995:
            scaled = value / scale
            if abs(scaled) >= 999.5 and scale == 1e15:
                return _with_unit(sci(value), unit)
            decimals = max(0, digits - 1 - int(math.floor(math.log10(max(abs(scaled), 1.0)))))
            return _with_unit(f"{scaled:.{decimals}f} {suffix}", unit)
    return _with_unit(sig(value, digits), unit)


def sci(value: float, unit: str = "", digits: int = 3) -> str:
    """Scientific notation with a superscript exponent: ``5.76 × 10²³``.

    >>> sci(1e21), sci(0.000512, "s")
    ('1.00 × 10²¹', '5.12 × 10⁻⁴ s')
    """
    if value == 0:
        return _with_unit("0", unit)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if round(abs(mantissa), digits - 1) >= 10:
        exponent += 1
        mantissa /= 10
    text = f"{mantissa:.{digits - 1}f} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    return _with_unit(text, unit)


def usd(value: float) -> str:
    """Dollars: ``$1.23 M`` for large sums, cents shown for small ones.

    >>> usd(4.6e6), usd(812.4), usd(12.345), usd(0.5), usd(2.5e12)
    ('$4.60 M', '$812', '$12.35', '$0.500', '$2.50 T')
    """
    if value < 0:
        return "-" + usd(-value)
    if value >= 1e6:
        return "$" + count(value)
    if value >= 100:
        return f"${value:,.0f}"
    if value >= 1:
        return f"${value:,.2f}"
    return "$" + sig(value, 3)


def nbytes(value: float) -> str:
    """Decimal bytes: ``16.1 GB``.

    >>> nbytes(16.06e9), nbytes(512), nbytes(2.5e15)
    ('16.1 GB', '512 B', '2.50 PB')
    """
    for scale, suffix in _BYTE_UNITS:
        if abs(value) >= scale * 0.9995:
            return f"{sig(value / scale, 3)} {suffix}"
    return f"{sig(value, 3)} B"


def seconds(value: float) -> str:
    """A duration: ``350 ms``, ``4.20 s``, ``3.5 min``, ``2.1 h``, ``12.0 days``.

    >>> seconds(0.35), seconds(4.2), seconds(210), seconds(7560), seconds(1.04e6)
    ('350 ms', '4.20 s', '3.50 min', '2.10 h', '12.0 days')
    """
    if value < 1:
        return f"{sig(value * 1000, 3)} ms"
    if value < 60:
        return f"{sig(value, 3)} s"
    if value < 3600:
        return f"{sig(value / 60, 3)} min"
    if value < 86400 * 2:
        return f"{sig(value / 3600, 3)} h"
    return f"{sig(value / 86400, 3)} days"


def percent(fraction: float, digits: int = 3) -> str:
    """A fraction as a percentage: ``0.0549 → '5.49%'``.

    >>> percent(0.0549), percent(1), percent(0.000012)
    ('5.49%', '100%', '0.00120%')
    """
    return f"{sig(fraction * 100, digits)}%"


def readout(value: float | int, text: str) -> dict:
    """One read-out in the view protocol: raw value and human text."""
    return {"value": raw(value), "text": text}
