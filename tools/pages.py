"""Keep every page's boilerplate identical: ``python tools/pages.py [--check]``.

Static pages on a host that cannot send headers each need the same head: the
Content-Security-Policy meta tag, icons, the web app manifest, the stylesheet,
PyScript, and ``assets/js/site.js`` right after ``<header data-site-header>``
(so the header is drawn before the first paint); and each plot box reserves
its figure's height. BokehJS is not in the head: ``py/pages/lab.py`` loads it
when the learner reaches for a lab (see ``course/svgplot.py`` for why). This tool is the one place that boilerplate is written: it rewrites
each page's ``<head>`` from :data:`HEAD`, keeping the page's title and
description, and places the site.js script. ``--check`` changes nothing and
exits 1 if a page differs (tests/test_site.py runs it).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))  # course.views: the figures' heights

# Content-Security-Policy, as strict as PyScript, Pyodide and BokehJS allow.
# Each allowance and why (measured: removing any one breaks a page):
#   script-src 'unsafe-eval'    PyScript (polyscript) revives functions with
#                               Function() when it builds its worker, and
#                               Pyodide/MicroPython compile WebAssembly
#                               ('unsafe-eval' covers 'wasm-unsafe-eval').
#   worker-src blob:            PyScript starts its worker from a blob: URL.
#   style-src 'unsafe-inline'   BokehJS styles its plot views with inline styles.
#   img-src data:               BokehJS toolbar icons and the long-context mask
#                               picture (a PNG data: URL computed by Python).
# Everything else is 'self': no CDN, no inline script, no plugin, no <base>.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self' blob:; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; manifest-src 'self'"
)

HEAD = """<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <!-- CSP as a meta tag: GitHub Pages cannot send headers. Why each allowance is needed: tools/pages.py. -->
  <meta http-equiv="Content-Security-Policy" content="{csp}">
  <title>{title}</title>
  <meta name="description" content="{description}">
  <meta name="theme-color" content="#1f5fbf">
  <link rel="icon" href="{root}assets/icons/icon.svg" type="image/svg+xml">
  <link rel="apple-touch-icon" href="{root}assets/icons/apple-touch-icon.png">
  <link rel="manifest" href="{root}manifest.webmanifest">
  <link rel="stylesheet" href="{root}assets/css/site.css">
  <script type="module" src="{root}assets/vendor/pyscript/core.js"></script>
</head>"""

HEADER = '<header data-site-header class="site-header"></header>'
SITE_JS = '<script src="{root}assets/js/site.js"></script>'


PLOT_BOX = re.compile(r'<div class="plot-box([^"]*)" id="plot-([a-z0-9-]+)"(?: style="min-height: \d+px")?>')


def figure_heights(page_key: str) -> dict[str, int | None]:
    """Figure id -> the height its plot box reserves (None for a figure that
    scales with its width, whose box CSS gives an aspect ratio)."""
    from course import views

    return {
        spec["id"]: None if "width" in spec.get("figure", {}) else int(spec.get("figure", {}).get("height", 300))
        for spec in views.load(page_key).FIGURES
    }


def reserve_plot_heights(path: Path, text: str) -> str:
    """Each plot box reserves its figure's height (from the view's FIGURES)
    in the HTML itself, so neither the static picture nor BokehJS's figure
    that replaces it moves the page (no layout shift)."""
    if 'id="plot-' not in text:
        return text
    key = re.search(r'<html[^>]* data-page="([a-z0-9-]+)"', text)
    if not key:
        raise SystemExit(f"{path}: a page with plots needs <html data-page>")
    heights = figure_heights(key.group(1))

    def fix(match):
        figure = match.group(2)
        if figure not in heights:
            raise SystemExit(f"{path}: plot box #plot-{figure} has no figure in the {key.group(1)} view's FIGURES")
        style = f' style="min-height: {heights[figure]}px"' if heights[figure] else ""
        return f'<div class="plot-box{match.group(1)}" id="plot-{figure}"{style}>'

    return PLOT_BOX.sub(fix, text)


def pages() -> list[Path]:
    return sorted([ROOT / "index.html", *(ROOT / "lessons").glob("*.html")])


def normalise(path: Path) -> str:
    text = path.read_text()
    root = "" if path.parent == ROOT else "../"
    head = re.search(r"<head>.*?</head>", text, re.S)
    if not head:
        raise SystemExit(f"{path}: no <head>")
    title = re.search(r"<title>(.*?)</title>", head.group(0), re.S)
    description = re.search(r'<meta name="description" content="([^"]*)">', head.group(0))
    if not title or not description:
        raise SystemExit(f"{path}: a page needs a <title> and a meta description")
    new_head = HEAD.format(
        csp=CSP,
        title=title.group(1),
        description=description.group(1),
        root=root,
    )
    text = text[: head.start()] + new_head + text[head.end():]
    # site.js: exactly once, directly after the header placeholder.
    text = re.sub(r'\n?[ \t]*<script src="(\.\./)?assets/js/site\.js"( defer)?></script>', "", text)
    if HEADER not in text:
        raise SystemExit(f"{path}: no {HEADER}")
    indent = re.search(r"([ \t]*)" + re.escape(HEADER), text).group(1)
    text = text.replace(HEADER, HEADER + "\n" + indent + SITE_JS.format(root=root), 1)
    text = reserve_plot_heights(path, text)
    html.unescape(title.group(1))  # a title with broken entities fails loudly here
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report pages that differ; change nothing")
    args = parser.parse_args(argv)
    differing = []
    for path in pages():
        wanted = normalise(path)
        if wanted != path.read_text():
            differing.append(path.relative_to(ROOT).as_posix())
            if not args.check:
                path.write_text(wanted)
    if args.check and differing:
        print("pages whose boilerplate differs (run python tools/pages.py):", *differing, sep="\n  ")
        return 1
    if differing:
        print("rewrote", *differing, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
