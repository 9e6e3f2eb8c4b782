"""Shared fixtures: the five real seed reports shipped in data/raw/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
EXPECTED = Path(__file__).resolve().parent / "expected"
SEEDS = {p.name[:3]: p for p in sorted(RAW.glob("*.txt"))}


def expected(seed: str) -> dict:
    """The tables of one seed, transcribed by hand from its text."""
    return json.loads((EXPECTED / f"{seed}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    assert len(SEEDS) == 5, "the five seed reports must be in data/raw/"
    return SEEDS
