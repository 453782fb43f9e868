"""Assemble the folder that GitHub Pages publishes: ``dist/``.

    python tools/dist.py [--out dist]

It holds exactly the files the site serves (``build.published_files``: the
pages, Python modules, styles, scripts, icons, the vendored runtime and the
build data), plus ``sw.js`` and ``.nojekyll`` (so Pages serves every file
as is). Run after ``./dev setup``; ``./dev dist`` does both.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from build import published_files  # noqa: E402


def assemble(out: Path) -> list[str]:
    if out.exists():
        shutil.rmtree(out)
    files = published_files() + ["sw.js"]
    for name in files:
        source = ROOT / name
        if not source.is_file():
            raise SystemExit(f"missing {name}: run ./dev setup first")
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    (out / ".nojekyll").write_text("")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    files = assemble(args.out)
    size = sum((args.out / name).stat().st_size for name in files)
    print(f"assembled {len(files)} files, {size / 1e6:.1f} MB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
