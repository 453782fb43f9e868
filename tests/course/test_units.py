import math

import pytest

from course import units


@pytest.mark.parametrize(
    "value, text",
    [(70e9, "70.0 B"), (1.4e12, "1.40 T"), (999.4, "999"), (999_500, "1.00 M"), (8.03e9, "8.03 B"), (1.2e15, "1.20 Q")],
)
def test_count_uses_short_scale_suffixes(value, text):
    assert units.count(value) == text


def test_count_beyond_quadrillions_falls_back_to_scientific():
    assert units.count(3.2e18, "FLOP") == "3.20 × 10¹⁸ FLOP"


@pytest.mark.parametrize("value", [5.76e23, 1e-7, 0.1, 123456789.0, 2.0**-30, 6.02214076e23])
def test_raw_round_trips_exactly(value):
    assert float(units.raw(value)) == value


def test_raw_rejects_non_finite_values():
    with pytest.raises(ValueError, match="finite"):
        units.raw(math.inf)


def test_raw_has_no_units_or_separators():
    for value in (1234567.0, 1e21, 0.000123):
        text = units.raw(value)
        assert "," not in text and " " not in text


def test_sci_rolls_over_the_mantissa():
    assert units.sci(9.999e22) == "1.00 × 10²³"


@pytest.mark.parametrize("value, text", [(1e9, "1.00 GB"), (1.5e12, "1.50 TB"), (999, "999 B")])
def test_bytes_are_decimal(value, text):
    assert units.nbytes(value) == text


def test_readout_pairs_raw_value_and_text():
    assert units.readout(2.5e6, units.usd(2.5e6)) == {"value": "2500000", "text": "$2.50 M"}
