"""tests/bench/models.py keeps working, and its variants keep meaning what docs/models.md says.

No timing is asserted: only that the mashumaro variant gives exactly our models and our
tolerance (so its figures compare like with like) and that the bare variants do not.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.bench.models import main, measure, measure_declarative, table


def test_variants_parse_what_the_doc_says() -> None:
    result = measure(clients=40, runs=1) | {"declarative": measure_declarative(runs=1)}
    rows = result["variants"]
    assert result["devices"] > 40  # the router and its clients
    for name in ("ours", "mashumaro"):
        assert rows[name]["same_as_ours"] is True
        assert rows[name]["bad_entry"] == "skips the entry"
    assert rows["mashumaro-bare"]["same_as_ours"] is None
    assert rows["mashumaro-bare"]["bad_entry"] == "lets it through"
    assert rows["ours"]["own_lines"] > 0 < rows["ours"]["parser_lines"]
    assert result["declarative"]["machinery_lines"] > 0
    assert "mashumaro-bare" in table(result)


def test_script_prints_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["models", "--json", "--clients", "5", "--runs", "1"]
    )
    main()
    result = json.loads(capsys.readouterr().out)
    assert set(result["declarative"]["variants"]) == {"ours", "mashumaro"}
    assert result["variants"]["ours"]["median_ms"] > 0
