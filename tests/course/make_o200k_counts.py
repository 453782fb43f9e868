"""Regenerate ``reasoning_o200k_counts.json``: the token counts of every text
of :mod:`course.reasoning` under OpenAI's real o200k_base tokenizer, the
oracle that ``test_reasoning.py`` checks the approximate counter against.

The real tokenizer is the npm package ``gpt-tokenizer`` (pure JavaScript, the
o200k_base ranks bundled, so nothing is downloaded at run time). It is not a
dependency of the site; install it anywhere, then point this script at it::

    npm install --prefix /tmp/o200k gpt-tokenizer@3.4.0
    .venv/bin/python tests/course/make_o200k_counts.py /tmp/o200k/node_modules

Each entry keeps the sha256 of its text, so an edited trace fails the test
until the counts are regenerated.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "py"))

from course import reasoning  # noqa: E402

OUT = Path(__file__).with_name("reasoning_o200k_counts.json")

COUNT_JS = """
// node -e puts the script's own arguments from argv[1] on.
const {encode} = require(process.argv[1] + '/gpt-tokenizer/cjs/encoding/o200k_base');
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const [key, text] of Object.entries(texts)) out[key] = encode(text).length;
process.stdout.write(JSON.stringify(out));
"""


def texts() -> dict[str, str]:
    """Every prompt, trace and answer the page can show, by a stable key."""
    found = {}
    for key, problem in reasoning.PROBLEMS.items():
        found[f"{key}/prompt"] = problem.prompt
        for effort, shown in zip(reasoning.EFFORTS, problem.responses):
            if shown.trace:
                found[f"{key}/{effort}/trace"] = shown.trace
            found[f"{key}/{effort}/answer"] = shown.answer
    return found


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def main(node_modules: str) -> None:
    items = texts()
    with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
        json.dump(items, handle)
        handle.flush()
        result = subprocess.run(
            ["node", "-e", COUNT_JS, str(Path(node_modules).resolve()), handle.name],
            check=True, capture_output=True, text=True,
        )
    counts = json.loads(result.stdout)
    version = json.loads((Path(node_modules) / "gpt-tokenizer" / "package.json").read_text())["version"]
    OUT.write_text(json.dumps(
        {
            "tokenizer": f"o200k_base via npm gpt-tokenizer {version}",
            "counts": {key: {"sha256": sha256(text), "tokens": counts[key]} for key, text in items.items()},
        },
        indent=1,
    ) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(items)} texts)")


if __name__ == "__main__":
    main(sys.argv[1])
