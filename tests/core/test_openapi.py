from __future__ import annotations

import re
from pathlib import Path

import yaml

from mems.config import PROJECT_ROOT
from mems.openapi import render_openapi


def test_openapi_yaml_is_up_to_date() -> None:
    committed = (PROJECT_ROOT / "openapi.yaml").read_text()
    assert committed == render_openapi(), "openapi.yaml is stale: run `make openapi`"


def test_operation_ids_are_stable_and_unique() -> None:
    spec = yaml.safe_load(render_openapi())
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+-[a-z_]+", i) for i in ids), ids


def test_every_operation_documents_problem_responses() -> None:
    spec = yaml.safe_load(Path(PROJECT_ROOT / "openapi.yaml").read_text())
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.endswith("/health"):
                continue
            codes = set(op["responses"])
            assert codes & {"401", "422"}, f"{method.upper()} {path} documents no problem responses"
