/* Stage 07 - Modern LLMs: the site shell, shared by every page.
 *
 * A classic (non-module) deferred script on purpose: it must also run when a
 * page is opened from file://, where browsers refuse module scripts, so that
 * it can explain what to do instead of leaving a blank lab.
 *
 * It does four things and nothing else:
 *  1. renders the header, navigation and footer from one list (PAGES), so no
 *     page carries a copy of them;
 *  2. shows Python's start-up progress in stages (runtime download,
 *     interpreter start, lab wiring) with elapsed time;
 *  3. owns the error panel (role="alert"): it detects file://, a browser
 *     without WebAssembly, vendored files that fail to load (and diagnoses
 *     which one is missing or corrupt against assets/vendor/manifest.json),
 *     and shows errors the Python side reports through window.stage07.fail;
 *  4. registers the service worker (offline use) and offers a reload when a
 *     new version is installed.
 *
 * The Python boundary (py/pages/jsboundary.py) calls window.stage07.progress,
 * .fail and .ready; that is the whole JavaScript API.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // Root of the site, from this script's own URL (assets/js/site.js): works at
  // any sub-path, e.g. https://USER.github.io/REPO/.
  var ROOT = new URL("../../", script && script.src ? script.src : location.href);

  var PAGES = [
    { href: "index.html", nav: "Home", title: "Stage 07 home" },
    { href: "lessons/scaling-laws.html", nav: "Scaling laws" },
    { href: "lessons/mixture-of-experts.html", nav: "Mixture of Experts" },
    { href: "lessons/reasoning-models.html", nav: "Reasoning models" },
    { href: "lessons/long-context.html", nav: "Long context" },
    { href: "lessons/frontier-architectures.html", nav: "Frontier architectures" },
    { href: "lessons/field-report-deepseek-r1.html", nav: "Field report: R1" },
    { href: "lessons/exercise.html", nav: "Exercise" },
    { href: "lessons/self-check.html", nav: "Self-check" },
    { href: "lessons/pick-a-model.html", nav: "Pick a model" },
    { href: "lessons/cost-and-latency.html", nav: "Cost and latency" },
  ];

  var STAGES = [
    ["runtime", "Downloading the Python runtime"],
    ["interpreter", "Starting Python"],
    ["lab", "Wiring the lab"],
  ];

  var WATCHDOG_MS = 45000;
  var started = performance.now();
  var failed = false;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function currentPath() {
    var rel = location.href.slice(ROOT.href.length).split(/[?#]/)[0];
    return rel === "" ? "index.html" : rel;
  }

  function renderHeader() {
    var header = document.querySelector("[data-site-header]");
    if (header) {
      var list = el("ul");
      var here = currentPath();
      PAGES.forEach(function (page) {
        var attrs = { href: new URL(page.href, ROOT).href };
        if (page.href === here) attrs["aria-current"] = "page";
        list.append(el("li", {}, [el("a", Object.assign(attrs, { text: page.nav }))]));
      });
      header.className = "site-header";
      header.replaceChildren(
        el("a", { class: "skip-link", href: "#main", text: "Skip to content" }),
        el("div", { class: "bar" }, [
          el("a", { class: "brand", href: new URL("index.html", ROOT).href }, [
            el("span", { class: "stage", text: "Stage 07" }),
            el("span", { text: "Modern LLMs" }),
          ]),
          el("nav", { class: "site-nav", "aria-label": "Course pages" }, [list]),
        ])
      );
    }
  }

  function renderFooter() {
    var footer = document.querySelector("[data-site-footer]");
    if (footer) {
      footer.className = "site-footer";
      footer.replaceChildren(
        el("div", { class: "bar" }, [
          el("p", {
            text:
              "Stage 07 - Modern LLMs. Every number on these pages is computed in your browser by Python " +
              "(Pyodide in a worker, MicroPython on the page) from formulas cited beside it.",
          }),
          el("p", {
            text: "Runs offline after the first visit. No data leaves your browser.",
          }),
        ])
      );
    }
  }

  // ---------------------------------------------------------------- plots

  // Every plot first shows a static picture of its build-time view, drawn by
  // tools/build.py (py/course/svgplot.py) at these widths (tools/build.py
  // PLOT_WIDTHS; tests/test_site.py keeps the two equal). The narrowest one
  // at least as wide as the box is chosen, so it is scaled by 0.85-1 (a
  // picture is never stretched, so a wider one would leave a gap below it).
  // BokehJS (loaded by py/pages/lab.py when the learner reaches for the lab)
  // replaces it; until then the page runs no plotting code at all.
  var PLOT_WIDTHS = [300, 340, 380, 430, 480, 540, 610, 690, 780, 880, 1000, 1180];

  function renderStaticPlots() {
    var page = document.documentElement.getAttribute("data-page");
    if (!page) return;
    document.querySelectorAll(".plot-box[id^='plot-']").forEach(function (box) {
      var width = box.clientWidth;
      var chosen = PLOT_WIDTHS[PLOT_WIDTHS.length - 1];
      for (var i = 0; i < PLOT_WIDTHS.length; i++) {
        if (PLOT_WIDTHS[i] >= width) {
          chosen = PLOT_WIDTHS[i];
          break;
        }
      }
      var name = "assets/build/plots/" + page + "--" + box.id.slice("plot-".length) + "-" + chosen + ".svg";
      // alt="": the figure's <figcaption> is its text alternative.
      var img = el("img", { class: "plot-static", alt: "", src: new URL(name, ROOT).href });
      img.addEventListener("load", function () {
        if (!box.hasAttribute("data-drawn")) box.setAttribute("data-drawn", "static");
      });
      box.append(img);
    });
  }

  // ---------------------------------------------------------------- progress

  var bootBox = null;
  var elapsedNode = null;
  var timer = null;

  var stageLabel = null;
  var meter = null;

  // One line, fixed height: the current stage ("Step 2 of 3: Starting
  // Python"), a three-step meter and the elapsed time. Only the stage text is
  // announced (role=status); the ticking clock is hidden from screen readers.
  function renderBoot() {
    var slot = document.querySelector("[data-boot]");
    if (!slot) return;
    stageLabel = el("span", { class: "stage-label" });
    meter = el("progress", { max: String(STAGES.length), value: "0", "aria-hidden": "true" });
    elapsedNode = el("span", { class: "elapsed", "aria-hidden": "true", text: "0.0 s" });
    bootBox = el("div", { class: "boot", "aria-label": "Python start-up" }, [
      el("span", { class: "spinner", "aria-hidden": "true" }),
      el("span", { class: "stage-text", role: "status" }, [stageLabel]),
      meter,
      elapsedNode,
    ]);
    slot.replaceWith(bootBox);
    progress(STAGES[0][0]);
    timer = setInterval(function () {
      elapsedNode.textContent = ((performance.now() - started) / 1000).toFixed(1) + " s";
    }, 200);
  }

  function progress(stage) {
    if (!bootBox || !stageLabel) return;
    for (var i = 0; i < STAGES.length; i++) {
      if (STAGES[i][0] === stage) {
        stageLabel.textContent = "Python is starting. Step " + (i + 1) + " of " + STAGES.length + ": " + STAGES[i][1] + "…";
        meter.value = i;
        bootBox.setAttribute("data-stage", stage);
      }
    }
  }

  function ready() {
    if (timer) clearInterval(timer);
    if (bootBox) {
      // The box keeps its place (no layout shift) and says Python is live.
      var seconds = ((performance.now() - started) / 1000).toFixed(1);
      bootBox.setAttribute("data-done", "");
      stageLabel.textContent = "✓ Python is running in this page (started in " + seconds + " s).";
      meter.remove();
      elapsedNode.remove();
      bootBox.querySelector(".spinner").remove();
    }
    document.documentElement.setAttribute("data-py-ready", "true");
    document.documentElement.setAttribute(
      "data-py-ready-ms",
      String(Math.round(performance.now()))
    );
    setTimeout(registerServiceWorker, 0);
  }

  // ---------------------------------------------------------------- errors

  var panel = null;

  function ensurePanel() {
    if (panel) return panel;
    panel = document.getElementById("error-panel");
    if (!panel) {
      panel = el("div", { id: "error-panel", class: "error-panel", role: "alert" });
      var main = document.getElementById("main") || document.body;
      main.prepend(panel);
    }
    return panel;
  }

  // The panel shows one heading and one hint (what failed, what to do) and
  // collects every technical detail below them. A diagnosis that names a
  // missing or corrupt file is the most useful heading, so it takes over.
  function fail(title, detail, hint, primary) {
    failed = true;
    if (document.readyState === "loading") {
      // Reported before <main> exists: show it once the page is parsed.
      document.addEventListener("DOMContentLoaded", function () {
        fail(title, detail, hint, primary);
      });
      return;
    }
    if (timer) clearInterval(timer);
    var box = ensurePanel();
    var details = box.querySelector("details");
    if (!details) {
      details = el("details", {}, [el("summary", { text: "Technical details" })]);
      box.append(el("h2", { text: title }), el("p", { class: "hint", text: hint || "" }), details);
    } else if (primary) {
      box.querySelector("h2").textContent = title;
      box.querySelector("p.hint").textContent = hint || "";
    }
    if (detail) details.append(el("pre", { text: String(detail).slice(0, 4000) }));
    document.documentElement.setAttribute("data-py-failed", "true");
    if (bootBox) bootBox.remove();
    if (!primary) diagnose();
  }

  var SETUP_HINT =
    "The page's runtime (PyScript, Pyodide, MicroPython, BokehJS) is copied into assets/vendor/, and the " +
    "worker's precompiled Python written to assets/build/, by the project's setup. Run ./dev serve (it sets " +
    "up whatever is missing), then reload.";

  var diagnosing = null;

  // The worker's Pyodide waits for the main thread's MicroPython to start
  // (pyodide-loader.mjs, mainThreadStarted): see there why.
  var bootChannel = null;
  var mainHasStarted = false;
  function mainStarted() {
    if (mainHasStarted) return;
    mainHasStarted = true;
    try {
      if (bootChannel) bootChannel.postMessage({ type: "main-started" });
    } catch (e) {
      /* only an optimisation */
    }
  }

  async function sha256Hex(buffer) {
    var digest = await crypto.subtle.digest("SHA-256", buffer);
    return Array.from(new Uint8Array(digest))
      .map(function (b) {
        return b.toString(16).padStart(2, "0");
      })
      .join("");
  }

  var BUILD_RUNTIME = ["assets/build/python_stdlib.zip", "assets/build/course.zip"];

  // Which vendored file is missing or corrupt? Checked against the manifest
  // that tools/vendor.py wrote, only after something has already failed.
  function diagnose(reason) {
    if (diagnosing) return diagnosing;
    diagnosing = (async function () {
      var manifestUrl = new URL("assets/vendor/manifest.json", ROOT).href;
      var response;
      try {
        response = await fetch(manifestUrl, { cache: "no-store" });
      } catch (e) {
        response = null;
      }
      if (!response || !response.ok) {
        fail(
          "The Python runtime is missing from this site",
          "assets/vendor/manifest.json: " + (response ? "HTTP " + response.status : "unreachable") + "\n" + (reason || ""),
          SETUP_HINT,
          true
        );
        return;
      }
      var manifest = await response.json();
      var problems = [];
      var needed = manifest.files.filter(function (f) {
        return /(core\.js|core\.css|micropython\.(mjs|wasm)|pyodide\.(mjs|asm\.mjs|asm\.wasm)|pyodide-lock\.json|bokeh(-api)?\.min\.js)$/.test(f.file);
      });
      // The worker's archives that tools/build.py makes (no manifest entry:
      // checked for presence only).
      needed = needed.concat(BUILD_RUNTIME.map(function (name) {
        return { file: name };
      }));
      for (var i = 0; i < needed.length; i++) {
        var file = needed[i];
        try {
          var r = await fetch(new URL(file.file, ROOT).href, { cache: "no-store" });
          if (!r.ok) {
            problems.push(file.file + " is missing (HTTP " + r.status + ")");
            continue;
          }
          if (!file.sha256) continue;
          var hash = await sha256Hex(await r.arrayBuffer());
          if (hash !== file.sha256) problems.push(file.file + " is corrupt (its sha256 does not match the manifest)");
        } catch (e) {
          problems.push(file.file + " could not be fetched (" + e + ")");
        }
      }
      if (problems.length) {
        fail("A runtime file of this site is missing or damaged: " + problems.join("; "), reason, SETUP_HINT, true);
      } else if (reason && !failed) {
        fail("Python could not start on this page", reason, "Reload the page. If it happens again, run ./dev test to see which check fails.", true);
      } else if (reason) {
        fail(null, reason, null, false);
      }
    })();
    return diagnosing;
  }

  function watchFailures() {
    if (location.protocol === "file:") {
      fail(
        "This page must be served over HTTP, not opened as a file",
        null,
        "Browsers do not run WebAssembly modules or Python workers from file:// pages. In the project folder run " +
          "./dev serve, then open the http://127.0.0.1 address it prints (or publish the folder to GitHub Pages).",
        true
      );
      return false;
    }
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
      fail(
        "This browser cannot run the Python in these pages",
        null,
        "The labs need WebAssembly, which this browser has disabled or does not support. Use a current Chrome, Edge, Firefox or Safari.",
        true
      );
      return false;
    }
    // Resource load failures (a <script> or <link> that 404s) do not bubble:
    // listen in the capture phase.
    window.addEventListener(
      "error",
      function (event) {
        var target = event.target;
        if (target && target !== window && (target.src || target.href)) {
          diagnose("Failed to load " + (target.src || target.href));
        } else if (event.message && !failed) {
          diagnose(event.message);
        }
      },
      true
    );
    window.addEventListener("unhandledrejection", function (event) {
      var reason = event.reason;
      diagnose(String((reason && (reason.stack || reason.message)) || reason));
    });
    if ("BroadcastChannel" in window) {
      // The Pyodide loader inside the worker reports its stages here.
      var channel = new BroadcastChannel("stage07-boot");
      bootChannel = channel;
      channel.onmessage = function (event) {
        var data = event.data || {};
        if (data.type === "main-started?" && mainHasStarted) channel.postMessage({ type: "main-started" });
        if (data.type === "progress" && !document.documentElement.hasAttribute("data-py-ready")) progress(data.stage);
        if (data.type === "error") diagnose("Pyodide failed to start in its worker: " + data.message);
      };
    }
    // PyScript reports an uncaught Python exception by appending a
    // <div class="py-error"> to the body; move its text into the panel.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && node.classList.contains("py-error")) {
            var text = node.textContent;
            node.remove();
            fail(
              "The page's Python code raised an error",
              text,
              "Reload the page. If it happens again, run ./dev test to find the failing check, or report it."
            );
          }
        });
      });
    }).observe(document.body, { childList: true });
    setTimeout(function () {
      if (!failed && !document.documentElement.hasAttribute("data-py-ready") && document.querySelector("script[type=mpy],script[type=py]")) {
        diagnose("Python did not finish starting within " + WATCHDOG_MS / 1000 + " s.");
      }
    }, WATCHDOG_MS);
    return true;
  }

  // ---------------------------------------------------------------- offline

  // Registered once the page is ready (or loaded), so that precaching the
  // runtime never competes with the first visit's own downloads.
  var registering = false;
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || location.protocol === "file:" || registering) return;
    registering = true;
    var swUrl = new URL("sw.js", ROOT).href;
    navigator.serviceWorker
      .register(swUrl, { scope: ROOT.href })
      .then(function (registration) {
        function offer(worker) {
          if (!navigator.serviceWorker.controller) return; // first install: nothing to replace
          var notice = el("div", { class: "update-notice", role: "status", id: "update-notice" }, [
            el("p", { text: "A new version of this course is ready." }),
          ]);
          var button = el("button", { type: "button", id: "update-reload", text: "Reload to update" });
          button.addEventListener("click", function () {
            worker.postMessage({ type: "skip-waiting" });
          });
          notice.append(button);
          document.body.append(notice);
        }
        if (registration.waiting) offer(registration.waiting);
        registration.addEventListener("updatefound", function () {
          var installing = registration.installing;
          installing.addEventListener("statechange", function () {
            if (installing.state === "installed") offer(installing);
          });
        });
      })
      .catch(function () {
        /* Offline support is an enhancement; the page works without it. */
      });
    var reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloading || !document.getElementById("update-notice")) return;
      reloading = true;
      location.reload();
    });
  }

  // Text blocks and tables for the labs' panels (py/pages/jsboundary.py calls
  // these). They live here, not in Python, because building a panel cell by
  // cell from MicroPython crosses the JS boundary several hundred times (a
  // 12-column ranking table took most of pick-a-model's 19 ms update); one
  // call per panel costs a fraction. Every string goes in through
  // textContent, so text a learner typed is shown as text, never markup.
  var BLOCK_TAGS = { h4: "h3", p: "p", code: "code", li: "li" };

  function table(head, rows, buttonLabel) {
    var headRow = el("tr", {}, (head || []).map(function (name) {
      return el("th", { scope: "col", text: name });
    }));
    if (buttonLabel) {
      // The button column's header is for screen readers only.
      headRow.append(el("th", { scope: "col" }, [el("span", { class: "visually-hidden", text: "actions" })]));
    }
    var body = el("tbody", {}, rows.map(function (cells, r) {
      var row = el("tr", {}, cells.map(function (cell) { return el("td", { text: cell }); }));
      if (buttonLabel) {
        var button = el("button", { type: "button", class: "secondary", "aria-label": buttonLabel + " " + (r + 1), "data-row": String(r), text: buttonLabel });
        row.append(el("td", {}, [button]));
      }
      return row;
    }));
    var parts = head && head.length ? [el("thead", {}, [headRow]), body] : [body];
    return el("div", { class: "table-wrap" }, [el("table", {}, parts)]);
  }

  function renderBlocks(node, blocks) {
    // A panel's h4 headings are drawn as h3: they sit one level below the
    // lab's <h2>, which keeps the outline valid wherever the panel is placed.
    node.replaceChildren.apply(node, blocks.map(function (block) {
      if (block.tag === "table") return table(block.head, block.rows);
      return el(BLOCK_TAGS[block.tag] || "p", { text: block.text });
    }));
  }

  // The self-check's question cards (py/pages/self_check.py), built in one
  // call for the reason renderBlocks is: element by element from MicroPython
  // the twelve cards were a 100-150 ms main-thread task under Lighthouse.
  // Every string goes in through textContent or an attribute value.
  function questionCard(q, number) {
    var base = "q-" + q.id;
    var form = el("form", { id: base + "-form", novalidate: "" });
    if (q.kind === "choice") {
      var group = el("fieldset", { class: "group" }, [el("legend", { text: q.text })]);
      q.options.forEach(function (option) {
        var optionId = base + "-opt-" + option.key;
        group.append(
          el("div", { class: "option" }, [
            el("input", { type: "radio", id: optionId, name: base, value: option.key }),
            el("label", { for: optionId, text: option.text }),
          ])
        );
      });
      form.append(group);
    } else {
      form.append(el("p", { id: base + "-text", text: q.text }));
      form.append(
        el("div", { class: "control" }, [
          el("label", { for: base + "-answer", text: "Your answer (" + q.unit + "; " + q.tolerance + " counts)" }),
          el("input", {
            id: base + "-answer",
            type: "text",
            inputmode: "decimal",
            autocomplete: "off",
            spellcheck: "false",
            "aria-describedby": base + "-text " + base + "-feedback",
          }),
        ])
      );
    }
    form.append(el("button", { type: "submit", id: base + "-check", text: "Check answer" }));
    return el("article", { class: "question", id: base, "aria-labelledby": base + "-title" }, [
      el("h3", { id: base + "-title", text: "Question " + number }),
      form,
      el("p", { class: "earlier", id: base + "-status" }),
      el("div", { class: "feedback", id: base + "-feedback", "aria-live": "polite" }),
      el("p", { class: "lab-link" }, ["Learn it in ", el("a", { href: "../lessons/" + q.lab, text: q.lab_text })]),
    ]);
  }

  // Replace the cards in each #questions-<ability> list with the quiz's.
  function renderQuiz(abilities, questions) {
    var lists = {};
    abilities.forEach(function (ability) {
      lists[ability] = document.getElementById("questions-" + ability);
      lists[ability].replaceChildren();
    });
    questions.forEach(function (q, i) {
      lists[q.ability].append(questionCard(q, i + 1));
    });
  }

  function renderTable(node, head, rows, buttonLabel) {
    node.replaceChildren(table(head, rows, buttonLabel || null));
  }

  // Whether two plot data sources (JSON-like values) are equal, numbers to a
  // relative 1e-9: the same view computed by Pyodide in the page and by
  // CPython at build time can differ in a float's last bits (their libm).
  // py/pages/lab.py uses it to tell whether the static pictures still show
  // the current view.
  function sameData(a, b) {
    if (typeof a === "number" && typeof b === "number") {
      return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
      return true;
    }
    if (a && b && typeof a === "object" && typeof b === "object") {
      var keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      for (var k = 0; k < keys.length; k++) {
        if (!Object.prototype.hasOwnProperty.call(b, keys[k]) || !sameData(a[keys[k]], b[keys[k]])) return false;
      }
      return true;
    }
    return a === b;
  }

  // Classic scripts appended in order, each after the previous has run (for
  // BokehJS, whose API bundle needs its core): a promise that rejects with
  // the URL that failed.
  function loadScripts(urls) {
    return urls.reduce(function (previous, url) {
      return previous.then(function () {
        return new Promise(function (resolve, reject) {
          var node = el("script", { src: url });
          node.onload = function () { resolve(); };
          node.onerror = function () { reject(new Error("could not load " + url)); };
          document.head.append(node);
        });
      });
    }, Promise.resolve());
  }

  window.stage07 = {
    progress: progress, fail: fail, ready: ready, diagnose: diagnose, root: ROOT.href,
    renderBlocks: renderBlocks, renderTable: renderTable, renderQuiz: renderQuiz, sameData: sameData,
    loadScripts: loadScripts, mainStarted: mainStarted,
  };

  // Pages include this script right after <header data-site-header>, without
  // defer: the header is drawn before the first paint (no layout shift), and
  // the rest waits for the document to be parsed.
  renderHeader();
  var healthy = watchFailures();
  function whenParsed() {
    renderStaticPlots();
    renderFooter();
    ensurePanel();
    if (healthy) {
      renderBoot();
      window.addEventListener("load", function () {
        setTimeout(registerServiceWorker, 3000);
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", whenParsed);
  else whenParsed();
})();
