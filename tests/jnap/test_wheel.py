"""The library's own distribution (jnap-lib/pyproject.toml): it builds, and runs alone.

The wheel is built offline (``python -m build --wheel --no-isolation``, setuptools from
requirements_test.txt) from a copy of the sources, so the work tree stays clean, and
installed with pip into a temporary folder. Its ``linksys-jnap`` script then runs ``info``,
``poll`` and ``record`` against the simulator with Home Assistant unimportable and without
this repository on the path.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.replay import load_recording
from tests.simulator import RouterSimulator

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "custom_components" / "linksys_jnap" / "jnap"
LIB = ROOT / "jnap-lib"
PACKAGE = "linksys_jnap_client"
PASSWORD = "correct horse"

# Imported before anything else in the script's process: Home Assistant must not be needed.
BLOCKER = 'raise ImportError("Home Assistant is blocked in this test")\n'


@dataclass(frozen=True)
class Built:
    wheel: Path
    target: Path
    """The wheel installed with ``pip install --target``."""
    blocker: Path
    """A folder whose ``homeassistant`` package refuses to import."""

    @property
    def script(self) -> Path:
        return self.target / "bin" / "linksys-jnap"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("LINKSYS_JNAP_", "PYTHON", "COVERAGE_"))
        }
        env["PYTHONPATH"] = os.pathsep.join((str(self.blocker), str(self.target)))
        env.update(extra)
        return env


def _check(*args: str, cwd: Path) -> None:
    """Run this Python with ``args``; fail with its output if it fails."""
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    assert done.returncode == 0, f"{args[:2]} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the wheel from a copy of jnap-lib/ and the package, install it alone."""
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    shutil.copytree(LIB, tree / "jnap-lib", ignore=ignore)
    shutil.copytree(
        SOURCE, tree / "custom_components" / "linksys_jnap" / "jnap", ignore=ignore
    )
    dist = tree / "dist"
    _check(
        "-m",
        "build",
        "--wheel",
        "--no-isolation",
        "--outdir",
        str(dist),
        str(tree / "jnap-lib"),
        cwd=tree,
    )
    (wheel,) = dist.glob("*.whl")
    target = tree / "installed"
    _check(
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        "--target",
        str(target),
        str(wheel),
        cwd=tree,
    )
    blocker = tree / "blocker"
    (blocker / "homeassistant").mkdir(parents=True)
    (blocker / "homeassistant" / "__init__.py").write_text(BLOCKER)
    return Built(wheel, target, blocker)


def _modules(names: list[str], root: str) -> set[str]:
    return {n.removeprefix(root) for n in names if n.endswith((".py", "py.typed"))}


def test_wheel_holds_every_module_under_its_own_name(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(meta_name).decode()
        entry_points = wheel.read(
            meta_name.replace("METADATA", "entry_points.txt")
        ).decode()
    source = {
        p.relative_to(SOURCE).as_posix()
        for p in SOURCE.rglob("*")
        if p.is_file()
        and (p.suffix == ".py" or p.name == "py.typed")
        and "__pycache__" not in p.parts
    }
    # A new subpackage under jnap/ must be listed in jnap-lib/pyproject.toml's packages.
    assert _modules(names, f"{PACKAGE}/") >= source
    assert {"cli.py", "__main__.py", "py.typed", "redact.py"} <= source
    assert not [n for n in names if n.startswith("custom_components")]
    assert "Requires-Dist: aiohttp" in metadata
    manifest = json.loads((SOURCE.parent / "manifest.json").read_text())
    assert f"Version: {manifest['version']}\n" in metadata
    assert f"linksys-jnap = {PACKAGE}.cli:main" in entry_points


async def _run(
    built: Built, *argv: str, password: str | None = None
) -> tuple[int, str, str]:
    extra = {"LINKSYS_JNAP_PASSWORD": password} if password is not None else {}
    proc = await asyncio.create_subprocess_exec(
        str(built.script),
        *argv,
        cwd=built.target.parent,
        env=built.env(**extra),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_wheel_imports_without_home_assistant(built: Built) -> None:
    code = (
        "import sys, linksys_jnap_client as lib, linksys_jnap_client.cli\n"
        "assert 'custom_components' not in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith('homeassistant.')]\n"
        "print(lib.__file__, lib.JNAPClient.__name__)\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        f"import sys; sys.modules['homeassistant'] = None\n{code}",
        cwd=built.target.parent,
        env=built.env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert out.decode().startswith(str(built.target / PACKAGE))
    assert out.decode().rstrip().endswith("JNAPClient")


async def test_wheel_script_runs_info_poll_record(
    built: Built, router: RouterSimulator
) -> None:
    record = built.target.parent / "recorded.json"
    (info, poll, recorded, wrong) = await asyncio.gather(
        _run(built, "-H", router.host, "info"),
        _run(built, "-H", router.host, "poll", password=PASSWORD),
        _run(built, "-H", router.host, "record", str(record), password=PASSWORD),
        _run(built, "-H", f"127.0.0.1:{router.port}", "poll", password="bad secret"),
    )
    assert info[0] == 0, info
    assert router.state.device_info.model_number in info[1]
    assert "Chosen versions" in info[1]
    assert poll[0] == 0, poll
    assert f"Clients ({len(router.state.connections)}):" in poll[1]
    assert recorded[0] == 0, recorded
    recording = load_recording(record)
    assert recording["source"] == "linksys-jnap record"
    assert recording["answers"]["core/GetDeviceInfo"]["result"] == "OK"
    assert wrong[0] == 4, wrong
    assert "refused the admin password" in wrong[2]
    assert "bad secret" not in wrong[1] + wrong[2]
