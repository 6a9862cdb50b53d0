"""The simulator in its own process, behind a byte-counting TCP relay.

Home Assistant's CPU time must not include the router's, so the bench runs the simulator
here and talks to it over stdin/stdout, one JSON object per line:

    -> {"port": relay_port, "serial": ..., "title": ...}          once, when listening
    <- {"cmd": "reset"}                -> {"ok": true}           clear the request log and byte counters
    <- {"cmd": "stats"}                -> {"requests": n, ...}   since the last reset
    <- {"cmd": "churn", "fraction": f} -> {"changed": k}         change k = ceil(f * clients) clients
    <- {"cmd": "jitter"}               -> {"changed": k}         move every live Wi-Fi signal a little
    <- {"cmd": "quit"}                                           stop

The relay counts every byte on the wire (HTTP headers included) in each direction; the
simulator's own request log gives round trips, actions and body sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import sys
from typing import Any

from tests.simulator import RouterSimulator

BANDS = ("2.4GHz", "5GHz")


class ByteRelay:
    """Forward TCP connections to the simulator, counting bytes each way."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.sent = 0
        """Bytes from Home Assistant to the router."""
        self.received = 0
        """Bytes from the router to Home Assistant."""
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()

    async def _handle(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        server_r, server_w = await asyncio.open_connection(
            "127.0.0.1", self.target_port
        )
        up = asyncio.create_task(self._pipe(client_r, server_w, upstream=True))
        down = asyncio.create_task(self._pipe(server_r, client_w, upstream=False))
        self._tasks.update((up, down))
        try:
            await asyncio.wait((up, down), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (up, down):
                task.cancel()
                self._tasks.discard(task)
            for writer in (client_w, server_w):
                writer.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        upstream: bool,
    ) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await reader.read(65536):
                # Counted before forwarding: the peer cannot have it before we do.
                if upstream:
                    self.sent += len(data)
                else:
                    self.received += len(data)
                writer.write(data)
                await writer.drain()


def churn(sim: RouterSimulator, rng: random.Random, fraction: float) -> int:
    """Change about `fraction` of the clients the way a busy home does.

    Online wireless clients: half change signal only (no revision bump, as on a real
    router), a quarter roam band, a quarter leave. Online wired clients leave. Offline
    clients arrive.
    """
    st = sim.state
    clients = [
        d
        for d in st.devices.values()
        if not d.is_authority and d.node_type is None and d.interfaces
    ]
    count = min(len(clients), math.ceil(fraction * len(clients)))
    for device in rng.sample(clients, count):
        live = next((m for m in device.macs if m in st.connections), None)
        if live is None:
            iface = device.interfaces[0]
            band = iface.band if iface.interface_type == "Wireless" else None
            sim.connect_client(iface.mac, band=band, signal=-rng.randrange(35, 80))
            continue
        conn = st.connections[live]
        roll = rng.random()
        if conn.band is None or roll < 0.25:
            sim.disconnect_client(live)
        elif roll < 0.5:
            sim.roam(live, BANDS[1] if conn.band == BANDS[0] else BANDS[0])
        else:
            conn.signal = -rng.randrange(35, 80)
    return count


def jitter(sim: RouterSimulator, rng: random.Random) -> int:
    """Move every live Wi-Fi signal by a few dB, as a real router reports at each poll."""
    changed = 0
    for conn in sim.state.connections.values():
        if conn.band is not None:
            conn.signal += rng.choice((-3, -2, -1, 1, 2, 3))
            changed += 1
    return changed


def stats(sim: RouterSimulator, relay: ByteRelay) -> dict[str, Any]:
    records = sim.requests
    return {
        "requests": len(records),
        "actions": sum(max(1, len(r.actions)) for r in records),
        "body_sent": sum(r.bytes_in for r in records),
        "body_received": sum(r.bytes_out for r in records),
        "wire_sent": relay.sent,
        "wire_received": relay.received,
        "failed": sum(1 for r in records if r.status != 200),
        "connections": relay.connections,
        "calls": ["+".join(r.actions) for r in records],
    }


async def serve(args: argparse.Namespace) -> None:
    sim = RouterSimulator(args.profile, args.password, args.clients, args.seed)
    await sim.start(host="127.0.0.1", port=0)
    relay = ByteRelay(sim.port)
    port = await relay.start()
    rng = random.Random(args.seed + 7)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )

    def answer(obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    info = sim.state.device_info
    answer({"port": port, "serial": info.serial_number, "title": info.description})
    try:
        while line := await reader.readline():
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd == "reset":
                sim.reset_counters()
                relay.sent = relay.received = relay.connections = 0
                answer({"ok": True})
            elif cmd == "stats":
                answer(stats(sim, relay))
            elif cmd == "churn":
                answer({"changed": churn(sim, rng, float(msg["fraction"]))})
            elif cmd == "jitter":
                answer({"changed": jitter(sim, rng)})
            elif cmd == "quit":
                break
            else:
                answer({"error": f"unknown command {cmd!r}"})
    finally:
        await relay.stop()
        await sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.simproc")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--profile", default="smartwifi")
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
