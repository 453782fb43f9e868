"""The one boundary between page Python and JavaScript (main thread).

Runs under MicroPython on the page's main thread (PyScript ``type="mpy"``).
Every ``create_proxy``, ``to_js``, DOM and BokehJS call of the page modules
goes through here, so the rest of the page code reads as plain Python.

Why each piece exists:

* ``on`` wraps handlers with ``create_proxy``: a bare Python function handed
  to ``addEventListener`` is released after its first call, and the control
  then silently stops updating (PyScript ``pyscript/ffi.py`` explains).
* JSON from the worker is parsed by the browser (``JSON.parse``) and kept as
  JavaScript objects: plot columns go straight into BokehJS data sources
  without being copied through MicroPython.
* ``render_figure`` turns the declarative figure specs of the pure view
  modules (``py/course/views``) into BokehJS figures, themed from the page's
  CSS colours (light or dark).
* ``progress``, ``fail`` and ``ready`` call ``window.stage07`` (assets/js/site.js),
  which owns the start-up indicator, the error panel and ``data-py-ready``.

MicroPython is not CPython: keep this module to the subset both share.
"""

import json

from pyscript import document, window
from pyscript.ffi import create_proxy, to_js

_site = window.stage07
_proxies = []  # keep every proxy alive for the page's lifetime


# ------------------------------------------------------------------ site shell


def progress(stage):
    _site.progress(stage)


def main_started():
    """Tell the worker's Pyodide loader that this thread's start-up work is
    done, so Pyodide's CPU-heavy start no longer competes with it
    (assets/js/pyodide-loader.mjs, mainThreadStarted)."""
    _site.mainStarted()


def fail(title, detail="", hint=""):
    _site.fail(title, detail, hint)


def ready():
    _site.ready()


def site_root():
    return str(_site.root)


def now():
    return window.performance.now()


def latency_log():
    """A JS array, window.stage07.latencies, that the benchmark reads."""
    log = window.Array.new()
    _site.latencies = log
    return log


def record_latency(log, control_id, milliseconds):
    log.push(to_js([control_id, milliseconds]))


# ------------------------------------------------------------------ DOM


def element(element_id):
    return document.getElementById(element_id)


def query_all(selector):
    nodes = document.querySelectorAll(selector)
    return [nodes.item(i) for i in range(nodes.length)]


def set_text(node, text):
    node.textContent = text


def set_readout(element_id, value, text):
    """Write one read-out: human text, raw number in data-value."""
    node = document.getElementById(element_id)
    if node:
        node.textContent = text
        node.setAttribute("data-value", value)


def checked_value(container, name):
    """The value of the checked radio button called ``name`` inside
    ``container``, or None when none is checked."""
    nodes = container.querySelectorAll("input[type=radio]")
    for i in range(nodes.length):
        node = nodes.item(i)
        if str(node.name) == name and node.checked:
            return str(node.value)
    return None


def fire_input(node):
    """Dispatch an ``input`` event on ``node``, as if the learner had typed:
    whatever listens (the lab runner) updates."""
    node.dispatchEvent(window.Event.new("input", to_js({"bubbles": True})))


def random_int(low, high):
    """A whole number from ``low`` to ``high`` (Math.random: not for secrets)."""
    return low + int(window.Math.floor(window.Math.random() * (high - low + 1)))


def on_submit(form, handler):
    """Call ``handler(event)`` when ``form`` is submitted (button or Enter),
    without the browser's navigation."""

    def submitted(event):
        event.preventDefault()
        handler(event)

    return on(form, "submit", submitted)


def on(node, event_name, handler):
    """addEventListener with a proxy that outlives the first call."""
    proxy = create_proxy(handler)
    _proxies.append(proxy)
    node.addEventListener(event_name, proxy)
    return proxy


def callback(handler):
    """A JavaScript function that calls ``handler`` for the page's lifetime
    (e.g. for ``promise.then``); made once, reused for every call."""
    proxy = create_proxy(handler)
    _proxies.append(proxy)
    return proxy


class Timer:
    """A reusable setTimeout: one proxy for the page's lifetime, however often
    it is started (``later`` makes a new proxy per call)."""

    def __init__(self, handler):
        self.handler = handler
        self.timer_id = None
        self.proxy = create_proxy(self._fire)
        _proxies.append(self.proxy)

    def _fire(self, *args):
        self.timer_id = None
        self.handler()

    def start(self, delay_ms):
        """(Re)start: ``handler`` runs once, ``delay_ms`` from now."""
        self.cancel()
        self.timer_id = window.setTimeout(self.proxy, delay_ms)

    def cancel(self):
        if self.timer_id is not None:
            window.clearTimeout(self.timer_id)
            self.timer_id = None


def later(handler, delay_ms):
    """setTimeout with a kept proxy; returns the timer id. For a timeout set
    again and again, use a ``Timer``."""
    proxy = create_proxy(handler)
    _proxies.append(proxy)
    return window.setTimeout(proxy, delay_ms)


def cancel(timer_id):
    window.clearTimeout(timer_id)


def when_visible(node, callback, margin="300px"):
    """Call ``callback()`` once, when ``node`` comes within ``margin`` of the
    viewport (IntersectionObserver; it also fires at once for a node already
    in view)."""

    def changed(entries, observer):
        for i in range(entries.length):
            if entries[i].isIntersecting:
                observer.disconnect()
                callback()
                return

    proxy = create_proxy(changed)
    _proxies.append(proxy)
    observer = window.IntersectionObserver.new(proxy, to_js({"rootMargin": margin}))
    observer.observe(node)
    return observer


def reduced_motion():
    return bool(window.matchMedia("(prefers-reduced-motion: reduce)").matches)


def render_quiz(abilities, questions):
    """Replace the self-check's question cards: ``questions`` is the view's
    JS array of questions, each card goes into ``#questions-<ability>``.
    Built by ``stage07.renderQuiz`` (assets/js/site.js) in one call, text
    through textContent only."""
    _site.renderQuiz(to_js(list(abilities)), questions)


def render_blocks(node, blocks):
    """Fill ``node`` with text blocks, never markup.

    ``blocks`` is a JS array of objects ``{tag, text}`` (tag one of h4 (a
    panel heading, drawn as an h3), p, code, li; anything else is a p) or
    ``{tag: "table", head: [...], rows: [[...]]}``. The DOM is built by
    ``stage07.renderBlocks`` (assets/js/site.js) in one call: cell by cell
    from here would cross the JS boundary hundreds of times per update.
    Every string lands in the DOM through textContent, so typed text is
    shown as text.
    """
    _site.renderBlocks(node, blocks)


def render_table(node, head, rows, button_label=None):
    """Fill ``node`` with one scrollable table of text cells (``head``: JS
    array of column names, ``rows``: JS array of arrays of text); with
    ``button_label``, each row ends with a button carrying ``data-row`` (its
    index) and the accessible name ``button_label`` + row number. Built by
    ``stage07.renderTable`` (assets/js/site.js), textContent only."""
    _site.renderTable(node, head, rows, button_label)


def data_attribute(event, name):
    """``data-<name>`` of the element an event came from, or None."""
    value = event.target.getAttribute("data-" + name)
    return None if value is None else str(value)


def prevent_default(event):
    event.preventDefault()


# ------------------------------------------------------------------ storage and files


def storage_get(key):
    """localStorage[key] as a string, or None when absent or when storage is
    unavailable (private windows, disabled cookies, a file:// origin): the
    page then simply forgets on reload instead of failing."""
    try:
        value = window.localStorage.getItem(key)
    except Exception:  # noqa: BLE001 - SecurityError in some browsers
        return None
    return None if value is None else str(value)


def storage_set(key, text):
    """Store ``text``; returns False (and stores nothing) when the browser
    refuses (storage disabled or its quota full)."""
    try:
        window.localStorage.setItem(key, text)
    except Exception:  # noqa: BLE001 - QuotaExceededError, SecurityError
        return False
    return True


def storage_remove(key):
    try:
        window.localStorage.removeItem(key)
    except Exception:  # noqa: BLE001
        pass


def download(filename, text, mime="text/plain"):
    """Offer ``text`` as a file download (a Blob and a temporary <a download>),
    no server involved."""
    blob = window.Blob.new(to_js([text]), to_js({"type": mime + ";charset=utf-8"}))
    url = window.URL.createObjectURL(blob)
    link = document.createElement("a")
    link.href = url
    link.download = filename
    link.hidden = True
    document.body.appendChild(link)
    link.click()
    link.remove()
    window.setTimeout(lambda: window.URL.revokeObjectURL(url), 1000)


async def read_file(input_node, max_bytes):
    """The text of the first file chosen in ``<input type=file>``, or a
    ``(None, reason)`` pair when there is none or it is larger than
    ``max_bytes`` (checked before reading, so a huge file is never loaded)."""
    files = input_node.files
    if not files or files.length == 0:
        return None, "No file was chosen."
    chosen = files.item(0)
    size = int(chosen.size)
    if size > max_bytes:
        return None, "The file is " + str(size) + " bytes; the limit is " + str(max_bytes) + " bytes."
    return str(await chosen.text()), None


def file_name(input_node):
    """The name of the first file chosen in ``<input type=file>`` ("" if none)."""
    files = input_node.files
    if not files or files.length == 0:
        return ""
    return str(files.item(0).name)


# ------------------------------------------------------------------ URL


def query_params():
    """The page's URL query as a Python dict of strings (last value wins)."""
    params = window.URLSearchParams.new(window.location.search)
    keys = window.Array["from"](params.keys())
    return {str(keys[i]): str(params.get(keys[i])) for i in range(keys.length)}


def replace_query(params):
    """Rewrite the URL query without a navigation (history.replaceState)."""
    search = window.URLSearchParams.new(to_js(params)).toString()
    url = window.location.pathname + ("?" + search if search else "") + window.location.hash
    window.history.replaceState(None, "", url)


# ------------------------------------------------------------------ data


def parse_json(text):
    """JSON text to a JavaScript object (JsProxy), parsed by the browser."""
    return window.JSON.parse(text)


def to_python(js_object):
    """A small JSON-able JS object to Python (for specs, not plot columns)."""
    return json.loads(window.JSON.stringify(js_object))


def json_text(js_object):
    """JSON.stringify of a JS object, as a Python string (to compare states)."""
    return str(window.JSON.stringify(js_object))


def keys(js_object):
    names = window.Object.keys(js_object)
    return [str(names[i]) for i in range(names.length)]


async def fetch_text(url):
    response = await window.fetch(url)
    if not response.ok:
        raise OSError("HTTP " + str(response.status) + " for " + url)
    return await response.text()


def expose_worker(exports):
    """window.stage07.maths: the worker's exports, for the in-page self-check
    test and the benchmark (``await stage07.maths.self_check()``)."""
    _site.maths = exports


async def worker(name):
    """The exports of a named PyScript worker, once it is ready."""
    from pyscript import workers

    return await workers[name]


# ------------------------------------------------------------------ BokehJS


async def next_task():
    """Yield to the browser (a new task): keeps each piece of start-up work
    short, so no single long task blocks input (Lighthouse's TBT)."""
    await window.Promise.new(lambda resolve, reject: window.setTimeout(resolve, 0))


BOKEH_SCRIPTS = ("assets/vendor/bokeh/bokeh.min.js", "assets/vendor/bokeh/bokeh-api.min.js")


async def load_bokeh():
    """Load BokehJS (its two scripts, in order) unless it is already there.

    Not in the page's <head>: evaluating it is a ~120 ms task that the page
    only pays once the learner reaches for a lab (py/pages/lab.py); the
    service worker has it cached for offline use."""
    bokeh = getattr(window, "Bokeh", None)  # an undefined global raises
    if bokeh and getattr(bokeh, "Plotting", None):
        return
    await _site.loadScripts(to_js([site_root() + path for path in BOKEH_SCRIPTS]))


INTENT_EVENTS = ("pointermove", "pointerdown", "touchstart", "keydown", "focusin", "wheel")


def on_first_intent(handler):
    """Call ``handler()`` once, at the first sign that the learner is using the
    page: the pointer moves, a touch, a key, focus moving, the wheel."""
    fired = []
    options = to_js({"capture": True, "passive": True})

    def fire(event):
        if fired:
            return
        target = event.target
        if target and getattr(target, "closest", None) and target.closest("#update-notice"):
            # Reaching for "Reload to update" is not use of the lab: the page
            # is about to go. (Loading BokehJS while the service worker hands
            # over also left Chromium's switch to the new worker hanging.)
            return
        fired.append(True)
        for name in INTENT_EVENTS:
            document.removeEventListener(name, proxy, options)
        handler()

    proxy = create_proxy(fire)
    _proxies.append(proxy)
    for name in INTENT_EVENTS:
        document.addEventListener(name, proxy, options)


def _css_colour(name, fallback):
    value = window.getComputedStyle(document.documentElement).getPropertyValue(name)
    value = str(value).strip()
    return value or fallback


def theme_colours():
    return {
        "fg": _css_colour("--fg", "#1d1f24"),
        "muted": _css_colour("--fg-muted", "#50555f"),
        "border": _css_colour("--border", "#d9d5cb"),
        "panel": _css_colour("--bg-raised", "#ffffff"),
        "accent": _css_colour("--accent", "#1f5fbf"),
    }


def _resolve(value, colours):
    """Turn spec markers into BokehJS objects: {"$model": name, ...} builds a
    model, {"$palette": name} a palette, {"$theme": key} a theme colour."""
    if isinstance(value, dict):
        if "$palette" in value:
            return window.Bokeh.Palettes[value["$palette"]]
        if "$theme" in value:
            return colours.get(value["$theme"], "#888888")
        if "$model" in value:
            attrs = {k: _resolve(v, colours) for k, v in value.items() if k != "$model"}
            return getattr(window.Bokeh, value["$model"]).new(to_js(attrs))
        return {k: _resolve(v, colours) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, colours) for v in value]
    return value


def same_data(a, b):
    """Whether two JS column objects hold the same data, numbers to a
    relative 1e-9 (``stage07.sameData`` in assets/js/site.js)."""
    return bool(_site.sameData(a, b))


def make_source(columns):
    """A ColumnDataSource from a JS object of columns."""
    return window.Bokeh.ColumnDataSource.new(to_js({"data": columns}))


def set_source(source, columns):
    """Replace a source's data whole (BokehJS redraws what uses it)."""
    source.data = columns


def _style(fig, colours):
    fig.background_fill_color = colours["panel"]
    fig.border_fill_color = colours["panel"]
    fig.outline_line_color = colours["border"]
    fig.title.text_color = colours["fg"]
    for axes in (fig.xaxes, fig.yaxes):
        for i in range(axes.length):
            axis = axes[i]
            axis.axis_label_text_color = colours["fg"]
            axis.major_label_text_color = colours["muted"]
            axis.axis_line_color = colours["muted"]
            axis.major_tick_line_color = colours["muted"]
            axis.minor_tick_line_color = colours["border"]
    for grids in (fig.xgrids, fig.ygrids):
        for i in range(grids.length):
            grids[i].grid_line_color = colours["border"]


async def render_figure(spec, sources, container):
    """Build one BokehJS figure from a view module's spec and show it.

    ``spec`` (Python dict): ``figure`` (keyword arguments of
    ``Bokeh.Plotting.figure``), ``glyphs`` (each ``kind`` = a figure method
    such as line/scatter/image/rect/vbar/text, ``source`` = a data-source name,
    ``fields`` = glyph property -> column, ``props`` = literal properties),
    and optional ``hover`` = [[label, "@column"], ...].
    """
    Bokeh = window.Bokeh  # loaded by a deferred <script> on lab pages only
    colours = theme_colours()
    options = _resolve(spec.get("figure", {}), colours)
    options.setdefault("sizing_mode", "stretch_width")
    options.setdefault("toolbar_location", None)
    fig = Bokeh.Plotting.figure(to_js(options))
    renderers = []
    for glyph in spec.get("glyphs", []):
        args = _resolve(glyph.get("props", {}), colours)
        for prop, column in glyph.get("fields", {}).items():
            args[prop] = {"field": column}
        js_args = to_js(args)
        js_args.source = sources[glyph["source"]]
        renderers.append(getattr(fig, glyph["kind"])(js_args))
    if spec.get("hover"):
        fig.add_tools(Bokeh.HoverTool.new(to_js({"tooltips": spec["hover"]})))
    legend = spec.get("legend")
    if legend and fig.legend:
        fig.legend.location = legend
        fig.legend.background_fill_color = colours["panel"]
        fig.legend.background_fill_alpha = 0.8
        fig.legend.label_text_color = colours["fg"]
        fig.legend.border_line_color = colours["border"]
    _style(fig, colours)
    await Bokeh.Plotting.show(fig, container)
    # The static picture (assets/js/site.js) lay over the box while BokehJS
    # drew beneath it: no blank frame, no layout shift.
    static = container.querySelector(".plot-static")
    if static:
        static.remove()
    container.setAttribute("data-drawn", "true")
    return fig
