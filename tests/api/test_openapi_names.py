"""Schema names are unique in the document: two models with one class name get mangled names
(mems__domain__schemas__X) that change whenever a third appears, and the generated client's
types with them (a finance page broke that way once). Only the two known phase shapes are
allowed to share a name."""

from __future__ import annotations

from pathlib import Path

import yaml

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"
KNOWN = {"mems__projects__schemas__PhaseRead", "mems__work__schemas__PhaseRead"}


def test_no_two_models_share_a_schema_name() -> None:
    schemas = yaml.safe_load(OPENAPI.read_text())["components"]["schemas"]
    mangled = {name for name in schemas if name.startswith("mems__")}
    assert mangled <= KNOWN, sorted(mangled - KNOWN)
