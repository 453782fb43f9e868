"""Static checks of the site: pages, links, configs and the page contract.

These run without a browser: they parse the HTML, the PyScript configs and
the view modules, and keep them in step with each other.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from course import controls, views

ROOT = Path(__file__).resolve().parent.parent
SITE_JS = (ROOT / "assets" / "js" / "site.js").read_text()
PAGES = re.findall(r'href: "([^"]+\.html)"', SITE_JS)
HTML_FILES = sorted([ROOT / "index.html", *(ROOT / "lessons").glob("*.html")])
GENERATED = ("assets/vendor/", "assets/build/")


class Page(HTMLParser):
    """Collects the parts of a page the checks need."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.urls: list[str] = []  # what the page loads (src, <link href>)
        self.links: list[str] = []  # where it points (<a href>)
        self.ids: list[str] = []
        self.controls: dict[str, dict] = {}
        self.scripts: list[dict] = []
        self.html_attrs: dict = {}
        self.meta: dict[str, str] = {}
        self._select: str | None = None
        self.title = ""
        self._in_title = False
        self.feed(path.read_text())

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "title":
            self._in_title = True
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        else:
            for key in ("href", "src"):
                if key in a:
                    self.urls.append(a[key])
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts.append(a)
        if "data-control" in a:
            self.controls[a["id"]] = {"tag": tag, **a, "options": []}
            if tag == "select":
                self._select = a["id"]
        if tag == "option" and self._select:
            self.controls[self._select]["options"].append(a.get("value"))
            if "selected" in a:
                self.controls[self._select]["selected"] = a.get("value")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


PARSED = {path.relative_to(ROOT).as_posix(): Page(path) for path in HTML_FILES}


def test_every_navigation_page_exists_and_every_page_is_in_the_navigation():
    assert sorted(PAGES) == sorted(PARSED)


REQUIRED_LESSONS = [
    "scaling-laws", "mixture-of-experts", "reasoning-models", "long-context",
    "frontier-architectures", "field-report-deepseek-r1", "exercise", "self-check",
]


def test_the_required_lesson_pages_exist():
    for slug in REQUIRED_LESSONS:
        assert (ROOT / "lessons" / f"{slug}.html").is_file()


@pytest.mark.parametrize("name", sorted(PARSED))
def test_page_basics(name):
    page = PARSED[name]
    assert page.html_attrs.get("lang") == "en"
    assert page.html_attrs.get("data-page")
    assert page.title.strip()
    assert len(page.meta.get("description", "")) > 50
    assert "viewport" in page.meta
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert "main" in page.ids


@pytest.mark.parametrize("name", sorted(PARSED))
def test_everything_a_page_loads_comes_from_the_site(name):
    page = PARSED[name]
    base = "http://site.invalid/" + name
    for url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{name} loads {url} from outside the site"
        assert not url.startswith("/"), f"{name}: absolute path {url} breaks under a sub-path"
        target = urlsplit(urljoin(base, url)).path.lstrip("/")
        if target.startswith(GENERATED):
            continue  # produced by ./dev setup; the e2e tests load them
        assert (ROOT / target).exists(), f"{name} loads missing {target}"


@pytest.mark.parametrize("name", sorted(PARSED))
def test_links_resolve_and_citations_open_safely(name):
    """Internal links resolve; external ones (citations) are https and are
    only links: following one is the reader's choice, nothing is loaded."""
    page = PARSED[name]
    base = "http://site.invalid/" + name
    for url in page.links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            assert parts.scheme == "https", f"{name}: {url} is not https"
            continue
        assert not url.startswith("/"), f"{name}: absolute path {url} breaks under a sub-path"
        target = urlsplit(urljoin(base, url)).path.lstrip("/")
        if not target or url.startswith("#"):
            continue
        assert (ROOT / target).exists(), f"{name} links to missing {target}"


@pytest.mark.parametrize("name", sorted(PARSED))
def test_python_scripts_use_the_shared_configs(name):
    page = PARSED[name]
    scripts = [s for s in page.scripts if s.get("type") in ("py", "mpy")]
    assert any(s.get("type") == "mpy" for s in scripts), "every page runs main-thread Python"
    for script in scripts:
        if script.get("type") == "py":
            assert "worker" in script and script.get("name") == "maths"
            assert script["config"].endswith("pyscript.toml")


def test_worker_config_ships_the_packed_pure_modules():
    config = tomllib.loads((ROOT / "pyscript.toml").read_text())
    assert config["files"] == {"./assets/build/course.zip": "./*"}


def test_build_packs_every_pure_module(tmp_path, monkeypatch):
    import zipfile

    sys.path.insert(0, str(ROOT / "tools"))
    import build

    monkeypatch.setattr(build, "BUILD", tmp_path)
    monkeypatch.setattr(build, "COURSE_ZIP", tmp_path / "course.zip")
    archive = build.build_course_zip()
    names = set(zipfile.ZipFile(archive).namelist())
    on_disk = {p.relative_to(ROOT / "py").as_posix() for p in (ROOT / "py" / "course").rglob("*.py")}
    assert names == on_disk


def test_build_removes_pictures_it_no_longer_draws(tmp_path, monkeypatch):
    """A picture of a figure or width that no longer exists would still be
    published and precached by the service worker."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build

    monkeypatch.setattr(build, "PLOTS", tmp_path)
    stale = tmp_path / "scaling-laws--landscape-123.svg"
    stale.write_text("<svg/>")
    written = build.build_plots()
    assert not stale.exists()
    assert sorted(tmp_path.glob("*.svg")) == sorted(written)
    assert len(written) == len(set(written)) > 0


def test_home_inline_config_matches_the_lessons_config():
    lessons = tomllib.loads((ROOT / "py" / "main.toml").read_text())
    home_script = next(s for s in PARSED["index.html"].scripts if s.get("type") == "mpy")
    home = json.loads(home_script["config"])
    assert urljoin("http://x/index.html", home["interpreter"]) == urljoin("http://x/lessons/a.html", lessons["interpreter"])
    assert {urljoin("http://x/", k): v for k, v in home["files"].items()} == {
        urljoin("http://x/py/", k): v for k, v in lessons["files"].items()
    }


def _lab_pages():
    for name, page in PARSED.items():
        key = page.html_attrs["data-page"]
        if key in views.PAGES:
            yield name, key


@pytest.mark.parametrize("name, key", list(_lab_pages()))
def test_html_controls_match_the_view_specs(name, key):
    """Ids, ranges, steps, defaults and options in the HTML are the view's."""
    page = PARSED[name]
    specs = views.load(key).CONTROLS
    assert set(page.controls) == set(specs)
    for control_id, spec in specs.items():
        html = page.controls[control_id]
        if isinstance(spec, (controls.Range, controls.Integer)) and html.get("type") == "range":
            assert float(html["min"]) == spec.low and float(html["max"]) == spec.high
            assert float(html["value"]) == spec.default
            if isinstance(spec, controls.Range):
                assert float(html["step"]) == spec.step
        elif isinstance(spec, controls.Choice):
            assert tuple(html["options"]) == spec.options
            assert html.get("selected", html["options"][0]) == spec.default
        elif isinstance(spec, controls.Number):
            assert float(html["value"]) == spec.default
        elif isinstance(spec, controls.Text):
            assert int(html.get("maxlength", spec.max_chars)) >= spec.max_chars


@pytest.mark.parametrize("name, key", list(_lab_pages()))
def test_every_readout_and_plot_of_the_view_has_an_element(name, key):
    page = PARSED[name]
    result = views.render(key, {})
    for element_id in result["readouts"]:
        assert element_id in page.ids, f"{name} lacks read-out #{element_id}"
    for figure in views.load(key).FIGURES:
        assert f"plot-{figure['id']}" in page.ids
        assert f"cap-{figure['id']}" in page.ids, "every plot has a text alternative"


def test_every_page_carries_the_shared_boilerplate():
    """CSP, icons, manifest, scripts: written by tools/pages.py, identical everywhere."""
    sys.path.insert(0, str(ROOT / "tools"))
    import pages

    for path in pages.pages():
        assert pages.normalise(path) == path.read_text(), f"run python tools/pages.py ({path.name} differs)"


def test_site_js_picks_among_the_static_picture_widths_the_build_draws(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    import build

    listed = re.search(r"var PLOT_WIDTHS = \[([0-9, ]+)\];", SITE_JS)
    assert listed, "site.js lost its PLOT_WIDTHS"
    assert tuple(int(w) for w in listed.group(1).split(",")) == build.PLOT_WIDTHS
    monkeypatch.setattr(build, "PLOTS", tmp_path)
    written = {p.name for p in build.build_plots()}
    for page in views.PAGES:
        for spec in views.load(page).FIGURES:
            for width in build.PLOT_WIDTHS:
                assert f"{page}--{spec['id']}-{width}.svg" in written


@pytest.mark.parametrize("name", [n for n in PAGES if 'id="plot-' in (ROOT / n).read_text()])
def test_plot_boxes_reserve_their_figures_height_and_no_page_loads_bokehjs_up_front(name):
    text = (ROOT / name).read_text()
    key = PARSED[name].html_attrs["data-page"]
    specs = {s["id"]: s["figure"] for s in views.load(key).FIGURES}
    boxes = re.findall(r'<div class="plot-box[^"]*" id="plot-([a-z0-9-]+)"( style="min-height: (\d+)px")?>', text)
    assert {b[0] for b in boxes} == set(specs)
    for figure_id, _, height in boxes:
        wanted = None if "width" in specs[figure_id] else specs[figure_id].get("height", 300)
        assert (int(height) if height else None) == wanted, figure_id
    # BokehJS is loaded by py/pages/lab.py on the learner's first interaction.
    assert "bokeh" not in text
