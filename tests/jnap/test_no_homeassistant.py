"""The JNAP client is a library: every module of jnap/ imports without Home Assistant."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

JNAP = Path(__file__).parents[2] / "custom_components" / "linksys_jnap" / "jnap"

# __main__ runs the command line on import; its one import (cli) is checked anyway.
MODULES = sorted(p.stem for p in JNAP.glob("*.py") if p.stem not in {"__main__"})

# The integration's package imports Home Assistant, so jnap/ is loaded on its own under
# another name, the way the wheel ships it.
SCRIPT = """
import importlib, importlib.util, sys
sys.modules["homeassistant"] = None  # any import of it raises ImportError
spec = importlib.util.spec_from_file_location(
    "standalone_jnap", sys.argv[1] + "/__init__.py", submodule_search_locations=[sys.argv[1]]
)
package = importlib.util.module_from_spec(spec)
sys.modules["standalone_jnap"] = package
spec.loader.exec_module(package)
for name in sys.argv[2:]:
    if name != "__init__":
        importlib.import_module("standalone_jnap." + name)
assert len(set(package.__all__)) == len(package.__all__)
assert sys.modules["homeassistant"] is None
assert not [m for m in sys.modules if m.startswith("homeassistant.")]
"""


def test_every_module_imports_without_homeassistant() -> None:
    assert {"client", "models", "poll", "transport"} <= set(MODULES)
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", SCRIPT, str(JNAP), *MODULES],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def _imported_roots(tree: ast.Module) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_names_homeassistant() -> None:
    offenders = []
    for path in sorted(JNAP.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        roots = _imported_roots(ast.parse(text))
        if "homeassistant" in roots or "custom_components" in roots:
            offenders.append(path.name)
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith(("import homeassistant", "from homeassistant")):
                offenders.append(f"{path.name}: {stripped}")
    assert offenders == []
