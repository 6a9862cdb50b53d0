"""Print what a real `hass --skip-pip` of the installed Home Assistant needs beyond itself.

Run with the interpreter of the environment to fill (scripts/bootstrap does, for .venv-newest):
the integrations that release always sets up (its bootstrap's core and default integrations,
the configuration scripts/lib/hass_runner.py writes) and those they depend on, read from the
release's own manifest.json files; their requirements, one per line; and this integration's.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

from homeassistant import bootstrap
import homeassistant.components

REPO_ROOT = Path(__file__).resolve().parents[2]
OWN_MANIFEST = REPO_ROOT / "custom_components" / "linksys_jnap" / "manifest.json"
COMPONENTS = Path(homeassistant.components.__file__).parent
# The top-level keys of hass_runner.CONFIGURATION_YAML besides `homeassistant`.
CONFIGURED = {"frontend", "config", "logger"}
# Not set up, but imported by http when installed (bootstrap: "isal is loaded right away
# before `http`"), as on a Home Assistant OS install.
IMPORTED_WHEN_PRESENT = {"isal"}


def _manifest(domain: str) -> dict[str, object]:
    path = COMPONENTS / domain / "manifest.json"
    try:
        manifest: dict[str, object] = json.loads(path.read_text())
    except OSError:
        return {}  # e.g. a Supervisor-only integration missing from this install
    return manifest


def always_set_up() -> set[str]:
    """Return the integrations set up at every start, with their dependencies."""
    todo = {
        *bootstrap.CORE_INTEGRATIONS,
        *bootstrap.DEFAULT_INTEGRATIONS,
        *CONFIGURED,
        *IMPORTED_WHEN_PRESENT,
    }
    done: set[str] = set()
    while todo:
        domain = todo.pop()
        done.add(domain)
        manifest = _manifest(domain)
        # After-dependencies too: hassfest lets an integration import their modules (the
        # analytics integration imports hassio's, which needs aiohasupervisor).
        for key in ("dependencies", "after_dependencies"):
            others = manifest.get(key, [])
            assert isinstance(others, list)
            todo.update(str(d) for d in others if d not in done)
    return done


def requirements() -> list[str]:
    """Return the requirements of those integrations and of ours, sorted and unique."""
    found: set[str] = set()
    for domain in always_set_up():
        reqs = _manifest(domain).get("requirements", [])
        assert isinstance(reqs, list)
        found.update(str(r) for r in reqs)
    own = json.loads(OWN_MANIFEST.read_text()).get("requirements", [])
    found.update(str(r) for r in own)
    return sorted(found, key=str.lower)


def main() -> int:
    """Print one requirement per line."""
    print("\n".join(requirements()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
