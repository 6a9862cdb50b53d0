"""The soak: a week of a busy home in simulated time (``scripts/soak``, ``tests/test_soak.py``)."""
