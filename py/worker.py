"""The ``maths`` worker: Pyodide (CPython 3.14) in a web worker.

Every page that computes something starts this worker
(``<script type="py" worker name="maths" src="py/worker.py" config="pyscript.toml">``);
the main-thread page code (MicroPython, ``py/pages/lab.py``) calls its
exports with ``await (await pyscript.workers["maths"]).view(...)``.

It never touches the DOM, so it needs no SharedArrayBuffer and no
cross-origin isolation: the site runs on any static host. Arguments and
results cross the worker boundary as JSON text, the cheapest thing to send.
"""

import json

from course import views

_JSON = {"separators": (",", ":"), "allow_nan": False}


def view(page, raw_json, previous_json="null"):
    """Render ``page`` for raw control values (JSON object of strings)."""
    raw = json.loads(raw_json) or {}
    previous = json.loads(previous_json) if previous_json else None
    return json.dumps(views.render(page, raw, previous), **_JSON)


def self_check():
    """The pure modules' self-check numbers (compared with CPython's by e2e)."""
    from course import selfcheck

    return json.dumps(selfcheck.run(), **_JSON)


def python_version():
    """The interpreter's version (the tests check it is Pyodide's CPython)."""
    import sys

    return sys.version


def bytecode_report():
    """How each loaded standard-library and course module was loaded:
    ``"bytecode"`` (the build's precompiled file, for course modules one
    whose recorded source hash matches the source beside it) or
    ``"source"`` (compiled in the browser). The end-to-end tests require
    bytecode for all of them (tools/pycompile.py)."""
    import importlib.util
    import sys

    report = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if ".zip/" in origin:  # the standard library archive
            report[name] = "bytecode" if origin.endswith(".pyc") else "source"
        elif name == "course" or name.startswith("course."):
            report[name] = "source"
            try:
                with open(spec.cached, "rb") as handle:
                    header = handle.read(16)
                with open(origin, "rb") as handle:
                    source = handle.read()
            except OSError:
                continue
            flags = int.from_bytes(header[4:8], "little")
            if header[:4] == importlib.util.MAGIC_NUMBER and flags == 0b01 and header[8:16] == importlib.util.source_hash(source):
                report[name] = "bytecode"
    return json.dumps(report, sort_keys=True)


__export__ = ["view", "self_check", "python_version", "bytecode_report"]
