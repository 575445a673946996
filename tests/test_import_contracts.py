"""The import contracts (pyproject.toml, `[tool.importlinter]`, run by `make lint`): every
domain package is named in them, and they fail on the kind of import they exist to stop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backend" / "mems"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CORE = "mems.core imports no domain"
SERVICES = "A domain uses another domain only through its service"
ROUTERS = "No router imports another router"
WEB = "Services know no web framework"
PURE = "The principal and the project policy are pure"


def _contracts() -> dict[str, dict[str, list[str]]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _domains() -> set[str]:
    return {
        f"mems.{p.name}"
        for p in PACKAGE.iterdir()
        if (p / "__init__.py").exists() and p.name != "core"
    }


def test_every_domain_package_is_under_contract() -> None:
    contracts = _contracts()
    domains = _domains()
    assert {"mems.identity", "mems.projects", "mems.approvals"} <= domains
    assert domains <= set(contracts["domains-through-services"]["source_modules"])
    assert domains <= set(contracts["core-imports-no-domain"]["forbidden_modules"])


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "backend")}
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the backend package and the contracts, to break on purpose."""
    shutil.copytree(
        PACKAGE, tmp_path / "backend" / "mems", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_its_contracts(tree: Path) -> None:
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a domain reading another domain's repository or models
        ("strategy/router.py", "from mems.projects import repository", SERVICES),
        ("projects/service.py", "from mems.approvals.models import ApprovalRequest", SERVICES),
        ("system/service.py", "from mems.identity import jobs", SERVICES),
        # a router importing another router (also a domain reaching past a service)
        ("projects/router.py", "from mems.approvals import router as _r", ROUTERS),
        # core importing a domain, even through a domain's service
        ("core/audit.py", "from mems.identity import service as _s", CORE),
        # a service reaching for the request, or the principal for the web framework
        ("strategy/service.py", "from mems.identity.auth import Requires", WEB),
        ("notifications/service.py", "from fastapi import Request", WEB),
        ("identity/principal.py", "from mems.core.db import SessionDep", PURE),
        ("projects/policy.py", "from mems.core.errors import Forbidden", PURE),
    ],
)
def test_a_break_fails_the_build(tree: Path, module: str, line: str, broken: str) -> None:
    path = tree / "backend" / "mems" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout
