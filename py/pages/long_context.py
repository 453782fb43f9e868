"""Long-context lesson (MicroPython, main thread): the mask-and-cost lab.

Everything page-specific (knobs shown per pattern, notes against N, the mask
picture as a PNG data URL) comes from the pure view, so the generic runner
is all this page needs."""

from lab import run

run("long-context")
