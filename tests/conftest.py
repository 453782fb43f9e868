"""Unit tests import the pure modules from py/ exactly as the worker does."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
