"""Field report DeepSeek-R1 (MicroPython, main thread): the generic lab runner.

The group size, the eight reward sliders and the update's settings are plain
``data-control`` elements; ``py/course/views/field_report_deepseek_r1.py`` in
the ``maths`` worker computes the GRPO step the page shows.
"""

from lab import run

run("field-report-deepseek-r1")
