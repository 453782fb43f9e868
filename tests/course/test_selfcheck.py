import json

from course import selfcheck, views


def test_self_check_is_json_and_deterministic():
    first = json.dumps(selfcheck.run(), allow_nan=False)
    assert first == json.dumps(selfcheck.run(), allow_nan=False)


def test_self_check_covers_every_page():
    results = selfcheck.run()
    assert {f"view.{page}" for page in views.PAGES} <= set(results)
