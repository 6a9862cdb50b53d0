"""The library's own distribution (jnap-lib/): it builds, installs into an empty venv, and runs.

``python -m build --no-isolation`` makes the sdist and then the wheel from that sdist, as
PyPI's users would, from a copy of what a checkout holds (jnap-lib/ with its links, the
integration's folder, LICENSE), so the work tree stays clean. The sdist is then installed
into a new venv without Home Assistant, by pip with an isolated build, from a folder of
wheels of setuptools and aiohttp's dependencies repacked from this interpreter's
site-packages: no network, and the venv gets exactly what the sdist declares. The venv's
``linksys-jnap`` then runs ``--help``, ``info``, ``poll`` and ``record`` against the simulator.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
import hashlib
from importlib import metadata
import json
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
import pytest

from tests.replay import load_recording
from tests.simulator import RouterSimulator

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "custom_components" / "linksys_jnap"
SOURCE = INTEGRATION / "jnap"
LIB = ROOT / "jnap-lib"
PACKAGE = "linksys_jnap_client"
PASSWORD = "correct horse"
VERSION = json.loads((INTEGRATION / "manifest.json").read_text())["version"]


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path
    venv: Path
    """A venv made empty, with the sdist installed (and what it declares)."""

    @property
    def script(self) -> Path:
        return self.venv / "bin" / "linksys-jnap"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("LINKSYS_JNAP_", "PYTHON", "COVERAGE_", "VIRTUAL_ENV"))
        }
        return env | extra


def _check(*args: str | Path, cwd: Path) -> None:
    """Run ``args``; fail with its output if it fails."""
    done = subprocess.run(  # noqa: S603 - our interpreters, fixed arguments
        [str(a) for a in args],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}"


def _checkout(tree: Path) -> None:
    """Copy what a checkout holds for jnap-lib: its folder (links kept), their targets."""
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", "build", "dist", "*.egg-info"
    )
    shutil.copytree(LIB, tree / "jnap-lib", symlinks=True, ignore=ignore)
    shutil.copytree(
        INTEGRATION, tree / "custom_components" / "linksys_jnap", ignore=ignore
    )
    shutil.copy(ROOT / "LICENSE", tree / "LICENSE")


def _closure(requirements: list[str]) -> list[metadata.Distribution]:
    """Find the installed distributions ``requirements`` need, recursively (no extras)."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(requirements)
    while todo:
        req = Requirement(todo.pop())
        name = canonicalize_name(req.name)
        if name in found or (req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        found[name] = metadata.distribution(name)
        todo += found[name].requires or []
    return list(found.values())


def _repack(dist: metadata.Distribution, folder: Path) -> None:
    """Write ``dist`` as installed here back into a wheel (its RECORD's files, new hashes)."""
    wheel_info = dist.read_text("WHEEL") or ""
    tag = next(
        line.removeprefix("Tag: ")
        for line in wheel_info.splitlines()
        if line.startswith("Tag: ")
    )
    name = canonicalize_name(dist.name).replace("-", "_")
    files = [
        f
        for f in dist.files or []
        if f.parts[0] != ".."
        and "__pycache__" not in f.parts
        and f.name not in {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    ]
    record = next(f for f in dist.files or [] if f.name == "RECORD")
    lines = []
    with zipfile.ZipFile(folder / f"{name}-{dist.version}-{tag}.whl", "w") as wheel:
        for file in files:
            data = Path(str(file.locate())).read_bytes()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
            wheel.writestr(str(file), data)
            lines.append(f"{file},sha256={digest.decode().rstrip('=')},{len(data)}")
        wheel.writestr(str(record), "\n".join([*lines, f"{record},,"]) + "\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the sdist and the wheel from a checkout's copy; install the sdist in a new venv."""
    tree = tmp_path_factory.mktemp("tree")
    _checkout(tree)
    dist = tree / "dist"
    # A plain build: the sdist, then the wheel from the unpacked sdist.
    _check(
        sys.executable,
        "-m",
        "build",
        "--no-isolation",
        "--outdir",
        dist,
        tree / "jnap-lib",
        cwd=tree,
    )
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")

    wheels = tree / "wheels"
    wheels.mkdir()
    with zipfile.ZipFile(wheel) as zipped:
        meta = next(n for n in zipped.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [
            line.removeprefix("Requires-Dist: ")
            for line in zipped.read(meta).decode().splitlines()
            if line.startswith("Requires-Dist: ")
        ]
    for installed in _closure([*requires, "setuptools"]):
        _repack(installed, wheels)

    venv = tree / "venv"
    _check(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tree)
    _check(
        sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
        "--quiet", "--no-index", "--find-links", wheels, "--no-cache-dir", sdist,
        cwd=tree,
    )  # fmt: skip
    return Built(sdist, wheel, venv)


def _python_files(names: list[str], root: str) -> set[str]:
    return {n.removeprefix(root) for n in names if n.endswith((".py", "py.typed"))}


def _source_files() -> set[str]:
    return {
        p.relative_to(SOURCE).as_posix()
        for p in SOURCE.rglob("*")
        if p.is_file()
        and (p.suffix == ".py" or p.name == "py.typed")
        and "__pycache__" not in p.parts
    }


def test_sdist_holds_the_sources_and_what_its_build_reads(built: Built) -> None:
    top = f"{PACKAGE}-{VERSION}/"
    with tarfile.open(built.sdist) as sdist:
        members = {m.name: m for m in sdist.getmembers()}
        assert all(m.isfile() or m.isdir() for m in members.values())  # no links left
        manifest = sdist.extractfile(members[f"{top}manifest.json"])
        assert manifest is not None
        assert json.load(manifest)["version"] == VERSION
    source = _source_files()
    assert {"cli.py", "__main__.py", "py.typed", "redact.py"} <= source
    assert _python_files(list(members), f"{top}src/{PACKAGE}/") >= source
    for name in ("README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "setup.py"):
        assert f"{top}{name}" in members


def test_wheel_holds_every_module_under_its_own_name(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata_text = wheel.read(meta_name).decode()
        entry_points = wheel.read(
            meta_name.replace("METADATA", "entry_points.txt")
        ).decode()
    # Subpackages under jnap/ are found by setuptools' discovery, through the link.
    assert _python_files(names, f"{PACKAGE}/") >= _source_files()
    assert not [n for n in names if n.startswith(("custom_components", "src/"))]
    assert "Requires-Dist: aiohttp" in metadata_text
    # One version: manifest.json's, read by jnap-lib/setup.py.
    assert f"Version: {VERSION}\n" in metadata_text
    assert built.wheel.name == f"{PACKAGE}-{VERSION}-py3-none-any.whl"
    assert f"linksys-jnap = {PACKAGE}.cli:main" in entry_points


async def _run(
    built: Built, *argv: str, password: str | None = None
) -> tuple[int, str, str]:
    extra = {"LINKSYS_JNAP_PASSWORD": password} if password is not None else {}
    proc = await asyncio.create_subprocess_exec(
        str(built.script),
        *argv,
        cwd=built.venv.parent,
        env=built.env(**extra),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_sdist_installs_alone_and_imports(built: Built) -> None:
    code = (
        "import importlib.metadata as m, importlib.util as u, json, sys\n"
        "import linksys_jnap_client as lib, linksys_jnap_client.cli\n"
        "assert u.find_spec('homeassistant') is None, 'Home Assistant is installed'\n"
        "assert 'custom_components' not in sys.modules\n"
        "print(lib.__file__, lib.JNAPClient.__name__, m.version('linksys-jnap-client'))\n"
        "print(json.dumps([d.name for d in m.distributions()]))\n"
    )
    proc = await asyncio.create_subprocess_exec(
        str(built.python),
        "-c",
        code,
        cwd=built.venv.parent,
        env=built.env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    where, name, version = out.decode().splitlines()[0].split()
    assert Path(where).is_relative_to(built.venv)
    assert (name, version) == ("JNAPClient", VERSION)
    # Only what the sdist declares, recursively: aiohttp and its own dependencies.
    installed = {canonicalize_name(n) for n in json.loads(out.decode().splitlines()[1])}
    assert {"aiohttp", "linksys-jnap-client"} <= installed
    assert not {"homeassistant", "setuptools", "orjson", "mashumaro"} & installed


async def test_sdist_script_help(built: Built) -> None:
    code, out, err = await _run(built, "--help")
    assert code == 0, err
    assert out.startswith("usage: linksys-jnap")
    for command in ("info", "poll", "call", "record"):
        assert command in out


async def test_sdist_script_runs_info_poll_record(
    built: Built, router: RouterSimulator
) -> None:
    record = built.venv.parent / "recorded.json"
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


def _readme_example() -> str:
    text = (LIB / "README.md").read_text()
    (example,) = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    return example


async def test_readme_example_runs_from_the_sdist(
    built: Built, router: RouterSimulator
) -> None:
    example = built.venv.parent / "example.py"
    example.write_text(_readme_example())
    env = built.env(LINKSYS_JNAP_HOST=router.host, LINKSYS_JNAP_PASSWORD=PASSWORD)
    proc = await asyncio.create_subprocess_exec(
        str(built.python),
        str(example),
        cwd=built.venv.parent,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    info = router.state.device_info
    assert lines[0] == f"{info.model_number} {info.firmware_version}"
    assert len(lines) == 2 + len(router.state.connections)
    assert lines[-1].startswith("WAN: ")

    proc = await asyncio.create_subprocess_exec(
        str(built.python),
        str(example),
        cwd=built.venv.parent,
        env=env | {"LINKSYS_JNAP_PASSWORD": "bad secret"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert (proc.returncode, err.decode().strip()) == (1, "wrong admin password")
