"""Static plot pictures (course.svgplot): geometry against numpy, ticks
against a brute-force search of BokehJS's rule, colours against the
stylesheet, and every figure of every view drawn as well-formed SVG that
holds each of its data points."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from course import svgplot, views

ROOT = Path(__file__).resolve().parents[2]
NS = {"s": "http://www.w3.org/2000/svg"}

ALL_FIGURES = [(page, spec["id"]) for page in views.PAGES for spec in views.load(page).FIGURES]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def frame_of(root: ET.Element) -> tuple[float, float, float, float]:
    rect = root.find("s:clipPath/s:rect", NS)
    return tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))


def figure(glyphs, **options):
    return {"id": "t", "figure": {"height": 300, **options}, "glyphs": glyphs}


# ------------------------------------------------------------------ colours


def _css_block(css: str, start: int) -> dict:
    body = css[css.index("{", start) + 1: css.index("}", start)]
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", body))


def test_theme_colours_are_the_stylesheets():
    css = (ROOT / "assets" / "css" / "site.css").read_text()
    light = _css_block(css, css.index(":root"))
    dark = _css_block(css, css.index(":root", css.index("prefers-color-scheme: dark")))
    names = {"fg": "fg", "muted": "fg-muted", "border": "border", "panel": "bg-raised", "accent": "accent"}
    for theme, values in (("light", light), ("dark", dark)):
        assert {k: values[v].lower() for k, v in names.items()} == svgplot.THEMES[theme]


def test_theme_colours_are_css_variables_in_style_attributes():
    spec = figure([{"kind": "line", "source": "s", "fields": {"x": "x", "y": "y"},
                    "props": {"line_color": {"$theme": "accent"}}}])
    svg = svgplot.render(spec, {"s": {"x": [0, 1], "y": [0, 1]}}, 400)
    line = parse(svg).find(".//s:polyline", NS)
    assert line.get("stroke") is None and "stroke:var(--accent)" in line.get("style")
    assert "@media (prefers-color-scheme: dark)" in svg
    assert 'fill="var(' not in svg and 'stroke="var(' not in svg


def test_linear_colour_mapper_matches_numpy_bins():
    palette = [f"#{i:06x}" for i in range(256)]
    mapper = {"$model": "LinearColorMapper", "palette": palette, "low": 0.2, "high": 0.9}
    values = np.concatenate([np.linspace(-1, 2, 3001), [0.2, 0.9]])
    expected = np.clip(np.floor((values - 0.2) / 0.7 * 256), 0, 255).astype(int)
    got = [int(svgplot.linear_colour(float(v), mapper)[1:], 16) for v in values]
    assert got == expected.tolist()


# ------------------------------------------------------------------ ticks


@pytest.mark.parametrize("seed", range(200))
def test_tick_interval_is_the_nearest_nice_step(seed):
    rng = np.random.default_rng(seed)
    lo = float(rng.uniform(-1e3, 1e3) * 10.0 ** rng.integers(-4, 6))
    hi = lo + float(rng.uniform(1e-3, 1e3) * 10.0 ** rng.integers(-3, 5))
    ideal = (hi - lo) / svgplot.DESIRED_TICKS
    candidates = np.array([m * 10.0 ** k for k in range(-12, 14) for m in (1, 2, 5)])
    best = candidates[np.argmin(np.abs(np.log10(candidates) - math.log10(ideal)))]
    step = svgplot.nice_interval(lo, hi)
    assert math.isclose(step, best, rel_tol=1e-9)
    ticks = np.array(svgplot.nice_ticks(lo, hi))
    expected = np.arange(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1) * step
    np.testing.assert_allclose(ticks, expected, rtol=1e-9, atol=step * 1e-9)
    assert len(ticks) >= 2


def test_log_ticks_are_powers_of_ten_inside_the_range():
    axis = svgplot.Axis("log", 3e17, 2e26)
    values = [v for v, _ in axis.ticks()]
    assert all(3e17 <= v <= 2e26 for v in values)
    assert all(math.isclose(math.log10(v), round(math.log10(v))) for v in values)
    assert [label for _, label in axis.ticks()][:2] == ["10¹⁸", "10²⁰"]


def test_short_log_ranges_get_1_2_5_ticks():
    assert [v for v, _ in svgplot.Axis("log", 450, 4600).ticks()] == [500, 1000, 2000]


# ------------------------------------------------------------------ geometry


def test_line_points_match_numpy_on_log_and_linear_axes():
    xs = np.geomspace(1e3, 1e9, 13)
    ys = np.linspace(-2.0, 7.0, 13)
    spec = figure([{"kind": "line", "source": "s", "fields": {"x": "x", "y": "y"}, "props": {}}],
                  x_axis_type="log", x_range={"$model": "Range1d", "start": 1e2, "end": 1e10},
                  y_range=[-4, 8])
    root = parse(svgplot.render(spec, {"s": {"x": xs.tolist(), "y": ys.tolist()}}, 640))
    left, top, width, height = frame_of(root)
    points = np.array([p.split(",") for p in root.find(".//s:polyline", NS).get("points").split()], dtype=float)
    expected_x = left + (np.log10(xs) - 2) / 8 * width
    expected_y = top + (1 - (ys + 4) / 12) * height
    np.testing.assert_allclose(points[:, 0], expected_x, atol=0.051)
    np.testing.assert_allclose(points[:, 1], expected_y, atol=0.051)


def test_data_range_pads_ten_percent_of_the_span_like_bokeh():
    xs, ys = [2.0, 5.0, 12.0], [1e3, 1e5, 1e6]
    glyph = svgplot._Glyph({"kind": "scatter", "source": "s", "fields": {"x": "x", "y": "y"}}, {"s": {"x": xs, "y": ys}})
    x = svgplot._axis({}, "x", [glyph])
    y = svgplot._axis({"y_axis_type": "log"}, "y", [glyph])
    assert (x.start, x.end) == pytest.approx((2 - 0.5, 12 + 0.5))
    assert (math.log10(y.start), math.log10(y.end)) == pytest.approx((3 - 0.15, 6 + 0.15))
    flipped = svgplot._axis({"y_range": {"$model": "DataRange1d", "range_padding": 0, "flipped": True}}, "y", [glyph])
    assert (flipped.start, flipped.end) == (1e6, 1e3)


def test_bars_span_their_width_and_categories_sit_at_half_steps():
    spec = figure([{"kind": "hbar", "source": "s", "fields": {"y": "name", "right": "v"}, "props": {"height": 0.5}}],
                  x_range=[0, 10], y_range=["a", "b", "c", "d"])
    root = parse(svgplot.render(spec, {"s": {"name": ["a", "c"], "v": [5, 10]}}, 500))
    left, top, width, height = frame_of(root)
    bars = root.findall(".//s:g[@clip-path]/s:rect", NS)
    assert len(bars) == 2
    for bar, index, value in zip(bars, (0, 2), (5, 10)):
        centre = top + (1 - (index + 0.5) / 4) * height
        assert float(bar.get("x")) == pytest.approx(left, abs=0.06)
        assert float(bar.get("width")) == pytest.approx(value / 10 * width, abs=0.1)
        assert float(bar.get("y")) + float(bar.get("height")) / 2 == pytest.approx(centre, abs=0.1)
        assert float(bar.get("height")) == pytest.approx(0.5 / 4 * height, abs=0.1)


def test_text_is_escaped():
    spec = figure([{"kind": "text", "source": "s", "fields": {"x": "x", "y": "y", "text": "t"}, "props": {}}],
                  x_axis_label="<b>x</b> & y")
    svg = svgplot.render(spec, {"s": {"x": [1], "y": [1], "t": ['<img src=x onerror="alert(1)">']}}, 300)
    root = parse(svg)
    assert "<img" not in svg and "<b>" not in svg
    assert any(t.text == '<img src=x onerror="alert(1)">' for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_unknown_glyphs_and_markers_are_refused():
    with pytest.raises(ValueError, match="wedge"):
        svgplot.render(figure([{"kind": "wedge", "source": "s", "fields": {}}]), {"s": {}}, 300)
    spec = figure([{"kind": "scatter", "source": "s", "fields": {"x": "x", "y": "y"}, "props": {"marker": "hex"}}])
    with pytest.raises(ValueError, match="hex"):
        svgplot.render(spec, {"s": {"x": [1], "y": [1]}}, 300)


# ------------------------------------------------------------------ every figure of the site


@pytest.mark.parametrize("page,figure_id", ALL_FIGURES)
@pytest.mark.parametrize("width", [300, 1180])
def test_every_figure_draws_each_data_point(page, figure_id, width):
    built = views.build(page)
    spec = next(s for s in built["figures"] if s["id"] == figure_id)
    sources = built["initial"]["sources"]
    root = parse(svgplot.render(spec, sources, width))
    assert root.get("width") == str(width)
    plotted = root.find(".//s:g[@clip-path]", NS)
    drawn = len(list(plotted))
    expected = 0
    for glyph in spec["glyphs"]:
        g = svgplot._Glyph(glyph, sources)
        if g.kind == "line":
            expected += 1 if g.n >= 2 else 0
        elif g.kind == "text":
            expected += sum(1 + ("background_fill_color" in g.props) for i in range(g.n) if g.get("text", i) is not None)
        else:
            expected += g.n
    # Every row of every glyph is one element (a line is one polyline; a
    # point off a log axis would be dropped, and none of the views has one).
    assert drawn == expected
    assert drawn > 0


def _x_tick_labels(svg: str) -> list[tuple[float, str]]:
    """(x, text) of the labels under the x axis: centred texts in the axes group."""
    root = parse(svg)
    axes = [g for g in root.findall("s:g", NS) if g.get("font-size") == str(svgplot.TICK_FONT_PX)][0]
    return [(float(t.get("x")), t.text) for t in axes.findall("s:text", NS) if t.get("text-anchor") == "middle"]


@pytest.mark.parametrize("page,figure_id", ALL_FIGURES)
def test_x_tick_labels_never_overlap_even_at_phone_width(page, figure_id):
    built = views.build(page)
    spec = next(s for s in built["figures"] if s["id"] == figure_id)
    labels = _x_tick_labels(svgplot.render(spec, built["initial"]["sources"], 300))
    for (x0, a), (x1, b) in zip(labels, labels[1:]):
        assert x1 - x0 >= (len(a) + len(b)) * svgplot.LABEL_CHAR_PX / 2, (a, b)


def test_wide_pictures_keep_every_tick_and_narrow_ones_keep_every_other():
    spec = next(s for s in views.load("long-context").FIGURES if s["id"] == "mask")
    sources = views.build("long-context")["initial"]["sources"]
    wide = [label for _, label in _x_tick_labels(svgplot.render(spec, sources, 1180))]
    narrow = [label for _, label in _x_tick_labels(svgplot.render(spec, sources, 300))]
    assert wide[:3] == ["0", "500", "1,000"]
    assert narrow == wide[::2] or narrow == wide[::4]
