"""Reasoning-models lab page (MicroPython, main thread).

The generic runner (``lab.run``) wires the controls and applies the view.
This module adds what only this page does:

* the reasoning trace is revealed token by token, as a model streams it:
  first a pause of the profile's time to first token, then tokens at its
  output speed (token boundaries come from the view's ``stream.ends``, the
  same tokenizer that counts the read-outs); the answer appears when the
  trace is done;
* "Show it all now" ends the stream at once, "Replay" starts it again, and
  ``prefers-reduced-motion`` always shows the whole trace at once;
* the effort slider announces its label (none/low/medium/high) to screen
  readers through ``aria-valuetext``.

MicroPython: keep to the subset of Python it shares with CPython.
"""

import jsboundary as js
from lab import run

PAGE = "reasoning-models"
EFFORT = "effort"
EFFORT_OUT = "effort-out"
TRACE = "trace"
ANSWER_TEXT = "answer-text"
STATUS = "trace-status"
SHOW_ALL = "trace-show-all"
REPLAY = "trace-replay"
LABELS = ("none", "low", "medium", "high")
TICK_MS = 80  # one reveal step; tokens per step follow the profile's speed


class Stream:
    def __init__(self):
        self.text = ""
        self.answer = ""
        self.ends = []
        self.count = 0
        self.shown = 0
        self.tokens_per_s = 100.0
        self.ttft_s = 0.5
        self.timer = None
        self.trace = js.element(TRACE)
        self.answer_node = js.element(ANSWER_TEXT)
        self.status = js.element(STATUS)
        self.show_all_button = js.element(SHOW_ALL)
        js.on(self.show_all_button, "click", self.on_show_all)
        js.on(js.element(REPLAY), "click", self.on_replay)
        # Announce the level while the slider moves, before the worker answers.
        js.on(js.element(EFFORT), "input", self.on_effort_input)

    # ------------------------------------------------------------ effort label

    def on_effort_input(self, event):
        value = str(js.element(EFFORT).value)
        if value in ("0", "1", "2", "3"):
            self.announce(LABELS[int(value)])

    def announce(self, label):
        js.element(EFFORT).setAttribute("aria-valuetext", label)
        js.set_text(js.element(EFFORT_OUT), label)

    # ------------------------------------------------------------ results

    def on_result(self, result):
        # Read the few fields needed straight from the JS object: converting
        # the whole result costs more than the rest of the update.
        stream = result.stream
        self.announce(str(stream.effort_label))
        text = str(result.outputs[TRACE])
        answer = str(result.outputs[ANSWER_TEXT])
        if text == self.text and answer == self.answer:
            if self.timer is not None:
                self.paint()  # the runner rewrote the full text mid-stream
            return
        self.text = text
        self.answer = answer
        self.ends = stream.ends  # a JS array of character offsets, one per token
        self.count = int(self.ends.length)
        self.tokens_per_s = float(stream.tokens_per_s)
        self.ttft_s = float(stream.ttft_s)
        self.start()

    # ------------------------------------------------------------ streaming

    def start(self):
        self.stop()
        if not self.count or js.reduced_motion():
            self.finish()
            return
        self.shown = 0
        self.show_all_button.disabled = False
        js.set_text(self.status, "Thinking… waiting for the first token")
        self.paint()
        self.timer = js.later(self.tick, int(self.ttft_s * 1000))

    def tick(self, *args):
        step = max(1, int(self.tokens_per_s * TICK_MS / 1000 + 0.5))
        self.shown = min(self.count, self.shown + step)
        if self.shown >= self.count:
            self.timer = None
            self.finish()
            return
        js.set_text(self.status, "Thinking… " + str(self.shown) + " of " + str(self.count) + " reasoning tokens")
        self.paint()
        self.timer = js.later(self.tick, TICK_MS)

    def paint(self):
        end = int(self.ends[self.shown - 1]) if self.shown > 0 else 0
        js.set_text(self.trace, self.text[:end])
        js.set_text(self.answer_node, "")

    def stop(self):
        if self.timer is not None:
            js.cancel(self.timer)
            self.timer = None

    def finish(self):
        self.stop()
        self.shown = self.count
        js.set_text(self.trace, self.text)
        js.set_text(self.answer_node, self.answer)
        self.show_all_button.disabled = True
        if self.count:
            js.set_text(self.status, "Done: " + str(self.count) + " reasoning tokens, then the answer.")
        else:
            js.set_text(self.status, "")

    def on_show_all(self, event):
        self.finish()

    def on_replay(self, event):
        self.start()


def main():
    stream = Stream()
    return run(PAGE, on_result=stream.on_result)


main()
