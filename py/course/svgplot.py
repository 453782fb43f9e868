"""Static SVG previews of the labs' figures, drawn at build time.

Why: BokehJS is the page's live plotting library, but evaluating it costs a
~120 ms main-thread task and drawing each figure another ~100 ms, which made
Lighthouse's total blocking time 250-550 ms on the lab pages (README,
"Performance"). So every figure is first shown as a picture drawn by this
module from the *same* declarative spec (``FIGURES`` of the view modules) and
the *same* build-time data (``course.views.build``) that BokehJS later
receives; ``py/pages/lab.py`` loads BokehJS and swaps the picture for the live
figure as soon as the learner reaches for the lab (pointer, focus, keys,
input) or the view differs from the pictured one (a shared link, stored
results). ``tools/build.py`` writes the pictures and ``tools/pages.py`` puts
a ``<picture>`` of them in each plot box.

The subset of BokehJS drawn here is exactly what the specs use (a unit test
fails on anything else): ``line``, ``multi_line``, ``scatter`` (circle,
square, diamond, triangle, star), ``text``, ``vbar``, ``hbar``, ``quad``,
``rect`` and ``image_url`` glyphs; linear, log and categorical axes;
``Range1d``, ``DataRange1d`` (Bokeh's default padding of 10 % of the span,
in log space on log axes) and list ranges; legends from ``legend_label`` and
``legend_field``. Ticks follow BokehJS's ``AdaptiveTicker`` (mantissas 1, 2
and 5, about six ticks) and ``LogTicker`` (powers of ten). The picture is a
preview: fonts and label placement may differ from BokehJS by a few pixels,
never the data.

Pure and DOM-free: strings in, a string out, every text escaped.
"""

from __future__ import annotations

import math
import re
from html import escape

from course.heatmap import VIRIDIS_256

# BokehJS palettes a spec may name ({"$palette": name}); Bokeh's own values
# (course.heatmap's test checks them against the bokeh package).
PALETTES = {"Viridis256": list(VIRIDIS_256)}

# The site's colours (assets/css/site.css, :root and its dark block): a
# spec's {"$theme": key} resolves to these. tests/course/test_svgplot.py keeps
# them equal to the stylesheet.
THEMES = {
    "light": {"fg": "#1d1f24", "muted": "#50555f", "border": "#d9d5cb", "panel": "#ffffff", "accent": "#1f5fbf"},
    "dark": {"fg": "#e8e6e1", "muted": "#a9adb6", "border": "#343945", "panel": "#1c1f26", "accent": "#7fb0ff"},
}

SUPPORTED_KINDS = ("line", "multi_line", "scatter", "text", "vbar", "hbar", "quad", "rect", "image_url")
SUPPORTED_MARKERS = ("circle", "square", "diamond", "triangle", "star")

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TICK_FONT_PX = 11
LABEL_FONT_PX = 13
DESIRED_TICKS = 6  # BokehJS AdaptiveTicker's default
MANTISSAS = (1, 2, 5)
DEFAULT_PADDING = 0.1  # BokehJS DataRange1d.range_padding

DASHES = {"dashed": "6 4", "dotted": "2 4", "dotdash": "2 4 6 4", "dashdot": "6 4 2 4", "solid": None}
GLYPH_DEFAULT = "#1f77b4"  # BokehJS's default glyph colour


# ------------------------------------------------------------------ values


def _colour(value, theme):
    if value is None:
        return "none"
    if isinstance(value, dict) and "$theme" in value:
        if value["$theme"] not in theme:
            raise ValueError(f"unknown theme colour {value['$theme']!r}")
        return theme[value["$theme"]]
    return str(value)


# Theme colours are drawn as CSS variables, declared for both colour schemes
# in the picture's own <style>: an SVG shown by <img> follows the page's
# prefers-color-scheme, so one file serves the light and the dark theme.
THEME_VARS = {key: f"var(--{key})" for key in THEMES["light"]}


def _style_block() -> str:
    light = ";".join(f"--{k}:{v}" for k, v in THEMES["light"].items())
    dark = ";".join(f"--{k}:{v}" for k, v in THEMES["dark"].items())
    return f"<style>svg{{{light}}}@media (prefers-color-scheme: dark){{svg{{{dark}}}}}</style>"


_TAG = re.compile(r"<[a-z]+ [^>]*>")
_VAR_ATTR = re.compile(r' (fill|stroke)="(var\(--[a-z]+\))"')


def _vars_to_style(svg: str) -> str:
    """``fill="var(--fg)"`` is not valid as an SVG attribute; move every such
    colour into the element's style attribute, where CSS variables work."""

    def fix(match):
        tag = match.group(0)
        found = _VAR_ATTR.findall(tag)
        if not found:
            return tag
        tag = _VAR_ATTR.sub("", tag)
        style = ";".join(f"{prop}:{value}" for prop, value in found)
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end]} style="{style}"{tag[end:]}'

    return _TAG.sub(fix, svg)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Glyph:
    """One glyph of a spec with its source: ``get(prop, i)`` reads a field
    (a column of the source) or the literal property."""

    def __init__(self, spec: dict, sources: dict):
        self.kind = spec["kind"]
        if self.kind not in SUPPORTED_KINDS:
            raise ValueError(f"svgplot cannot draw a {self.kind!r} glyph")
        self.fields = spec.get("fields", {})
        self.props = spec.get("props", {})
        self.columns = sources.get(spec["source"], {})
        lengths = [len(self.columns.get(c, [])) for c in self.fields.values()]
        self.n = min(lengths) if lengths else 0

    def get(self, prop, i, default=None):
        if prop in self.fields:
            return self.columns[self.fields[prop]][i]
        value = self.props.get(prop, default)
        if isinstance(value, dict) and "field" in value:
            # {"field": column, "transform": a colour mapper}
            value = self.columns[value["field"]][i] if i < len(self.columns.get(value["field"], [])) else None
            mapper = self.props[prop].get("transform")
            if mapper:
                value = linear_colour(value, mapper)
        return value


def linear_colour(value, mapper: dict) -> str:
    """BokehJS LinearColorMapper: ``low``..``high`` split into one equal bin
    per palette colour; values outside take the end colours.

    >>> linear_colour(0.5, {"$model": "LinearColorMapper", "palette": ["#000", "#111", "#222", "#333"], "low": 0, "high": 1})
    '#222'
    """
    if mapper.get("$model") != "LinearColorMapper":
        raise ValueError(f"svgplot cannot apply a {mapper.get('$model')!r}")
    palette = mapper["palette"]
    if isinstance(palette, dict):
        palette = PALETTES[palette["$palette"]]
    if not _is_number(value):
        return "#808080"  # BokehJS's nan_color: gray
    low, high = mapper["low"], mapper["high"]
    n = len(palette)
    index = math.floor((value - low) / (high - low) * n) if high != low else 0
    return palette[min(max(index, 0), n - 1)]


# ------------------------------------------------------------------ scales and ticks


class Axis:
    """One dimension: range, scale (linear, log or categorical) and ticks."""

    def __init__(self, kind: str, start: float, end: float, factors=None):
        self.kind = kind  # "linear", "log" or "factor"
        self.start, self.end = start, end
        self.factors = factors or []

    def position(self, value) -> float | None:
        """Where ``value`` lies, as a fraction of the range (0 at start)."""
        if self.kind == "factor":
            if value not in self.factors:
                return None
            value = self.factors.index(value) + 0.5
        if not _is_number(value):
            return None
        if self.kind == "log":
            if value <= 0:
                return None
            lo, hi, value = math.log10(self.start), math.log10(self.end), math.log10(value)
        else:
            lo, hi = self.start, self.end
        return (value - lo) / (hi - lo) if hi != lo else 0.5

    def ticks(self) -> list[tuple[float, str]]:
        """(value, label) pairs inside the range."""
        lo, hi = sorted((self.start, self.end))
        if self.kind == "factor":
            return [(f, str(f)) for f in self.factors]
        if self.kind == "log" and lo > 0:
            decades = [10.0 ** k for k in range(math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9) + 1)]
            if len(decades) >= 2:
                step = max(1, math.ceil(len(decades) / DESIRED_TICKS))
                return [(v, _power_label(v)) for v in decades[::step]]
            # Less than two decades: 1, 2 and 5 times powers of ten (as LogTicker).
            values = [float(f"{m * 10.0 ** k:.12g}") for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
                      for m in MANTISSAS if lo <= m * 10.0 ** k <= hi]
            if len(values) >= 2:
                return [(v, f"{v:g}") for v in values]
        values = nice_ticks(lo, hi)
        return [(v, _linear_label(v, values)) for v in values]


def nice_interval(lo: float, hi: float, desired: int = DESIRED_TICKS) -> float:
    """BokehJS AdaptiveTicker: the mantissa x 10^k nearest (in log terms) to
    (hi - lo) / desired.

    >>> nice_interval(0, 10)
    2.0
    >>> nice_interval(0, 1)
    0.2
    """
    span = hi - lo
    if span <= 0:
        return 1.0
    ideal = span / desired
    exponent = math.floor(math.log10(ideal))
    candidates = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in MANTISSAS]
    best = min(candidates, key=lambda c: abs(math.log10(c) - math.log10(ideal)))
    return float(f"{best:.12g}")


def nice_ticks(lo: float, hi: float, desired: int = DESIRED_TICKS) -> list[float]:
    """Multiples of :func:`nice_interval` inside [lo, hi].

    >>> nice_ticks(0, 10)
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    step = nice_interval(lo, hi, desired)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_label(value: float) -> str:
    return "10" + str(round(math.log10(value))).translate(_SUPERSCRIPT)


def _linear_label(value: float, ticks: list[float], thousands: bool = False) -> str:
    if thousands:
        return f"{value:,.0f}"
    biggest = max(abs(t) for t in ticks) or 1.0
    if biggest >= 1e5 or biggest < 1e-3:
        text = f"{value:.1e}" if value else "0"
        return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(abs(step)) + 1e-9)) if step else 0
    return f"{value:.{decimals}f}"


LABEL_CHAR_PX = 6.6  # average width of a tick label's character at TICK_FONT_PX


def thin_ticks(ticks: list, frame) -> list:
    """Every second tick, then every fourth..., until neighbouring x labels
    no longer overlap (BokehJS likewise drops overlapping labels). On a
    narrow phone-width picture ``0 500 1,000 ... 4,000`` becomes
    ``0 1,000 2,000 3,000 4,000``."""
    while len(ticks) > 2:
        xs = [frame.px(value) for value, _ in ticks]
        widths = [len(label) * LABEL_CHAR_PX for _, label in ticks]
        fits = all(
            a is None or b is None or abs(b - a) >= (wa + wb) / 2 + 6
            for a, b, wa, wb in zip(xs, xs[1:], widths, widths[1:])
        )
        if fits:
            break
        ticks = ticks[::2]
    return ticks


# ------------------------------------------------------------------ ranges


# A bar glyph: the axis it is placed along, its thickness, its base and its end.
_BARS = {"vbar": ("x", "width", "bottom", "top"), "hbar": ("y", "height", "left", "right")}


def _extents(glyph: _Glyph, dim: str) -> list:
    """The data values of ``glyph`` along ``dim`` ("x" or "y") that a
    DataRange1d must include."""
    out = []
    g = glyph
    for i in range(g.n):
        if g.kind in ("line", "scatter", "text"):
            out.append(g.get(dim, i))
        elif g.kind == "multi_line":
            out.extend(g.get(dim + "s", i) or [])
        elif g.kind == "quad":
            out.extend((g.get("left", i), g.get("right", i)) if dim == "x" else (g.get("bottom", i), g.get("top", i)))
        elif g.kind in _BARS:
            across, thickness, base, end = _BARS[g.kind]
            if dim == across:
                centre, size = g.get(across, i), g.get(thickness, i, 1)
                out.extend((centre - size / 2, centre + size / 2) if _is_number(centre) else (centre,))
            else:
                out.extend((g.get(base, i, 0), g.get(end, i)))
        elif g.kind in ("rect", "image_url"):
            size = g.get("w" if g.kind == "image_url" else "width", i, 0) if dim == "x" else g.get("h" if g.kind == "image_url" else "height", i, 0)
            centre = g.get(dim, i)
            anchor = g.get("anchor", i, "top_left") if g.kind == "image_url" else "center"
            if not _is_number(centre):
                continue
            if anchor == "center":
                out.extend((centre - size / 2, centre + size / 2))
            elif (dim == "x" and "left" in anchor) or (dim == "y" and "bottom" in anchor):
                out.extend((centre, centre + size))
            else:
                out.extend((centre - size, centre))
    return out


def _axis(figure: dict, dim: str, glyphs: list[_Glyph]) -> Axis:
    spec = figure.get(dim + "_range")
    kind = figure.get(dim + "_axis_type") or "linear"
    if figure.get(dim + "_scale", {}).get("$model") == "LogScale":
        kind = "log"
    side = "below" if dim == "x" else "left"
    for model in figure.get(side, []) or []:
        if model.get("$model") == "LogAxis":
            kind = "log"
    if kind not in ("linear", "log"):
        kind = "linear"
    if isinstance(spec, list) and spec and isinstance(spec[0], str):
        return Axis("factor", 0.0, float(len(spec)), factors=list(spec))
    if isinstance(spec, list):
        return Axis(kind, float(spec[0]), float(spec[1]))
    spec = spec or {"$model": "DataRange1d"}
    if spec.get("$model") == "Range1d":
        return Axis(kind, float(spec["start"]), float(spec["end"]))
    values = [v for g in glyphs for v in _extents(g, dim) if _is_number(v) and (kind != "log" or v > 0)]
    if not values:
        lo, hi = (1.0, 10.0) if kind == "log" else (0.0, 1.0)
    else:
        lo, hi = min(values), max(values)
        pad = spec.get("range_padding", DEFAULT_PADDING)
        if kind == "log":
            llo, lhi = math.log10(lo), math.log10(hi)
            if llo == lhi:
                llo, lhi = llo - 0.5, lhi + 0.5
            extra = (lhi - llo) * pad / 2
            lo, hi = 10 ** (llo - extra), 10 ** (lhi + extra)
        else:
            if lo == hi:
                lo, hi = lo - (abs(lo) * 0.1 or 0.5), hi + (abs(hi) * 0.1 or 0.5)
            extra = (hi - lo) * pad / 2
            lo, hi = lo - extra, hi + extra
    lo = spec.get("start", lo)
    hi = spec.get("end", hi)
    if spec.get("flipped"):
        lo, hi = hi, lo
    return Axis(kind, lo, hi)


def _axis_model(figure: dict, dim: str) -> dict | None:
    """The axis drawn for ``dim``: the default one, a model from ``below`` /
    ``left``, or none (``*_axis_type: None`` without a model)."""
    side = "below" if dim == "x" else "left"
    models = figure.get(side) or []
    if models:
        return models[0]
    if dim + "_axis_type" in figure and figure[dim + "_axis_type"] is None:
        return None
    if figure.get(dim + "_axis_location", "default") is None:
        return None
    return {"axis_label": figure.get(dim + "_axis_label")}


# ------------------------------------------------------------------ drawing


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(kind: str, cx: float, cy: float, size: float) -> str:
    r = size / 2
    if kind == "square":
        return f'<rect x="{_fmt(cx - r)}" y="{_fmt(cy - r)}" width="{_fmt(size)}" height="{_fmt(size)}"'
    if kind in ("diamond", "triangle", "star"):
        if kind == "diamond":
            pts = [(cx, cy - r * 1.3), (cx + r, cy), (cx, cy + r * 1.3), (cx - r, cy)]
        elif kind == "triangle":
            pts = [(cx, cy - r * 1.15), (cx + r, cy + r * 0.6), (cx - r, cy + r * 0.6)]
        else:
            pts = []
            for k in range(10):
                radius = r * 1.2 if k % 2 == 0 else r * 0.5
                angle = -math.pi / 2 + k * math.pi / 5
                pts.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        return '<polygon points="' + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts) + '"'
    return f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}"'


def _paint(glyph: _Glyph, i: int, theme: dict, fill: bool = True, default_line=None) -> str:
    """fill/stroke attributes of row ``i``."""
    parts = []
    base = glyph.get("color", i)
    if fill:
        colour = glyph.get("fill_color", i, base if base is not None else GLYPH_DEFAULT)
        alpha = glyph.get("fill_alpha", i, 1.0)
        parts.append(f'fill="{escape(_colour(colour, theme))}"')
        if alpha != 1.0:
            parts.append(f'fill-opacity="{alpha:g}"')
    else:
        parts.append('fill="none"')
    line = glyph.get("line_color", i, default_line if default_line is not None else (base if base is not None else GLYPH_DEFAULT))
    if line is None or _colour(line, theme) == "none":
        parts.append('stroke="none"')
    else:
        parts.append(f'stroke="{escape(_colour(line, theme))}"')
        width = glyph.get("line_width", i, 1)
        parts.append(f'stroke-width="{width:g}"')
        alpha = glyph.get("line_alpha", i, 1.0)
        if alpha != 1.0:
            parts.append(f'stroke-opacity="{alpha:g}"')
        dash = glyph.get("line_dash", i)
        pattern = " ".join(str(d) for d in dash) if isinstance(dash, list) else DASHES.get(dash)
        if pattern:
            parts.append(f'stroke-dasharray="{pattern}"')
    return " ".join(parts)


class _Frame:
    """Pixel geometry of the plot area."""

    def __init__(self, left, top, width, height, x: Axis, y: Axis):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.x, self.y = x, y

    def px(self, value):
        p = self.x.position(value)
        return None if p is None else self.left + p * self.width

    def py(self, value):
        p = self.y.position(value)
        return None if p is None else self.top + (1 - p) * self.height

    def span_x(self, centre, half):
        a, b = self._span(self.x, centre, half)
        return (None, None) if a is None else (self.left + a * self.width, self.left + b * self.width)

    def span_y(self, centre, half):
        a, b = self._span(self.y, centre, half)
        return (None, None) if a is None else (self.top + (1 - a) * self.height, self.top + (1 - b) * self.height)

    @staticmethod
    def _span(axis, centre, half):
        if axis.kind == "factor":
            if centre not in axis.factors:
                return None, None
            c = axis.factors.index(centre) + 0.5
            return ((c - half - axis.start) / (axis.end - axis.start), (c + half - axis.start) / (axis.end - axis.start))
        a, b = axis.position(centre - half), axis.position(centre + half)
        return (None, None) if a is None or b is None else (a, b)


def _box(frame, x0, x1, y0, y1, paint) -> str:
    """A rectangle between data coordinates (None when off-scale)."""
    if None in (x0, x1, y0, y1):
        return ""
    left, right = sorted((x0, x1))
    top, bottom = sorted((y0, y1))
    return f'<rect x="{_fmt(left)}" y="{_fmt(top)}" width="{_fmt(right - left)}" height="{_fmt(bottom - top)}" {paint}/>'


def _draw_glyph(glyph: _Glyph, frame: _Frame, theme: dict) -> list[str]:
    out = []
    g = glyph
    if g.kind == "line":
        points = []
        segments = [points]
        for i in range(g.n):
            x, y = frame.px(g.get("x", i)), frame.py(g.get("y", i))
            if x is None or y is None:
                points = []
                segments.append(points)
            else:
                points.append(f"{_fmt(x)},{_fmt(y)}")
        paint = _paint(g, 0, theme, fill=False) if g.n else ""
        for seg in segments:
            if len(seg) >= 2:
                out.append(f'<polyline points="{" ".join(seg)}" {paint} stroke-linejoin="round"/>')
    elif g.kind == "multi_line":
        for i in range(g.n):
            pts = [(frame.px(x), frame.py(y)) for x, y in zip(g.get("xs", i) or [], g.get("ys", i) or [])]
            pts = [f"{_fmt(x)},{_fmt(y)}" for x, y in pts if x is not None and y is not None]
            if len(pts) >= 2:
                out.append(f'<polyline points="{" ".join(pts)}" {_paint(g, i, theme, fill=False)}/>')
    elif g.kind == "scatter":
        for i in range(g.n):
            x, y = frame.px(g.get("x", i)), frame.py(g.get("y", i))
            if x is None or y is None:
                continue
            kind = g.get("marker", i, "circle")
            if kind not in SUPPORTED_MARKERS:
                raise ValueError(f"svgplot cannot draw a {kind!r} marker")
            out.append(_marker(kind, x, y, g.get("size", i, 4)) + f" {_paint(g, i, theme)}/>")
    elif g.kind == "text":
        for i in range(g.n):
            x, y = frame.px(g.get("x", i)), frame.py(g.get("y", i))
            text = g.get("text", i)
            if x is None or y is None or text is None:
                continue
            x += g.get("x_offset", i, 0)
            y += g.get("y_offset", i, 0)
            size = str(g.get("text_font_size", i, "13px"))
            px = float(size.rstrip("px") or 13)
            anchor = {"left": "start", "center": "middle", "right": "end"}[g.get("text_align", i, "left")]
            baseline = g.get("text_baseline", i, "bottom")
            dy = {"top": 0.8 * px, "middle": 0.35 * px, "bottom": -0.2 * px, "alphabetic": 0.0}.get(baseline, 0.0)
            background = g.get("background_fill_color", i)
            if background is not None:
                width = 0.58 * px * len(str(text))
                bx = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
                alpha = g.get("background_fill_alpha", i, 1.0)
                out.append(f'<rect x="{_fmt(bx - 2)}" y="{_fmt(y + dy - px)}" width="{_fmt(width + 4)}" height="{_fmt(px * 1.3)}" '
                           f'fill="{escape(_colour(background, theme))}" fill-opacity="{alpha:g}"/>')
            colour = _colour(g.get("text_color", i, "#444444"), theme)
            out.append(f'<text x="{_fmt(x)}" y="{_fmt(y + dy)}" font-size="{px:g}" text-anchor="{anchor}" '
                       f'fill="{escape(colour)}">{escape(str(text))}</text>')
    elif g.kind == "vbar":
        for i in range(g.n):
            x0, x1 = frame.span_x(g.get("x", i), g.get("width", i, 1) / 2)
            out.append(_box(frame, x0, x1, frame.py(g.get("bottom", i, 0)), frame.py(g.get("top", i)), _paint(g, i, theme)))
    elif g.kind == "hbar":
        for i in range(g.n):
            y0, y1 = frame.span_y(g.get("y", i), g.get("height", i, 1) / 2)
            out.append(_box(frame, frame.px(g.get("left", i, 0)), frame.px(g.get("right", i)), y0, y1, _paint(g, i, theme)))
    elif g.kind == "quad":
        for i in range(g.n):
            out.append(_box(frame, frame.px(g.get("left", i)), frame.px(g.get("right", i)),
                            frame.py(g.get("bottom", i)), frame.py(g.get("top", i)), _paint(g, i, theme)))
    elif g.kind == "rect":
        for i in range(g.n):
            x0, x1 = frame.span_x(g.get("x", i), g.get("width", i, 1) / 2)
            y0, y1 = frame.span_y(g.get("y", i), g.get("height", i, 1) / 2)
            out.append(_box(frame, x0, x1, y0, y1, _paint(g, i, theme)))
    elif g.kind == "image_url":
        for i in range(g.n):
            x, y, w, h = g.get("x", i), g.get("y", i), g.get("w", i), g.get("h", i)
            anchor = g.get("anchor", i, "top_left")
            if not all(_is_number(v) for v in (x, y, w, h)):
                continue
            if anchor == "center":
                x0, x1, y0, y1 = x - w / 2, x + w / 2, y - h / 2, y + h / 2
            else:
                x0, x1 = (x, x + w) if "left" in anchor else (x - w, x)
                y0, y1 = (y, y + h) if "bottom" in anchor else (y - h, y)
            corners = [frame.px(x0), frame.px(x1), frame.py(y0), frame.py(y1)]
            if None in corners:
                continue
            left, right = sorted(corners[:2])
            top, bottom = sorted(corners[2:])
            out.append(f'<image href="{escape(str(g.get("url", i)))}" x="{_fmt(left)}" y="{_fmt(top)}" width="{_fmt(right - left)}" '
                       f'height="{_fmt(bottom - top)}" preserveAspectRatio="none"/>')
    return [item for item in out if item]


def _legend_entries(glyphs: list[_Glyph], theme: dict) -> list[tuple[str, str, str]]:
    """(label, kind of swatch, colour) for each legend item, in order."""
    entries, seen = [], set()
    for g in glyphs:
        if "legend_label" in g.props:
            label = str(g.props["legend_label"])
            items = [(label, 0)]
        elif "legend_field" in g.props:
            column = g.columns.get(g.props["legend_field"], [])
            items = [(str(column[i]), i) for i in range(min(len(column), g.n))]
        else:
            continue
        for label, i in items:
            if label in seen:
                continue
            seen.add(label)
            if g.kind in ("line", "multi_line"):
                entries.append((label, "line", _colour(g.get("line_color", i, GLYPH_DEFAULT), theme)))
            else:
                colour = g.get("fill_color", i, g.get("color", i, GLYPH_DEFAULT))
                entries.append((label, g.get("marker", i, "circle") if g.kind == "scatter" else "box", _colour(colour, theme)))
    return entries


def _legend(entries, frame: _Frame, where: str, theme: dict) -> list[str]:
    if not entries:
        return []
    row, pad = 18, 6
    width = pad * 2 + 26 + max(len(label) for label, _, _ in entries) * 6.4
    height = pad * 2 + row * len(entries)
    left_side = "left" in where
    x = frame.left + 8 if left_side else frame.left + frame.width - width - 8
    if where.startswith("top"):
        y = frame.top + 8
    elif where.startswith("bottom"):
        y = frame.top + frame.height - height - 8
    else:
        y = frame.top + (frame.height - height) / 2
    out = [f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" height="{_fmt(height)}" fill="{theme["panel"]}" '
           f'fill-opacity="0.8" stroke="{theme["border"]}"/>']
    for k, (label, swatch, colour) in enumerate(entries):
        cy = y + pad + row * k + row / 2
        if swatch == "line":
            out.append(f'<line x1="{_fmt(x + pad)}" x2="{_fmt(x + pad + 20)}" y1="{_fmt(cy)}" y2="{_fmt(cy)}" stroke="{escape(colour)}" stroke-width="2"/>')
        elif swatch == "box":
            out.append(f'<rect x="{_fmt(x + pad + 4)}" y="{_fmt(cy - 6)}" width="12" height="12" fill="{escape(colour)}"/>')
        else:
            out.append(_marker(swatch if swatch in SUPPORTED_MARKERS else "circle", x + pad + 10, cy, 10) + f' fill="{escape(colour)}" stroke="{theme["fg"]}"/>')
        out.append(f'<text x="{_fmt(x + pad + 26)}" y="{_fmt(cy + 4)}" font-size="{TICK_FONT_PX}" fill="{theme["fg"]}">{escape(label)}</text>')
    return out


def render(spec: dict, sources: dict, width: int) -> str:
    """An SVG document of figure ``spec`` drawn from ``sources`` (data-source
    name -> columns), ``width`` pixels wide and the spec's height tall (a
    figure with its own ``width`` keeps its aspect ratio instead)."""
    theme = THEME_VARS
    figure = spec.get("figure", {})
    height = int(figure.get("height", 300))
    if "width" in figure:
        height = round(height * width / figure["width"])
    glyphs = [_Glyph(g, sources) for g in spec.get("glyphs", [])]
    x, y = _axis(figure, "x", glyphs), _axis(figure, "y", glyphs)
    x_model, y_model = _axis_model(figure, "x"), _axis_model(figure, "y")
    y_ticks = y.ticks() if y_model else []
    y_thousands = bool(y_model and (y_model.get("formatter") or {}).get("format") == "0,0")
    x_thousands = bool(x_model and (x_model.get("formatter") or {}).get("format") == "0,0")
    if y_thousands:
        y_ticks = [(v, _linear_label(v, [], True)) for v, _ in y_ticks]
    tick_chars = max((len(label) for _, label in y_ticks), default=0)
    left = 8 + (tick_chars * 6.6 + 10 if y_model else 0) + (LABEL_FONT_PX + 8 if y_model and y_model.get("axis_label") else 0)
    bottom = 8 + (TICK_FONT_PX + 10 if x_model else 0) + (LABEL_FONT_PX + 8 if x_model and x_model.get("axis_label") else 0)
    top, right = 10, 14
    frame = _Frame(left, top, max(10, width - left - right), max(10, height - top - bottom), x, y)
    muted, border, fg = theme["muted"], theme["border"], theme["fg"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}">',
        _style_block(),
        f'<rect width="{width}" height="{height}" fill="{theme["panel"]}"/>',
        f'<clipPath id="frame"><rect x="{_fmt(frame.left)}" y="{_fmt(frame.top)}" width="{_fmt(frame.width)}" height="{_fmt(frame.height)}"/></clipPath>',
    ]
    x_ticks = x.ticks() if x_model else []
    if x_thousands:
        x_ticks = [(v, _linear_label(v, [], True)) for v, _ in x_ticks]
    if x.kind != "factor":
        x_ticks = thin_ticks(x_ticks, frame)
    grid = []
    for value, _ in x_ticks:
        p = frame.px(value)
        if p is not None and x.kind != "factor":
            grid.append(f'<line x1="{_fmt(p)}" x2="{_fmt(p)}" y1="{_fmt(frame.top)}" y2="{_fmt(frame.top + frame.height)}"/>')
    for value, _ in y_ticks:
        p = frame.py(value)
        if p is not None and y.kind != "factor":
            grid.append(f'<line x1="{_fmt(frame.left)}" x2="{_fmt(frame.left + frame.width)}" y1="{_fmt(p)}" y2="{_fmt(p)}"/>')
    out.append(f'<g stroke="{border}" stroke-width="1">' + "".join(grid) + "</g>")
    out.append('<g clip-path="url(#frame)">')
    for g in glyphs:
        out.extend(_draw_glyph(g, frame, theme))
    out.append("</g>")
    out.append(f'<rect x="{_fmt(frame.left)}" y="{_fmt(frame.top)}" width="{_fmt(frame.width)}" height="{_fmt(frame.height)}" fill="none" stroke="{border}"/>')
    axes = [f'<g font-size="{TICK_FONT_PX}" fill="{muted}">']
    bottom_edge = frame.top + frame.height
    if x_model:
        axes.append(f'<line x1="{_fmt(frame.left)}" x2="{_fmt(frame.left + frame.width)}" y1="{_fmt(bottom_edge)}" y2="{_fmt(bottom_edge)}" stroke="{muted}"/>')
        for value, label in x_ticks:
            p = frame.px(value)
            if p is None or not frame.left - 0.5 <= p <= frame.left + frame.width + 0.5:
                continue
            axes.append(f'<line x1="{_fmt(p)}" x2="{_fmt(p)}" y1="{_fmt(bottom_edge)}" y2="{_fmt(bottom_edge + 5)}" stroke="{muted}"/>')
            axes.append(f'<text x="{_fmt(p)}" y="{_fmt(bottom_edge + 7 + TICK_FONT_PX)}" text-anchor="middle">{escape(label)}</text>')
    if y_model:
        axes.append(f'<line x1="{_fmt(frame.left)}" x2="{_fmt(frame.left)}" y1="{_fmt(frame.top)}" y2="{_fmt(bottom_edge)}" stroke="{muted}"/>')
        for value, label in y_ticks:
            p = frame.py(value)
            if p is None or not frame.top - 0.5 <= p <= bottom_edge + 0.5:
                continue
            axes.append(f'<line x1="{_fmt(frame.left - 5)}" x2="{_fmt(frame.left)}" y1="{_fmt(p)}" y2="{_fmt(p)}" stroke="{muted}"/>')
            axes.append(f'<text x="{_fmt(frame.left - 7)}" y="{_fmt(p + 4)}" text-anchor="end">{escape(label)}</text>')
    axes.append("</g>")
    out.extend(axes)
    label_style = f'font-size="{LABEL_FONT_PX}" font-style="italic" fill="{fg}" text-anchor="middle"'
    if x_model and x_model.get("axis_label"):
        out.append(f'<text x="{_fmt(frame.left + frame.width / 2)}" y="{_fmt(height - 8)}" {label_style}>{escape(x_model["axis_label"])}</text>')
    if y_model and y_model.get("axis_label"):
        cy = frame.top + frame.height / 2
        out.append(f'<text transform="translate({LABEL_FONT_PX + 4} {_fmt(cy)}) rotate(-90)" {label_style}>{escape(y_model["axis_label"])}</text>')
    if spec.get("legend"):
        out.extend(_legend(_legend_entries(glyphs, theme), frame, spec["legend"], theme))
    out.append("</svg>")
    return _vars_to_style("".join(out))
