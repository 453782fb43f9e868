"""Heat-map pictures: colour mapping against BokehJS's rule (numpy) and
Bokeh's own palette, PNG bytes against an independent decoder (Pillow)."""

import base64
import io
import zlib

import numpy as np
import pytest
from bokeh.palettes import Viridis256
from PIL import Image

from course import heatmap, png


def decode(url: str) -> np.ndarray:
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url[len(prefix):]))).convert("RGB"))


def test_palette_is_bokehs_viridis256():
    assert [c.lower() for c in Viridis256] == list(heatmap.VIRIDIS_256)


def test_colour_index_matches_a_vectorised_linear_colour_mapper():
    low, high = 1.7, 3.0
    values = np.concatenate([np.linspace(0.0, 5.0, 10_001), [low, high, np.nextafter(high, 0)]])
    # LinearColorMapper: floor(norm * N), clamped to the palette, ends saturate.
    expected = np.clip(np.floor((values - low) / (high - low) * 256), 0, 255).astype(int)
    assert [heatmap.colour_index(float(v), low, high) for v in values] == expected.tolist()


def test_colour_index_refuses_an_empty_scale_and_maps_nan_low():
    with pytest.raises(ValueError, match="high must exceed low"):
        heatmap.colour_index(1.0, 2.0, 2.0)
    assert heatmap.colour_index(float("nan"), 0.0, 1.0) == 0


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 200_000])
def test_stored_zlib_stream_decompresses_with_zlib(size):
    data = bytes((i * 7) % 251 for i in range(size))
    assert zlib.decompress(png.zlib_stored(data)) == data


def test_stored_png_of_int_rows_decodes_with_pillow_row_0_on_top():
    rows = [[0, 1, 2], [2, 1, 0]]
    palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    pixels = decode(png.data_url(png.indexed_png(rows, palette, level=None)))
    assert pixels.shape == (2, 3, 3)
    assert pixels[0].tolist() == [[255, 0, 0], [0, 255, 0], [0, 0, 255]]
    assert pixels[1].tolist() == [[0, 0, 255], [0, 255, 0], [255, 0, 0]]


def test_heatmap_url_colours_each_value_as_bokeh_would():
    rng = np.random.default_rng(7)
    values = rng.uniform(1.5, 3.5, size=(13, 17))
    pixels = decode(heatmap.heatmap_url(values.tolist(), 1.7, 3.0))
    index = np.clip(np.floor((values - 1.7) / 1.3 * 256), 0, 255).astype(int)
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in Viridis256])
    np.testing.assert_array_equal(pixels, rgb[index])


def test_hex_colours_parse_and_bad_ones_are_refused():
    assert heatmap.hex_to_rgb("#440154") == (68, 1, 84)
    with pytest.raises(ValueError, match="expected a colour"):
        heatmap.hex_to_rgb("#fff")
