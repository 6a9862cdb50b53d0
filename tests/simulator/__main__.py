"""Run the simulator standalone: python -m tests.simulator --port 8080 --password pw."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random

from .lively import Lively
from .profiles import PROFILES
from .server import RouterSimulator

_LOGGER = logging.getLogger("tests.simulator")


async def _lively(sim: RouterSimulator, rng: random.Random) -> None:
    """Clients come and go every few minutes; one client toggles band every minute."""
    world = Lively(sim, rng)
    while True:
        await asyncio.sleep(60)
        for event in world.minute():
            _LOGGER.info("lively: %s", event)


async def _main(args: argparse.Namespace) -> None:
    sim = RouterSimulator(args.profile, args.password, args.clients, args.seed)
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
