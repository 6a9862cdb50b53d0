"""Tests of the JNAP client."""
