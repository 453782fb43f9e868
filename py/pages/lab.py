"""The generic lab runner every page module calls (MicroPython, main thread).

A page's work is split in two:

* the *pure view* of the page (``py/course/views/<page>.py``) runs under
  Pyodide in the ``maths`` worker: raw control values in, read-outs, plot
  columns, captions, panels and notices out (one JSON document);
* this runner wires the page's controls (every element with
  ``data-control``) to that view and applies its answer to the DOM and the
  BokehJS sources.

Start-up order, so the page is useful before Python's interpreter is:

1. every plot box already shows a static picture of the page's default view
   (drawn at build time by ``course.svgplot``; ``assets/js/site.js`` puts it
   in); fetch ``assets/build/<page>.json`` (the same view, computed at build
   time under CPython): figure specs and read-outs, shown at once;
2. wire the controls; input events queue an update;
3. when the worker answers, compute the view of the current controls and the
   URL query (clamped values come back with a notice), apply it, and set
   ``data-py-ready``.

BokehJS is loaded, and takes over from the pictures, at the learner's first
sign of use (pointer, touch, key, focus, wheel or input: ``go_live``) or as
soon as a computed view differs from the pictured one (a shared link, stored
results). A visit that only reads never pays for it: evaluating BokehJS and
drawing a figure are 100+ ms main-thread tasks each, which made up most of
Lighthouse's total blocking time (README, "Performance"). Figures are then
drawn one task each as they near the viewport; until then an update only
stores the latest columns.

Updates are coalesced: while one request is in flight, further input only
marks the state dirty, and the latest state is sent when the answer lands,
so a fast slider never builds a queue. Each update's latency (input event to
applied read-outs) is recorded in ``window.stage07.latencies`` for the
benchmark.
"""

import json

import jsboundary as js

WORKER_NAME = "maths"


class Lab:
    def __init__(self, page, on_result=None, extra_state=None):
        self.page = page
        self.on_result = on_result  # called with the parsed result after each apply
        self.extra_state = extra_state  # callable -> dict merged into the raw state
        self.sources = {}  # name -> BokehJS ColumnDataSource, once live
        self.columns = {}  # name -> latest columns (JS object), drawn or not
        self.specs = []
        self.live = False  # BokehJS requested (go_live)
        self.figures = {}
        self.shown = {}  # source/panel key -> JSON text last applied
        self.in_flight = None
        self.answered_proxy = js.callback(self._answered)
        self.failed_proxy = js.callback(self._failed)
        self.query = None
        self.query_timer = js.Timer(self._write_query)
        self.notices_shown = None
        self.previous = None
        self.maths = None
        self.busy = False
        self.dirty = False
        self.pending_since = None
        self.pending_control = None
        self.controls = js.query_all("[data-control]")
        self.url_params = js.query_params()
        self.first = True
        self.latencies = js.latency_log()

    # -------------------------------------------------------------- reading

    def read_controls(self, url_params=None):
        raw = {}
        for node in self.controls:
            if str(node.type) == "checkbox":
                raw[str(node.id)] = "1" if node.checked else "0"
            else:
                raw[str(node.id)] = str(node.value)
        if url_params:
            raw.update(url_params)
        # The page's own state (a view's STATE) comes last: a link never sets it.
        if self.extra_state:
            raw.update(self.extra_state())
        return raw

    def write_controls(self, state, sent=None):
        """Show the validated state (clamped values, the link's values) in the
        controls, but never over a control the learner has changed since
        ``sent`` left: that newer value belongs to the next update."""
        for node in self.controls:
            key = str(node.id)
            if key not in state:
                continue
            value = state[key]
            if str(node.type) == "checkbox":
                current = "1" if node.checked else "0"
                if sent is None or current == sent.get(key, current):
                    node.checked = value in (1, True, "1")
                continue
            current = str(node.value)
            unchanged = sent is None or current == sent.get(key, current)
            if unchanged and current != str(value) and js.document.activeElement != node:
                node.value = str(value)

    # -------------------------------------------------------------- applying

    def apply(self, result, sources=True):
        readouts = result.readouts
        for key in js.keys(readouts):
            item = readouts[key]
            js.set_readout(key, item.value, item.text)
        if sources and result.sources:
            for name in js.keys(result.sources):
                columns = result.sources[name]
                if self.changed("source:" + name, columns):
                    if name in self.sources:
                        js.set_source(self.sources[name], columns)
                    elif not self.live and not js.same_data(self.columns.get(name), columns):
                        # The static pictures no longer show this view. (Equal
                        # up to the last bits of a float: Pyodide's libm and
                        # the build's CPython may round differently.)
                        self.go_live()
                    self.columns[name] = columns
        if result.captions:
            for key in js.keys(result.captions):
                node = js.element("cap-" + key)
                if node:
                    js.set_text(node, result.captions[key])
        if result.panels:
            for key in js.keys(result.panels):
                node = js.element(key)
                if node and self.changed("panel:" + key, result.panels[key]):
                    js.render_blocks(node, result.panels[key])
        if result.show:
            # Elements shown only for some settings (e.g. a pattern's knobs).
            for key in js.keys(result.show):
                node = js.element(key)
                if node:
                    node.hidden = not result.show[key]
        if result.outputs:
            # Text shown beside a control (the <output> of a slider).
            for key in js.keys(result.outputs):
                node = js.element(key)
                if node:
                    js.set_text(node, result.outputs[key])

    def apply_notices(self, notices, from_url):
        text = json.dumps(notices)
        if text == self.notices_shown and not from_url:
            return  # nothing changed: skip the DOM writes
        self.notices_shown = text
        summary = js.element("lab-notices")
        lines = []
        for node in self.controls:
            key = str(node.id)
            message = notices.get(key, "")
            slot = js.element(key + "-msg")
            if slot:
                js.set_text(slot, message)
            if message:
                node.setAttribute("aria-invalid", "true")
                if from_url:
                    lines.append("Link parameter " + key + ": " + message)
            else:
                node.removeAttribute("aria-invalid")
        if summary is not None:
            if lines:
                blocks = [{"tag": "p", "text": line} for line in lines]
                js.render_blocks(summary, js.parse_json(json.dumps(blocks)))
            elif not from_url:
                summary.replaceChildren()

    def _write_query(self):
        js.replace_query(self.query)

    def changed(self, key, value):
        """Whether ``value`` (a JS object) differs from what ``key`` last showed.

        An unchanged plot source or panel is not written again: reassigning a
        source makes BokehJS redraw its figure, and a panel rebuilds its DOM,
        which on a page of many plots costs more than the maths."""
        text = js.json_text(value)
        if self.shown.get(key) == text:
            return False
        self.shown[key] = text
        return True

    # -------------------------------------------------------------- figures

    def show_build(self, build):
        """Read-outs of the build-time view; its plot columns are what the
        static pictures show, so they count as shown."""
        sources = build.initial.sources
        for name in js.keys(sources):
            self.columns[name] = sources[name]
            self.shown["source:" + name] = js.json_text(sources[name])
        self.specs = js.to_python(build.figures)
        self.apply(build.initial, sources=False)

    def go_live(self):
        """Load BokehJS and swap each static picture for its live figure."""
        if self.live or not self.specs:
            return
        self.live = True
        import asyncio

        asyncio.create_task(self._go_live())

    async def _go_live(self):
        try:
            await js.load_bokeh()
        except Exception as error:  # noqa: BLE001 - shown to the learner
            js.fail("The plotting library could not be loaded", repr(error),
                    "The read-outs still work. Reload the page to get the live plots back.")
            return
        for name in self.columns:
            self.sources[name] = js.make_source(self.columns[name])
        # Each figure is drawn in its own task as it nears the viewport:
        # BokehJS needs 50-150 ms per figure, and drawing them all at once
        # would block input for the sum. Sources exist from now on, so updates
        # reach undrawn figures.
        for spec in self.specs:
            box = js.element("plot-" + spec["id"])
            if box:
                js.when_visible(box, self._drawer(spec, box))

    def _drawer(self, spec, box):
        def draw_now():
            import asyncio

            asyncio.create_task(self._draw_one(spec, box))

        return draw_now

    async def _draw_one(self, spec, box):
        await js.next_task()
        try:
            self.figures[spec["id"]] = await js.render_figure(spec, self.sources, box)
        except Exception as error:  # noqa: BLE001 - shown to the learner
            js.fail("A plot could not be drawn", repr(error), "Reload the page; if it happens again, please report it.")

    # -------------------------------------------------------------- updates

    def on_input(self, event):
        if self.pending_since is None:
            self.pending_since = event.timeStamp
            self.pending_control = str(event.target.id)
        self.dirty = True
        if not self.busy and self.maths is not None:
            self.send()

    # Updates run on promise callbacks, not asyncio tasks: an asyncio task
    # starts on a later turn of the event loop (about 5 ms later in the
    # browser), which the learner would feel on every slider step.

    def send(self):
        """Send the controls as they stand now; the answer lands in _answered."""
        self.busy = True
        self.dirty = False
        self.in_flight = (self.read_controls(), self.pending_since, self.pending_control)
        self.pending_since = None
        raw = self.in_flight[0]
        promise = self.maths.view(self.page, json.dumps(raw), json.dumps(self.previous))
        promise.then(self.answered_proxy, self.failed_proxy)

    def _answered(self, text):
        raw, started, control = self.in_flight
        try:
            self.finish(text, raw, from_url=False)
        except Exception as error:  # noqa: BLE001 - shown to the learner
            self._failed(repr(error))
            return
        if started is not None:
            js.record_latency(self.latencies, control, js.now() - started)
        if self.dirty:
            self.send()
        else:
            self.busy = False

    def _failed(self, error):
        self.busy = False
        js.fail("The lab's Python raised an error", str(error), "Reload the page; if it happens again, please report it.")

    async def compute(self, raw, from_url):
        text = await self.maths.view(self.page, json.dumps(raw), json.dumps(self.previous))
        return self.finish(text, raw, from_url)

    def finish(self, text, raw, from_url):
        """Apply the worker's answer ``text`` to the page."""
        result = js.parse_json(text)
        state = js.to_python(result.state)
        notices = js.to_python(result.notices)
        self.previous = state
        self.write_controls(state, None if from_url else raw)
        self.apply(result)
        self.apply_notices(notices, from_url)
        query = js.to_python(result.query)
        # A first visit without a query keeps its clean URL; afterwards the
        # URL always holds the state, so a copied link reproduces the view.
        # history.replaceState costs several ms (a style recalculation), so
        # while a slider moves the URL is written once it rests (250 ms).
        if query is not None and (not self.first or self.url_params):
            self.query = query
            self.query_timer.start(250)
        self.first = False
        if self.on_result:
            self.on_result(result)
        return result

    # -------------------------------------------------------------- start

    async def start(self):
        js.progress("runtime")
        build_url = js.site_root() + "assets/build/" + self.page + ".json"
        build = js.parse_json(await js.fetch_text(build_url))
        self.show_build(build)
        js.on_first_intent(self.go_live)
        for node in self.controls:
            kind = "change" if str(node.tagName) == "SELECT" or str(node.type) == "checkbox" else "input"
            js.on(node, kind, self.on_input)
        js.main_started()
        self.maths = await js.worker(WORKER_NAME)
        js.expose_worker(self.maths)
        js.progress("lab")
        raw = self.read_controls(self.url_params)
        self.dirty = False
        self.busy = True  # input during the first answer waits for it
        try:
            await self.compute(raw, from_url=bool(self.url_params))
        finally:
            self.busy = False
        if self.dirty:
            self.send()  # input arrived while the first answer was computed
        js.ready()


async def _run(lab):
    try:
        await lab.start()
    except Exception as error:  # noqa: BLE001 - the learner sees this
        js.fail(
            "This lab could not start",
            repr(error),
            "Reload the page. If it happens again, run ./dev test to find the failing check.",
        )


def run(page, on_result=None, extra_state=None):
    """Start the lab for ``page`` (a key of course.views.PAGES)."""
    import asyncio

    lab = Lab(page, on_result=on_result, extra_state=extra_state)
    asyncio.create_task(_run(lab))
    return lab
