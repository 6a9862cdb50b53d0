"""A lively world for demos: clients come and go, one client toggles band every minute."""

from __future__ import annotations

import random

from .server import RouterSimulator


class Lively:
    """Call minute() once a minute (of sim clock); it returns what happened."""

    def __init__(self, sim: RouterSimulator, rng: random.Random) -> None:
        self.sim = sim
        self.rng = rng
        st = sim.state
        wireless = [
            m for m, c in st.connections.items() if c.band is not None and not c.guest
        ]
        self.toggler = wireless[0] if wireless else None
        self.next_churn = sim.clock() + rng.uniform(60, 240)

    def minute(self) -> list[str]:
        """Advance the world by one step."""
        sim, st, rng = self.sim, self.sim.state, self.rng
        events: list[str] = []
        if self.toggler is not None and self.toggler in st.connections:
            band = "2.4GHz" if st.connections[self.toggler].band == "5GHz" else "5GHz"
            sim.roam(self.toggler, band)
            events.append(f"{self.toggler} roamed to {band}")
        if sim.clock() < self.next_churn:
            return events
        self.next_churn = sim.clock() + rng.uniform(120, 300)
        # Only clients come and go, never the router or mesh nodes.
        clients = [
            d for d in st.devices.values() if d.node_type is None and not d.is_authority
        ]
        online = [
            m
            for d in clients
            for m in d.macs
            if m in st.connections and m != self.toggler
        ]
        offline = [d for d in clients if not any(m in st.connections for m in d.macs)]
        if online and (not offline or rng.random() < 0.5):
            mac = rng.choice(online)
            sim.disconnect_client(mac)
            events.append(f"{mac} left")
        elif offline:
            iface = rng.choice(rng.choice(offline).interfaces)
            sim.connect_client(
                iface.mac, band=iface.band, signal=-rng.randrange(35, 80)
            )
            events.append(f"{iface.mac} arrived")
        return events
