"""The version is the integration's: manifest.json (a link here, a copy in an sdist) has it."""

import json
from pathlib import Path

from setuptools import setup

MANIFEST = Path(__file__).parent / "manifest.json"
setup(version=json.loads(MANIFEST.read_text(encoding="utf-8"))["version"])
