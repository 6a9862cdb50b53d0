"""End-to-end tests: the integration in a real Home Assistant process, and in a browser."""
