"""Benchmark of the integration against the router simulator (scripts/bench)."""
