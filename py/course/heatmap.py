"""Heat maps as PNG pictures: a scalar field, colour-mapped and encoded with
the standard library only, for the page to draw as one image.

Why a picture: a BokehJS ``image`` glyph needs a typed ndarray, which JSON
cannot carry, and thousands of ``rect`` glyphs cost the page (and the JSON
encoder) dearly on every slider move. One PNG data URL is a single short
string that the page decodes once and paints with one ``drawImage``.

Sources
-------
* Colour mapping as BokehJS's ``LinearColorMapper`` does it (bokeh
  ``bokehjs/src/lib/models/mappers/linear_color_mapper.ts``): the value's
  fraction of [low, high] times the palette length, floored; values at or
  beyond the ends take the end colours.
* :data:`VIRIDIS_256`: the viridis colour map of matplotlib (van der Walt and
  Smith, 2015), exactly as ``bokeh.palettes.Viridis256`` lists it.
* The PNG encoding is :mod:`course.png`'s, with *stored* (uncompressed)
  deflate blocks: the bytes are identical under every zlib build (CPython's
  and Pyodide's), which the in-page self-check relies on; a 100 × 100 map is
  10 KB.

>>> colour_index(1.7, 1.7, 3.0), colour_index(3.0, 1.7, 3.0), colour_index(2.35, 1.7, 3.0)
(0, 255, 128)
>>> heatmap_url([[1.7, 3.0]], 1.7, 3.0)[:22]
'data:image/png;base64,'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from course import png

VIRIDIS_256: tuple[str, ...] = (
    '#440154', '#440255', '#440357', '#450558', '#45065a', '#45085b', '#46095c', '#460b5e',
    '#460c5f', '#460e61', '#470f62', '#471163', '#471265', '#471466', '#471567', '#471669',
    '#47186a', '#48196b', '#481a6c', '#481c6e', '#481d6f', '#481e70', '#482071', '#482172',
    '#482273', '#482374', '#472575', '#472676', '#472777', '#472878', '#472a79', '#472b7a',
    '#472c7b', '#462d7c', '#462f7c', '#46307d', '#46317e', '#45327f', '#45347f', '#453580',
    '#453681', '#443781', '#443982', '#433a83', '#433b83', '#433c84', '#423d84', '#423e85',
    '#424085', '#414186', '#414286', '#404387', '#404487', '#3f4587', '#3f4788', '#3e4888',
    '#3e4989', '#3d4a89', '#3d4b89', '#3d4c89', '#3c4d8a', '#3c4e8a', '#3b508a', '#3b518a',
    '#3a528b', '#3a538b', '#39548b', '#39558b', '#38568b', '#38578c', '#37588c', '#37598c',
    '#365a8c', '#365b8c', '#355c8c', '#355d8c', '#345e8d', '#345f8d', '#33608d', '#33618d',
    '#32628d', '#32638d', '#31648d', '#31658d', '#31668d', '#30678d', '#30688d', '#2f698d',
    '#2f6a8d', '#2e6b8e', '#2e6c8e', '#2e6d8e', '#2d6e8e', '#2d6f8e', '#2c708e', '#2c718e',
    '#2c728e', '#2b738e', '#2b748e', '#2a758e', '#2a768e', '#2a778e', '#29788e', '#29798e',
    '#287a8e', '#287a8e', '#287b8e', '#277c8e', '#277d8e', '#277e8e', '#267f8e', '#26808e',
    '#26818e', '#25828e', '#25838d', '#24848d', '#24858d', '#24868d', '#23878d', '#23888d',
    '#23898d', '#22898d', '#228a8d', '#228b8d', '#218c8d', '#218d8c', '#218e8c', '#208f8c',
    '#20908c', '#20918c', '#1f928c', '#1f938b', '#1f948b', '#1f958b', '#1f968b', '#1e978a',
    '#1e988a', '#1e998a', '#1e998a', '#1e9a89', '#1e9b89', '#1e9c89', '#1e9d88', '#1e9e88',
    '#1e9f88', '#1ea087', '#1fa187', '#1fa286', '#1fa386', '#20a485', '#20a585', '#21a685',
    '#21a784', '#22a784', '#23a883', '#23a982', '#24aa82', '#25ab81', '#26ac81', '#27ad80',
    '#28ae7f', '#29af7f', '#2ab07e', '#2bb17d', '#2cb17d', '#2eb27c', '#2fb37b', '#30b47a',
    '#32b57a', '#33b679', '#35b778', '#36b877', '#38b976', '#39b976', '#3bba75', '#3dbb74',
    '#3ebc73', '#40bd72', '#42be71', '#44be70', '#45bf6f', '#47c06e', '#49c16d', '#4bc26c',
    '#4dc26b', '#4fc369', '#51c468', '#53c567', '#55c666', '#57c665', '#59c764', '#5bc862',
    '#5ec961', '#60c960', '#62ca5f', '#64cb5d', '#67cc5c', '#69cc5b', '#6bcd59', '#6dce58',
    '#70ce56', '#72cf55', '#74d054', '#77d052', '#79d151', '#7cd24f', '#7ed24e', '#81d34c',
    '#83d34b', '#86d449', '#88d547', '#8bd546', '#8dd644', '#90d643', '#92d741', '#95d73f',
    '#97d83e', '#9ad83c', '#9dd93a', '#9fd938', '#a2da37', '#a5da35', '#a7db33', '#aadb32',
    '#addc30', '#afdc2e', '#b2dd2c', '#b5dd2b', '#b7dd29', '#bade27', '#bdde26', '#bfdf24',
    '#c2df22', '#c5df21', '#c7e01f', '#cae01e', '#cde01d', '#cfe11c', '#d2e11b', '#d4e11a',
    '#d7e219', '#dae218', '#dce218', '#dfe318', '#e1e318', '#e4e318', '#e7e419', '#e9e419',
    '#ece41a', '#eee51b', '#f1e51c', '#f3e51e', '#f6e61f', '#f8e621', '#fae622', '#fde724',
)
"""matplotlib's viridis in 256 steps, dark purple (low) to yellow (high)."""


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``'#440154'`` -> ``(68, 1, 84)``."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"expected a colour like #440154, got {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def colour_index(value: float, low: float, high: float, colours: int = 256) -> int:
    """Palette index of ``value`` on a linear scale from ``low`` to ``high``
    (BokehJS LinearColorMapper semantics; NaN takes the lowest colour)."""
    if not high > low:
        raise ValueError(f"high must exceed low, got low={low!r}, high={high!r}")
    if not math.isfinite(value) or value <= low:
        return 0
    if value >= high:
        return colours - 1
    return min(colours - 1, int((value - low) / (high - low) * colours))


def heatmap_url(rows: Sequence[Sequence[float]], low: float, high: float,
                palette: Sequence[str] = VIRIDIS_256) -> str:
    """Colour-map ``rows`` of values (row 0 at the top) into a PNG data URL."""
    rgb = [hex_to_rgb(c) for c in palette]
    indices = [[colour_index(v, low, high, len(rgb)) for v in row] for row in rows]
    return png.data_url(png.indexed_png(indices, rgb, level=None))


SELF_CHECKS = {
    "colour_index.mid": lambda: colour_index(2.0, 1.7, 3.0),
    "heatmap.url": lambda: heatmap_url([[1.0, 2.0], [3.0, 4.0]], 1.0, 4.0),
}
"""Values the in-page test compares between Pyodide and CPython."""
