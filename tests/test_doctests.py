"""Every docstring example in the pure modules runs."""

import doctest
import importlib
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parent.parent / "py" / "course"
MODULES = sorted(
    ".".join(path.relative_to(COURSE.parent).with_suffix("").parts).removesuffix(".__init__")
    for path in COURSE.rglob("*.py")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
