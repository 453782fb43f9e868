"""Precompile the worker's Python to bytecode at build time.

Why: Pyodide ships its standard library as Python *source*
(``python_stdlib.zip``), and a zip archive cannot cache bytecode, so every
visit compiles each module it imports. Measured on this project's reference
machine, that is most of Pyodide's start: ``loadPyodide`` takes 2.0 s with
the source archive and 0.66 s with the same modules as bytecode (Node, same
Pyodide). PyScript then unpacks ``course.zip`` into the worker's file system
and compiles the course modules too.

This module runs **inside Pyodide** (``tools/pycompile.mjs`` boots the
vendored Pyodide under Node and calls :func:`main`), so the bytecode is made
by the very CPython that loads it: the magic number and cache tag match by
construction. Its helpers are plain standard library and are unit-tested
under the native CPython (``tests/tools/test_pycompile.py``).

Outputs (``assets/build/``):

* ``python_stdlib.zip``: Pyodide's standard library with every module the
  course imports stored as bytecode only, the rest left as source (a module
  no page imports costs nothing when it is source, and stays importable).
  Which modules are "imported" is measured, not listed: :func:`main` imports
  every course module and renders every page's default view, then takes
  ``sys.modules``. The end-to-end tests check that no page's worker compiles
  a standard-library module from source (``e2e/test_boot.py``).
* ``course.zip``: the course's sources plus ``__pycache__`` bytecode for
  each, which the importer uses without reading the source; the sources stay
  so that tracebacks show their lines.

Bytecode files are PEP 552 *unchecked hash-based* pycs: valid whatever the
source file's timestamp (zip members and unpacked files carry fixed dates),
and never re-validated against the source at import time.
"""

from __future__ import annotations

import importlib
import importlib.util
import marshal
import sys
import zipfile
from typing import Iterable

# PEP 552: bit 0 set = hash-based pyc; bit 1 clear = do not check the source.
UNCHECKED_HASH_FLAGS = 0b01
FIXED_DATE = (2026, 1, 1, 0, 0, 0)


def module_name(member: str) -> str | None:
    """The module a zip member defines (``json/__init__.py`` -> ``json``),
    or None if it is not a Python source file."""
    if not member.endswith(".py"):
        return None
    name = member[: -len(".py")].replace("/", ".")
    return name.removesuffix(".__init__")


def unchecked_pyc(source: bytes, filename: str) -> bytes:
    """Bytecode file for ``source`` in the running interpreter's format:
    magic number, flags, the source's hash, then the marshalled code object
    (the layout ``importlib`` reads; see PEP 552)."""
    code = compile(source, filename, "exec", dont_inherit=True)
    return b"".join(
        (
            importlib.util.MAGIC_NUMBER,
            UNCHECKED_HASH_FLAGS.to_bytes(4, "little"),
            importlib.util.source_hash(source),
            marshal.dumps(code),
        )
    )


def _copy(out: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    out.writestr(info, data)


def precompile_archive(src: str, dest: str, modules: Iterable[str], archive_path: str) -> list[str]:
    """Copy the zip ``src`` to ``dest`` with each module of ``modules`` stored
    as ``.pyc`` in place of its ``.py`` (zipimport loads ``name.pyc`` from an
    archive). ``archive_path`` is where the archive sits on sys.path, used for
    the code objects' file names as zipimport would set them. Returns the
    modules compiled."""
    wanted = set(modules)
    compiled = []
    with zipfile.ZipFile(src) as inp, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in inp.infolist():
            data = inp.read(info)
            name = module_name(info.filename)
            if name in wanted:
                pyc = unchecked_pyc(data, f"{archive_path}/{info.filename}")
                _copy(out, info.filename + "c", pyc)
                compiled.append(name)
            else:
                _copy(out, info.filename, data)
    return sorted(compiled)


def add_bytecode(src: str, dest: str, unpack_dir: str) -> list[str]:
    """Copy the zip ``src`` to ``dest`` adding, next to every ``.py``, the
    ``__pycache__`` file the importer looks for once the archive is unpacked
    into ``unpack_dir``. Sources are kept (tracebacks read them). Returns the
    bytecode members written."""
    written = []
    with zipfile.ZipFile(src) as inp, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in inp.infolist():
            data = inp.read(info)
            _copy(out, info.filename, data)
            if module_name(info.filename) is not None:
                cached = importlib.util.cache_from_source(info.filename)
                _copy(out, cached, unchecked_pyc(data, f"{unpack_dir}/{info.filename}"))
                written.append(cached)
    return written


def course_imports(course_zip: str) -> list[str]:
    """Every module loaded after importing each course module and rendering
    each page's default view (the worker's start on any page)."""
    sys.path.insert(0, course_zip)
    try:
        with zipfile.ZipFile(course_zip) as archive:
            names = [module_name(n) for n in archive.namelist()]
        for name in sorted(n for n in names if n):
            importlib.import_module(name)
        views = importlib.import_module("course.views")
        for page in views.PAGES:
            views.render(page, {}, None)
    finally:
        sys.path.remove(course_zip)
    return sorted(sys.modules)


def main(stdlib_in: str, stdlib_out: str, stdlib_path: str, course_in: str, course_out: str, unpack_dir: str) -> dict:
    """Write both archives (paths in the interpreter's file system)."""
    modules = course_imports(course_in)
    compiled = precompile_archive(stdlib_in, stdlib_out, modules, stdlib_path)
    bytecode = add_bytecode(course_in, course_out, unpack_dir)
    return {"stdlib_compiled": len(compiled), "course_bytecode": len(bytecode), "cache_tag": sys.implementation.cache_tag}
