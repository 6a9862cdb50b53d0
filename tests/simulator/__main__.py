"""Run the simulator standalone: python -m tests.simulator --port 8080 --password pw."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random

from .profiles import PROFILES
from .server import RouterSimulator

_LOGGER = logging.getLogger("tests.simulator")


async def _lively(sim: RouterSimulator, rng: random.Random) -> None:
    """Clients come and go every few minutes; one client toggles band every minute."""
    st = sim.state
    wireless = [
        m for m, c in st.connections.items() if c.band is not None and not c.guest
    ]
    toggler = wireless[0] if wireless else None
    next_churn = sim.clock() + rng.uniform(60, 240)
    while True:
        await asyncio.sleep(60)
        if toggler is not None and toggler in st.connections:
            band = "2.4GHz" if st.connections[toggler].band == "5GHz" else "5GHz"
            sim.roam(toggler, band)
            _LOGGER.info("lively: %s roamed to %s", toggler, band)
        if sim.clock() >= next_churn:
            next_churn = sim.clock() + rng.uniform(120, 300)
            # Only clients come and go, never the mesh nodes.
            nodes = {
                m
                for d in st.devices.values()
                if d.node_type or d.is_authority
                for m in d.macs
            }
            online = [m for m in st.connections if m != toggler and m not in nodes]
            offline = [
                d.macs[0]
                for d in st.devices.values()
                if d.node_type is None
                and not d.is_authority
                and not any(m in st.connections for m in d.macs)
            ]
            if online and (not offline or rng.random() < 0.5):
                mac = rng.choice(online)
                sim.disconnect_client(mac)
                _LOGGER.info("lively: %s left", mac)
            elif offline:
                mac = rng.choice(offline)
                sim.connect_client(
                    mac,
                    band=rng.choice(("2.4GHz", "5GHz", None)),
                    signal=-rng.randrange(35, 80),
                )
                _LOGGER.info("lively: %s arrived", mac)


async def _main(args: argparse.Namespace) -> None:
    sim = RouterSimulator(
        profile=args.profile,
        password=args.password,
        clients=args.clients,
        seed=args.seed,
    )
    await sim.start(host=args.host, port=args.port)
    _LOGGER.info(
        "%s simulator (%s) listening on %s",
        args.profile,
        sim.state.device_info.model_number,
        sim.url,
    )
    task = (
        asyncio.create_task(_lively(sim, random.Random(args.seed)))
        if args.lively
        else None
    )
    try:
        await asyncio.Event().wait()
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await sim.stop()


def main() -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.simulator", description="Fake Linksys JNAP router"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--password", default="admin")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="smartwifi")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--lively",
        action="store_true",
        help="clients arrive/leave; one toggles band every minute",
    )
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
