"""Cost-and-latency lesson (MicroPython, main thread): the generic lab runner.

The three lever checkboxes, the workload and every lever's settings are plain
``data-control`` elements; ``py/course/views/cost_and_latency.py`` in the
``maths`` worker computes everything the page shows.
"""

from lab import run

run("cost-and-latency")
