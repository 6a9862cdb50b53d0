"""scripts/demo: a real Home Assistant against the bundled router simulator.

Starts the simulator (lively: clients come and go), a throw-away Home Assistant in .demo/,
onboards it and adds the integration through Home Assistant's own config flow API, then prints
where to look. Ctrl-C stops both processes. A second run reuses .demo/ and starts in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
import shutil
import signal
import sys
import time
from typing import Any

import aiohttp

from scripts.lib.dashboard import ensure_network_dashboard
from scripts.lib.hass_runner import (
    LOOPBACK,
    RELEASES,
    REPO_ROOT,
    HassClient,
    ManagedProcess,
    Owner,
    RunnerError,
    free_port,
    hass_process,
    port_is_free,
    simulator_process,
    wait_for_port,
    write_config_dir,
)

DEMO_DIR = REPO_ROOT / ".demo"
OWNER = Owner(name="Demo", username="demo", password="linksys-demo")  # noqa: S106 - demo login, printed
# The simulated router's admin password (a fake router on loopback, not a secret).
ROUTER_PASSWORD = "demo-router-admin"  # noqa: S105
PROFILES = ("smartwifi", "velop", "velop_mesh", "velop_captive", "legacy")
# Integrations Home Assistant's onboarding adds on its own; those needing the internet and
# extra packages fail here, so the demo removes their entries to keep the integrations page clean.
ONBOARDING_EXTRAS = ("google_translate", "met", "radio_browser", "shopping_list")

BOLD = "\033[1m"
DIM = "\033[2m"
RESET = "\033[0m"


def say(msg: str) -> None:
    """Print a progress line."""
    print(f"{BOLD}demo:{RESET} {msg}", flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="A real Home Assistant with this integration, against the bundled router simulator.",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="smartwifi",
        help="simulated router: smartwifi (EA7500-like), velop (MX4200-like mesh), legacy (old WRT firmware)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8123,
        help="Home Assistant's web port on 127.0.0.1 (default 8123)",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=12,
        metavar="N",
        help="number of simulated Wi-Fi and wired clients (default 12)",
    )
    parser.add_argument(
        "--router-port",
        type=int,
        default=0,
        help="the simulator's port (default: the previous run's, else a free one)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="save a headless-Chromium screenshot of the router's device page, then stop",
    )
    parser.add_argument(
        "--ha",
        choices=RELEASES,
        default="pinned",
        help="Home Assistant release: pinned (the tests' own, .venv) or newest"
        " (requirements_newest.txt, .venv-newest); each keeps its own state in .demo/",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="throw away .demo/ first (new owner, new config entry)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000:
        parser.error("--clients must be between 1 and 1000")
    return args


def load_state(path: Path) -> dict[str, Any]:
    """Return what the previous run remembered (empty on the first run)."""
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except OSError, ValueError:
        return {}
    return state


async def tidy_onboarding_entries(client: HassClient) -> None:
    """Remove entries onboarding added by itself that failed (no internet, no packages)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        entries = await client.request("GET", "/api/config/config_entries/entry")
        if any(e["domain"] in ONBOARDING_EXTRAS for e in entries):
            await asyncio.sleep(0.5)  # the others of the same batch finish meanwhile
            break
        await asyncio.sleep(0.2)
    entries = await client.request("GET", "/api/config/config_entries/entry")
    for entry in entries:
        if entry["domain"] in ONBOARDING_EXTRAS and entry["state"] != "loaded":
            with contextlib.suppress(RunnerError):
                await client.remove_entry(entry["entry_id"])


async def router_device(client: HassClient, entry_id: str) -> dict[str, Any] | None:
    """Return the router's device (the entry's device that hangs off no other device)."""
    async with client.websocket() as ws:
        devices = await ws.device_registry()
    for device in devices:
        if entry_id in device.get("config_entries", []) and not device.get(
            "via_device_id"
        ):
            return dict(device)
    return None


async def ensure_entry(
    client: HassClient,
    state: dict[str, Any],
    args: argparse.Namespace,
    router_port: int,
) -> str:
    """Reuse the previous run's config entry when it points at the same router, else add one."""
    entries = await client.config_entries()
    wanted = {
        "profile": args.profile,
        "clients": args.clients,
        "router_port": router_port,
    }
    previous = state.get("entry_id")
    if (
        previous is not None
        and all(state.get(k) == v for k, v in wanted.items())
        and any(e["entry_id"] == previous for e in entries)
    ):
        say("reusing the router already added to Home Assistant")
        return str(previous)
    for entry in entries:
        await client.remove_entry(entry["entry_id"])
    say(f"adding the router through the config flow (host {LOOPBACK}:{router_port})")
    entry = await client.add_router(
        host=f"{LOOPBACK}:{router_port}", password=ROUTER_PASSWORD
    )
    return str(entry["entry_id"])


def banner(
    base_url: str,
    device_id: str | None,
    args: argparse.Namespace,
    logs: Path,
    version: str,
    *,
    dashboard_url: str | None = None,
) -> str:
    """Return what the newcomer needs: URL, login, where to look."""
    device_url = f"{base_url}/config/devices/device/{device_id}" if device_id else None
    lines = [
        "",
        f"{BOLD}Home Assistant {version} is running with a simulated Linksys router ({args.profile}, {args.clients} clients).{RESET}",
        "",
        f"  Open      {base_url}",
        f"  Log in    user {BOLD}{OWNER.username}{RESET}   password {BOLD}{OWNER.password}{RESET}",
    ]
    if dashboard_url:
        lines.append(
            f"  Network   {dashboard_url}   (the network map and a ready dashboard)"
        )
    if device_url:
        lines.append(f"  Router    {device_url}")
    lines += [
        "",
        "  What to look at:",
        "  - the Network dashboard: the network map (each client under its node, backhaul, band,",
        "    signal; tap a row for its tracker), who is home, guest Wi-Fi with its QR code and the",
        "    4-hour visitor button, WAN and speed test, the network events;",
        "  - the router's device page: WAN status, connected-client counts, firmware update,",
        "    guest Wi-Fi / LED / parental-control switches, reboot button, guest Wi-Fi QR code;",
        "  - toggle guest Wi-Fi and watch the simulator accept the write (simulator log below);",
        "  - Settings > Entities, search 'device_tracker': presence per client - clients arrive",
        "    and leave every few minutes; each client's device has its disabled extras (signal,",
        "    link rate, internet access) to enable;",
        "  - the integration's options: consider_home (how long a client stays home after it left);",
        "  - router controls on its device page: a switch per Wi-Fi band and per port",
        "    forwarding rule, Wi-Fi schedule, automatic updates, Reconnect WAN, port links;",
        "  - Developer tools > Actions: linksys_jnap.set_guest_wifi (with a duration),",
        "    set_internet_schedule, add_port_forward, set_wifi_schedule, rename_client,",
        "    remove_offline_clients (dry run first), ping; the Network events entity logs arrivals;",
        "  - Start WPS pairing (the pairing sensor stays on for two minutes), Last boot;",
        "  - with --profile velop_mesh: the mesh's nodes, Internet problem, and the speed test",
        "    (enable Start speed test and its sensors), CPU and memory load.",
        "",
        f"  Logs      {logs}/hass.log  and  {logs}/simulator.log",
        f"  {DIM}Ctrl-C stops Home Assistant and the simulator.{RESET}",
        "",
    ]
    return "\n".join(lines)


async def watch(processes: list[ManagedProcess]) -> None:
    """Sleep until a child dies (then raise with its log) or we are cancelled."""
    while True:
        for proc in processes:
            proc.check_alive()
        await asyncio.sleep(1)


async def run(args: argparse.Namespace) -> None:
    """Start everything, print the banner and wait for Ctrl-C; always stop the children."""
    if args.fresh and DEMO_DIR.exists():
        say("removing the previous .demo/")
        shutil.rmtree(DEMO_DIR)
    # A newer release migrates its storage: the releases never share a configuration.
    home = DEMO_DIR if args.ha == "pinned" else DEMO_DIR / args.ha
    config_dir = home / "config"
    logs = home / "logs"
    state_file = home / "demo.json"
    state = load_state(state_file)

    if not port_is_free(args.port):
        raise RunnerError(
            f"port {args.port} on {LOOPBACK} is in use (another demo or Home Assistant?);"
            " choose another with --port"
        )
    router_port = args.router_port or state.get("router_port") or 0
    if not router_port or not port_is_free(router_port):
        if args.router_port:
            raise RunnerError(f"--router-port {router_port} is in use")
        router_port = free_port()

    logs.mkdir(parents=True, exist_ok=True)
    for name in ("hass.log", "simulator.log"):
        (logs / name).unlink(missing_ok=True)
    sim = simulator_process(
        port=router_port,
        password=ROUTER_PASSWORD,
        profile=args.profile,
        clients=args.clients,
        lively=True,
        log_path=logs / "simulator.log",
    )
    write_config_dir(config_dir, port=args.port)
    hass = hass_process(config_dir, log_path=logs / "hass.log", release=args.ha)
    started = time.monotonic()
    try:
        say(
            f"starting the router simulator ({args.profile}) on {LOOPBACK}:{router_port}"
        )
        sim.start()
        say(
            f"starting Home Assistant on {LOOPBACK}:{args.port} (config in {config_dir})"
        )
        hass.start()
        await wait_for_port(sim, router_port, within=30)
        base_url = f"http://{LOOPBACK}:{args.port}"
        async with aiohttp.ClientSession() as session:
            client = HassClient(base_url, session)
            await client.wait_http(hass, within=180)
            status = await client.onboarding_status()
            onboarded = all(status.values())
            if onboarded:
                await client.login(OWNER)
            else:
                say("onboarding: creating the demo owner")
                await client.onboard(OWNER)
            await client.wait_running(hass, within=180)
            version = str((await client.request("GET", "/api/config"))["version"])
            if not onboarded:
                await tidy_onboarding_entries(client)
            entry_id = await ensure_entry(client, state, args, router_port)
            state_file.write_text(
                json.dumps(
                    {
                        "profile": args.profile,
                        "clients": args.clients,
                        "router_port": router_port,
                        "entry_id": entry_id,
                    },
                    indent=2,
                )
            )
            say("creating the Network dashboard")
            dashboard_url = await ensure_network_dashboard(client, entry_id)
            device = await router_device(client, entry_id)
            device_id = None if device is None else str(device["id"])
        say(f"ready in {time.monotonic() - started:.1f} s")
        if args.screenshot is not None and device is not None:
            from scripts.lib.browser import screenshot_device_page

            await screenshot_device_page(
                base_url,
                OWNER,
                str(device["id"]),
                str(device["model"]),
                args.screenshot,
            )
            say(f"saved {args.screenshot}")
            return
        print(
            banner(
                base_url, device_id, args, logs, version, dashboard_url=dashboard_url
            ),
            flush=True,
        )
        await watch([sim, hass])
    finally:
        say("stopping Home Assistant and the simulator")
        hass.stop()
        sim.stop()


def main(argv: list[str]) -> int:
    """Entry point: run until Ctrl-C (or SIGTERM), always leaving nothing running."""
    args = parse_args(argv)
    # Ctrl-C must work even when started from a shell that ignores SIGINT in background jobs;
    # SIGTERM takes the same clean path.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        asyncio.run(run(args))
    except KeyboardInterrupt:
        say("stopped")
        return 0
    except RunnerError as err:
        print(f"{BOLD}demo: error:{RESET} {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
