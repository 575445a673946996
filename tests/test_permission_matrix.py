"""The role matrices together: every operation under /api/v1 (except the public /health,
/auth/login and /auth/token) is in exactly one domain's table — the table of the domain whose
router serves it — and every route has an authentication dependency.

A new endpoint that no `tests/<domain>/test_permissions.py` lists fails here; so does a route
without a guard. The tables themselves run in their domains (harness: permission_matrix.py).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute

from mems.identity.auth import CurrentPrincipal, Requires, current_principal
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from tests.permission_matrix import API, PUBLIC, Row

TESTS = Path(__file__).resolve().parent
OPENAPI_FILE = TESTS.parent / "openapi.yaml"
Operation = tuple[str, str]


def _tables() -> dict[str, list[Row]]:
    """Every domain's MATRIX, by domain (the folder of its test_permissions.py)."""
    tables: dict[str, list[Row]] = {}
    for path in sorted(TESTS.glob("*/test_permissions.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_permissions")
        matrix = getattr(module, "MATRIX", None)
        assert isinstance(matrix, list), f"{path} has no MATRIX"
        assert matrix, f"{path}: MATRIX is empty"
        tables[path.parent.name] = matrix
    return tables


def _listed() -> dict[Operation, list[str]]:
    """Each operation the tables list → the domains listing it."""
    out: dict[Operation, list[str]] = {}
    for domain, rows in _tables().items():
        for row in rows:
            # A row's path may carry the query string the operation needs.
            out.setdefault((row.method, row.path.split("?")[0]), []).append(domain)
    return out


def test_every_domain_has_its_table() -> None:
    assert {"identity", "system", "strategy", "projects", "approvals", "notifications"} <= set(
        _tables()
    )


def test_no_operation_is_listed_twice() -> None:
    twice = {f"{m} {p}": d for (m, p), d in _listed().items() if len(d) > 1}
    assert twice == {}


def _operations_in(spec: dict[str, Any]) -> set[Operation]:
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    return {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        if path.startswith(API)
        for method in ops
        if method in methods
    }


def test_the_tables_cover_every_endpoint_of_the_committed_openapi() -> None:
    spec = yaml.safe_load(OPENAPI_FILE.read_text())
    assert _operations_in(spec) - PUBLIC == set(_listed())


def test_the_tables_cover_every_endpoint(app: FastAPI) -> None:
    assert _operations_in(app.openapi()) - PUBLIC == set(_listed())


def _route_contexts(app: FastAPI) -> list[Any]:
    """Every route with its effective dependencies (those of including routers too)."""
    try:  # FastAPI >= 0.16x keeps included routers nested; this flattens them.
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI: the routes are flat already
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def _api_routes(app: FastAPI) -> list[Any]:
    return [
        r
        for r in _route_contexts(app)
        if isinstance(getattr(r, "original_route", r), APIRoute) and (r.path or "").startswith(API)
    ]


def _domain_of(route: Any) -> str:
    """The domain whose router serves the route (mems.<domain>.router)."""
    endpoint = getattr(getattr(route, "original_route", route), "endpoint", None)
    module = getattr(endpoint, "__module__", "")
    assert module.startswith("mems."), module
    assert module.endswith(".router"), module
    return module.split(".")[1]


def test_each_operation_is_in_its_own_domains_table(app: FastAPI) -> None:
    listed = _listed()
    misplaced = {}
    for route in _api_routes(app):
        for method in route.methods:
            op = (method, route.path)
            if op in PUBLIC or op not in listed:
                continue
            if listed[op] != [_domain_of(route)]:
                misplaced[f"{method} {route.path}"] = (listed[op], _domain_of(route))
    assert misplaced == {}, "listed in → served by"


def _dependency_calls(route: Any) -> set[Any]:
    calls: set[Any] = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        calls.add(dep.call)
        stack.extend(dep.dependencies)
    return calls


def _is_guarded(route: Any) -> bool:
    calls = _dependency_calls(route)
    return current_principal in calls or any(hasattr(call, "required_permission") for call in calls)


def test_every_route_is_guarded(app: FastAPI) -> None:
    api_routes = _api_routes(app)
    seen: set[Operation] = set()
    unguarded: list[str] = []
    for route in api_routes:
        for method in route.methods:
            seen.add((method, route.path))
            if (method, route.path) not in PUBLIC and not _is_guarded(route):
                unguarded.append(f"{method} {route.path}")
    assert unguarded == []
    # The walk really saw every route (and the public ones really are unguarded).
    assert seen - PUBLIC == set(_listed())
    public = [r for r in api_routes if any((m, r.path) in PUBLIC for m in r.methods)]
    assert len(public) == len(PUBLIC)
    assert not any(_is_guarded(r) for r in public)


async def _open_route() -> None:
    return None


async def _by_permission(_p: Principal = Requires(Permission.AUDIT_READ)) -> None:
    return None


async def _by_login(_p: CurrentPrincipal) -> None:
    return None


def test_the_guard_detector_detects() -> None:
    """`_is_guarded` tells guarded from unguarded routes, through nested routers too."""
    inner = APIRouter(prefix="/inner")
    inner.add_api_route("/open", _open_route)
    inner.add_api_route("/by-permission", _by_permission)
    inner.add_api_route("/by-login", _by_login)
    guarded_router = APIRouter(prefix="/guarded", dependencies=[Depends(current_principal)])
    guarded_router.add_api_route("/open", _open_route)
    outer = APIRouter(prefix=API)
    outer.include_router(inner)
    outer.include_router(guarded_router)
    probe = FastAPI()
    probe.include_router(outer)

    routes = {r.path: r for r in _api_routes(probe)}
    assert set(routes) == {
        f"{API}/inner/open",
        f"{API}/inner/by-permission",
        f"{API}/inner/by-login",
        f"{API}/guarded/open",
    }
    assert not _is_guarded(routes[f"{API}/inner/open"])
    assert _is_guarded(routes[f"{API}/inner/by-permission"])
    assert _is_guarded(routes[f"{API}/inner/by-login"])
    assert _is_guarded(routes[f"{API}/guarded/open"])
