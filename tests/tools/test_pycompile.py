"""tools/pycompile.py under the native CPython: the bytecode files it writes
are the ones CPython's own importers load, without reading the source.

(At build time the same code runs inside Pyodide, whose CPython has another
magic number; e2e/test_boot.py checks the browser loads that bytecode.)"""

from __future__ import annotations

import importlib.util
import marshal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import pycompile  # noqa: E402

SOURCES = {
    "pkg/__init__.py": b"ORIGIN = 'pkg source'\n",
    "pkg/mod.py": b"def answer():\n    return 6 * 7\n",
    "other.py": b"NAME = 'other source'\n",
    "data.txt": b"not python",
}


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def run_python(code: str, *path: Path) -> str:
    """Run ``code`` in a fresh interpreter with ``path`` first on sys.path
    and bytecode writing off (so nothing is cached behind the test's back)."""
    prelude = f"import sys; sys.path[:0] = {[str(p) for p in path]!r}; "
    out = subprocess.run([sys.executable, "-B", "-c", prelude + code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.parametrize(
    ("member", "module"),
    [("json/__init__.py", "json"), ("json/decoder.py", "json.decoder"), ("os.py", "os"), ("a/b.pyc", None), ("x.txt", None)],
)
def test_module_name_of_a_zip_member(member, module):
    assert pycompile.module_name(member) == module


def test_unchecked_pyc_has_the_pep_552_header_and_the_code():
    source = b"x = 1 + 2\n"
    pyc = pycompile.unchecked_pyc(source, "/somewhere/x.py")
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, source not checked
    assert pyc[8:16] == importlib.util.source_hash(source)
    code = marshal.loads(pyc[16:])
    namespace: dict = {}
    exec(code, namespace)
    assert namespace["x"] == 3 and code.co_filename == "/somewhere/x.py"


def test_unchecked_pyc_reports_syntax_errors_with_the_file_name():
    with pytest.raises(SyntaxError) as error:
        pycompile.unchecked_pyc(b"def broken(:\n", "/lib/broken.py")
    assert error.value.filename == "/lib/broken.py"


def test_precompiled_archive_stores_chosen_modules_as_bytecode_only(tmp_path):
    src = make_zip(tmp_path / "src.zip", SOURCES)
    dest = tmp_path / "out.zip"
    compiled = pycompile.precompile_archive(str(src), str(dest), ["pkg", "pkg.mod", "absent"], str(dest))
    assert compiled == ["pkg", "pkg.mod"]
    names = set(zipfile.ZipFile(dest).namelist())
    assert names == {"pkg/__init__.pyc", "pkg/mod.pyc", "other.py", "data.txt"}
    assert zipfile.ZipFile(dest).read("data.txt") == b"not python"
    # zipimport loads the bytecode; the module left as source still imports.
    out = run_python(
        "import pkg.mod, other; print(pkg.mod.__file__.endswith('mod.pyc'), pkg.mod.answer(), pkg.ORIGIN, other.NAME)",
        dest,
    )
    assert out == "True 42 pkg source other source"


def test_added_bytecode_is_used_without_reading_the_source(tmp_path):
    src = make_zip(tmp_path / "src.zip", SOURCES)
    dest = tmp_path / "out.zip"
    written = pycompile.add_bytecode(str(src), str(dest), "/home/pyodide")
    tag = sys.implementation.cache_tag
    assert sorted(written) == sorted(
        [f"pkg/__pycache__/__init__.{tag}.pyc", f"pkg/__pycache__/mod.{tag}.pyc", f"__pycache__/other.{tag}.pyc"]
    )
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(dest).extractall(unpacked)
    assert (unpacked / "pkg" / "mod.py").read_bytes() == SOURCES["pkg/mod.py"]  # sources stay
    # Change a source after the build: an unchecked pyc is still what loads,
    # which proves the importer never compiled the source.
    (unpacked / "pkg" / "mod.py").write_text("def answer():\n    return 0\n")
    assert run_python("import pkg.mod; print(pkg.mod.answer())", unpacked) == "42"
    # The traceback file name is where the module really is, not the build's.
    shown = run_python("import pkg.mod; print(pkg.mod.answer.__code__.co_filename)", unpacked)
    assert shown == str(unpacked / "pkg" / "mod.py")


def test_without_bytecode_the_source_is_compiled(tmp_path):
    """The control case of the test above: the same edit is seen when there
    is no bytecode, so that test can fail."""
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(make_zip(tmp_path / "src.zip", SOURCES)).extractall(unpacked)
    (unpacked / "pkg" / "mod.py").write_text("def answer():\n    return 0\n")
    assert run_python("import pkg.mod; print(pkg.mod.answer())", unpacked) == "0"
