import pytest

from course import controls
from course.controls import Choice, Integer, Number, Range, Text


def test_range_clamps_above_and_below_with_a_message():
    spec = Range(7.0, 13.0, 0.01, 10.0)
    assert spec.parse("13.5") == (13.0, "13.5 is above the maximum 13; using 13.")
    value, note = spec.parse("-4")
    assert value == 7.0 and "below the minimum 7" in note


def test_range_snaps_to_its_step_without_binary_noise():
    assert Range(7.0, 13.0, 0.01, 10.0).parse("10.123456") == (10.12, None)
    assert Range(7.0, 13.0, 0.01, 10.0).parse("10.01") == (10.01, None)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "inf", "1e400", None, "<script>alert(1)</script>"])
def test_range_replaces_non_numbers_with_the_default(text):
    value, note = Range(7.0, 13.0, 0.01, 10.0).parse(text)
    assert value == 10.0
    assert "not a number" in note


def test_number_keeps_the_last_valid_value_when_refusing():
    spec = Number(0.01, 1.0, 0.4)
    for bad in ("", "0", "-3", "x", "2"):
        value, note = spec.parse(bad, previous=0.55)
        assert value == 0.55
        assert note == "Enter a number from 0.01 to 1 (kept 0.55)."


def test_number_without_a_valid_previous_value_keeps_the_default():
    assert Number(1.0, 10.0, 2.0).parse("nope", previous="garbage")[0] == 2.0


def test_number_can_clamp_instead_of_refusing():
    assert Number(1.0, 10.0, 2.0, keep_last=False).parse("50")[0] == 10.0


def test_integer_rounds_and_says_so():
    assert Integer(1, 8, 2).parse("3.6") == (4, "3.6 is not a whole number; using 4.")
    assert Integer(1, 8, 2).parse("12")[0] == 8


def test_choice_falls_back_to_default():
    spec = Choice(("hoffmann", "epoch"), "hoffmann")
    assert spec.parse("epoch") == ("epoch", None)
    value, note = spec.parse("bogus")
    assert value == "hoffmann" and "not one of hoffmann, epoch" in note


def test_text_truncates_by_code_points():
    value, note = Text(5).parse("héllo wörld")
    assert value == "héllo"
    assert "truncated to the first 5 characters (it had 11)" in note


def test_messages_quote_long_input_shortened():
    value, note = Range(0, 1, 0.1, 0.5).parse("x" * 10_000)
    assert len(note) < 100


def test_parse_ignores_unknown_keys_and_fills_missing_from_previous():
    specs = {"a": Range(0, 10, 1, 5), "b": Choice(("x", "y"), "x")}
    values, notes = controls.parse(specs, {"a": "3", "evil": "<img>"}, previous={"b": "y"})
    assert values == {"a": 3, "b": "y"}
    assert notes == {}


def test_defaults_lists_every_control():
    assert controls.defaults({"a": Range(0, 10, 1, 5), "t": Text(10, "hi")}) == {"a": 5, "t": "hi"}
