"""`make bench`: the endpoints behind the SPA's main pages, each MEMS vs its bare twin.

One run does, in order:
1. reset, migrate and fill the benchmark database (`bench/datagen.py`: 20 organisations ×
   200 members, the first one a realistic organisation with 1,000 projects over five years,
   2,000 running and their costs, `orgdata.py`);
2. start MEMS (`uvicorn mems.main:create_app --factory`) and the bare FastAPI + asyncpg app
   (`bench/bare_app.py`, one twin per endpoint) with the same uvicorn settings: 1 worker
   process, uvloop, httptools, no access log;
3. check, for every endpoint and every target path, that both answer 200 with the same JSON
   (parsed bodies compared), that MEMS answers 404 for another organisation's member and 401
   without a token;
4. per endpoint: warm both up, then run wrk against each, alternating, several runs each, and
   report the medians and the ratio MEMS / bare (target: 0.5, the member GET 0.6);
5. write everything to `bench/results/latest.json` and the table to `latest.md` (not
   committed).

wrk, both servers and PostgreSQL share the machine's cores: the figures compare the two
endpoints under identical conditions, they are not absolute capacity numbers.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from datagen import DEFAULT_DATABASE_URL, BenchData, generate

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
TARGET_RATIO = 0.5  # every main page's endpoint (issue 8)
MEMBER_TARGET_RATIO = 0.6  # the member GET keeps its earlier target
ENDPOINT_NAMES = (
    "member",
    "me",
    "members",
    "projects",
    "project",
    "goals",
    "goal-tree",
    "approvals",
    "audit",
    "gantt",
    "my-tasks",
    "battle-map",
    "budget",
    "overspend",
)
# Measured in-process, not over HTTP (no data, no servers): the pure scheduler (issue 9).
PURE_NAMES = ("schedule",)
GANTT_TARGET_RATIO = 1 / 1.5  # the Gantt: at most 1.5x the bare fetch's time (issue 9)
# The budget summary (50,000 costs) and the overspend list (2,000 running projects): each at
# most 1.5x the bare SQL aggregate of the same figures (issue 10).
FINANCE_TARGET_RATIO = 1 / 1.5
SCHEDULE_TARGET_MS = 100.0  # scheduling 5,000 tasks (issue 9)
UVICORN_ARGS = [
    "--host",
    "127.0.0.1",
    "--workers",
    "1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--no-access-log",
    "--log-level",
    "warning",
]
SECRET_KEY = "bench-secret-key-" + "b" * 40


class BenchError(Exception):
    pass


# ---- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    prefix: str  # "/api/v1" for MEMS, "" for the bare twins
    headers: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + self.prefix + path


@dataclass(frozen=True)
class Endpoint:
    """One measured endpoint: the paths both servers are asked for, in rotation."""

    name: str
    label: str  # the MEMS route, as the SPA calls it
    paths: tuple[str, ...]
    target: float = TARGET_RATIO
    connections: int | None = None  # wrk connections, when not --connections


def endpoints(data: BenchData) -> list[Endpoint]:
    """The SPA's main pages' requests, with the SPA's parameters (page size 20, the inbox;
    the strategy page asks for a year's top goals with fetchAll's page of 200, then each
    top goal's tree)."""
    pages = tuple(range(0, 200, 20))
    inbox = tuple(range(0, max(data.pending_requests, 1), 20))
    return [
        Endpoint(
            "member",
            "GET /members/{id}",
            tuple(f"/members/{m}" for m in data.member_ids),
            MEMBER_TARGET_RATIO,
        ),
        Endpoint("me", "GET /me (every page)", ("/me",)),
        Endpoint(
            "members",
            "GET /members?limit=20 (成员)",
            tuple(f"/members?limit=20&offset={o}" for o in pages),
        ),
        Endpoint(
            "projects",
            "GET /projects?limit=20 (项目管理)",
            tuple(f"/projects?limit=20&offset={o}" for o in pages),
        ),
        Endpoint(
            "project",
            "GET /projects/{id} (project page)",
            tuple(f"/projects/{p}" for p in data.project_ids[::5]),
        ),
        Endpoint(
            "goals",
            "GET /goals?roots_only (战略目标)",
            tuple(
                f"/goals?period_id={p}&roots_only=true&limit=200&offset=0"
                for p in data.year_period_ids
            ),
        ),
        Endpoint(
            "goal-tree",
            "GET /goals/{id}/tree (战略目标)",
            tuple(f"/goals/{g}/tree" for g in data.root_goal_ids),
        ),
        Endpoint(
            "approvals",
            "GET /approvals?box=inbox (审批中心)",
            tuple(f"/approvals?box=inbox&limit=20&offset={o}" for o in inbox),
        ),
        Endpoint(
            "audit",
            "GET /audit-logs?limit=20 (审计日志)",
            tuple(f"/audit-logs?limit=20&offset={o}" for o in pages),
        ),
        # A 3.8 MB answer: a few planners at a time open a Gantt, not 32 (and 32 connections
        # would queue each request for seconds behind the others on 2 cores).
        Endpoint(
            "gantt",
            "GET /projects/{id}/gantt (5,000 tasks)",
            (f"/projects/{data.largest_project_id}/gantt",),
            GANTT_TARGET_RATIO,
            connections=4,
        ),
        Endpoint("my-tasks", f"GET /me/tasks ({data.home_tasks} open tasks)", ("/me/tasks",)),
        Endpoint(
            "battle-map",
            "GET /projects/{id}/battle-map (5,000 tasks)",
            (f"/projects/{data.largest_project_id}/battle-map",),
            connections=4,
        ),
        # The 预算 tab of the largest programme, and finance's overspend list: each sums tens
        # of thousands of ledger rows; a few people at a time look, not 32.
        Endpoint(
            "budget",
            "GET /projects/{id}/budget (50,000 costs)",
            (f"/projects/{data.largest_project_id}/budget",),
            FINANCE_TARGET_RATIO,
            connections=4,
        ),
        Endpoint(
            "overspend",
            f"GET /finance/overspend ({data.running_projects:,} running projects)",
            ("/finance/overspend?mine=false",),  # finance's and the directors' home
            FINANCE_TARGET_RATIO,
            connections=4,
        ),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(server: Server, app: list[str], env: dict[str, str]) -> None:
    assert server.log_path is not None
    log = server.log_path.open("wb")
    cmd = [sys.executable, "-m", "uvicorn", *app, "--port", str(server.port), *UVICORN_ARGS]
    server.proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_ready(server: Server, probe: str, timeout: float = 60.0) -> None:
    assert server.proc is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise BenchError(f"{server.name} exited at start-up:\n{_tail(server.log_path)}")
        try:
            httpx.get(server.base_url + probe, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise BenchError(
        f"{server.name} did not answer within {timeout:.0f}s:\n{_tail(server.log_path)}"
    )


def _tail(path: Path | None, lines: int = 30) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _stop(server: Server) -> None:
    proc = server.proc
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_servers(data: BenchData, args: argparse.Namespace) -> Iterator[tuple[Server, Server]]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    var_dir = tempfile.mkdtemp(prefix="mems-bench-var-")
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base_env["PYTHONUNBUFFERED"] = "1"
    mems_env = {
        **base_env,
        "DATABASE_URL": data.database_url,
        "ENVIRONMENT": "production",  # as deployed (tests check responses against models)
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": var_dir,
        "SEED_DEMO": "false",
        "SPA_DIR": str(ROOT / "frontend" / "dist"),  # as `make run` (a fallback route, unused)
    }
    if args.redis_url:
        mems_env["REDIS_URL"] = args.redis_url
    for item in args.mems_env:
        key, sep, value = item.partition("=")
        if not sep:
            raise BenchError(f"--mems-env wants KEY=VALUE, not {item!r}")
        mems_env[key] = value
    bare_env = {
        **base_env,
        "BENCH_PG_DSN": data.database_url.replace("postgresql+asyncpg://", "postgresql://", 1),
    }
    mems = Server(
        "mems",
        args.mems_port or _free_port(),
        "/api/v1",
        {"Authorization": f"Bearer {data.token}"},
        log_path=RESULTS_DIR / "mems-server.log",
    )
    # The bare twins do no authentication: the caller is named by a header.
    bare = Server(
        "bare",
        args.bare_port or _free_port(),
        "",
        {"X-Member-Id": data.viewer_member_id},
        log_path=RESULTS_DIR / "bare-server.log",
    )
    try:
        _start(mems, ["mems.main:create_app", "--factory"], mems_env)
        _start(bare, ["bare_app:app", "--app-dir", str(BENCH_DIR)], bare_env)
        _wait_ready(mems, "/api/v1/health")
        _wait_ready(bare, "/members/" + data.member_ids[0])
        yield mems, bare
    finally:
        _stop(mems)
        _stop(bare)
        shutil.rmtree(var_dir, ignore_errors=True)


# ---- correctness checks before measuring -----------------------------------------------------


def _get(client: httpx.Client, server: Server, path: str) -> Any:
    r = client.get(server.url(path), headers=server.headers)
    if r.status_code != 200:
        raise BenchError(f"{server.name} GET {path}: {r.status_code} {r.text[:500]!r}")
    return r.json()


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'MEMS' if key in a else 'bare'}"
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items in MEMS, {len(b)} in bare"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where}: MEMS {a!r:.300} != bare {b!r:.300}"


# Lists MEMS returns in no particular order (its queries have no ORDER BY there, so the order
# is whatever plan PostgreSQL picks), or sorted by a key with ties left in that order (the
# battle map's lists: milestones by due date, issues by severity and score, people by their
# week, critical tasks by their dates): compared as sets. Nothing else is normalised.
UNORDERED = frozenset(
    {
        "goal_ids",
        "goal_links",
        "members",
        "dependencies",
        "goals",
        "critical_path",
        "milestones",
        "overdue_tasks",
        "workload",
        "open_issues",
        # A budget summary's phases: those of its lines in the lines' order, then those only
        # its costs name, in the order the database grouped them.
        "by_phase",
    }
)


def _unordered(body: Any, key: str | None = None) -> Any:
    if isinstance(body, dict):
        return {k: _unordered(v, k) for k, v in body.items()}
    if isinstance(body, list):
        items = [_unordered(v) for v in body]
        if key in UNORDERED:
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return items
    return body


def verify(mems: Server, bare: Server, data: BenchData, selected: list[Endpoint]) -> dict[str, Any]:
    """Every endpoint: both answer 200 with the same JSON (parsed bodies; only the lists in
    UNORDERED are compared as sets) for every target path; MEMS really scopes to the tenant
    and needs authentication."""
    out: dict[str, Any] = {"compared": {}}
    with httpx.Client(timeout=30.0) as client:
        for endpoint in selected:
            sizes = []
            for path in endpoint.paths:
                a = _unordered(_get(client, mems, path))
                b = _unordered(_get(client, bare, path))
                if a != b:
                    raise BenchError(
                        f"{endpoint.name}: GET {path} differs at {_first_difference(a, b)}"
                    )
                sizes.append(len(json.dumps(a, ensure_ascii=False).encode()))
            out["compared"][endpoint.name] = {
                "paths": len(endpoint.paths),
                "body_bytes_median": statistics.median(sizes),
            }
        foreign = client.get(mems.url(f"/members/{data.foreign_member_id}"), headers=mems.headers)
        if foreign.status_code != 404:
            raise BenchError(
                f"MEMS answered {foreign.status_code} (not 404) for another organisation's member"
            )
        anonymous = client.get(mems.url(f"/members/{data.member_ids[1]}"))
        if anonymous.status_code != 401:
            raise BenchError(f"MEMS answered {anonymous.status_code} (not 401) without a token")
    out["mems_foreign_member_status"] = foreign.status_code
    out["mems_without_token_status"] = anonymous.status_code
    return out


# ---- load generation -------------------------------------------------------------------------

_LUA = """-- generated by bench/run.py: rotate over the target ids, report a JSON summary
local paths = {%(paths)s}
local counter = 0
wrk.method = "GET"
%(headers)s
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%.0f, "duration_us": %%.0f, "bytes": %%.0f, ' ..
    '"errors": {"connect": %%.0f, "read": %%.0f, "write": %%.0f, "status": %%.0f, ' ..
    '"timeout": %%.0f}, "latency_us": {"mean": %%.1f, "p50": %%.0f, "p90": %%.0f, ' ..
    '"p99": %%.0f, "max": %%.0f}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


def _lua_script(server: Server, endpoint: Endpoint, directory: Path) -> Path:
    paths = ", ".join(json.dumps(server.prefix + p) for p in endpoint.paths)
    headers = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in server.headers.items()
    )
    path = directory / f"{endpoint.name}-{server.name}.lua"
    path.write_text(_LUA % {"paths": paths, "headers": headers})
    return path


def _cpu_seconds(server: Server) -> float:
    """User + system CPU time of the server process so far (Linux /proc)."""
    if server.proc is None:
        return 0.0
    try:
        fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(
    wrk: str,
    server: Server,
    script: Path,
    duration: float,
    args: argparse.Namespace,
    connections: int | None = None,
) -> dict[str, Any]:
    cmd = [
        wrk,
        f"-t{args.threads}",
        f"-c{connections or args.connections}",
        f"-d{duration:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        server.base_url,
    ]
    cpu_before = _cpu_seconds(server)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    cpu = _cpu_seconds(server) - cpu_before
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    # CPU the server process used per request: steadier than req/s on a busy machine.
    result["server_cpu_ms_per_request"] = 1000 * cpu / max(result["requests"], 1)
    if server.proc is not None and server.proc.poll() is not None:
        raise BenchError(f"{server.name} died during the run:\n{_tail(server.log_path)}")
    return result


def measure(
    wrk: str,
    mems: Server,
    bare: Server,
    endpoint: Endpoint,
    data: BenchData,
    args: argparse.Namespace,
) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {"mems": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="mems-bench-") as tmp:
        scripts = {s.name: _lua_script(s, endpoint, Path(tmp)) for s in (mems, bare)}
        print(f"{endpoint.name}: {endpoint.label}", flush=True)
        print(f"  warming up ({args.warmup:g}s each)...", flush=True)
        for server in (mems, bare):
            run_wrk(wrk, server, scripts[server.name], args.warmup, args, endpoint.connections)
        for i in range(args.runs):
            # Alternate, and swap who goes first each round, so drift hits both alike.
            order = (mems, bare) if i % 2 == 0 else (bare, mems)
            for server in order:
                load = os.getloadavg()[0]
                before = asyncio.run(_pg_sessions(data.database_url))
                result = run_wrk(
                    wrk, server, scripts[server.name], args.duration, args, endpoint.connections
                )
                # Connections the server opened during the run (the probe's own is not counted).
                result["db_connections_opened"] = (
                    asyncio.run(_pg_sessions(data.database_url)) - before - 1
                )
                result["loadavg_1m_before"] = load
                runs[server.name].append(result)
                errors = {k: v for k, v in result["errors"].items() if v}
                print(
                    f"  run {i + 1}/{args.runs} {server.name:<4} {result['rps']:>9.1f} req/s"
                    f"  p50 {result['latency_us']['p50'] / 1000:6.2f} ms"
                    f"  p99 {result['latency_us']['p99'] / 1000:6.2f} ms"
                    + f"  cpu/req {result['server_cpu_ms_per_request']:5.2f} ms"
                    + f"  new db conns {result['db_connections_opened']:>4}"
                    + f"  load {load:4.1f}"
                    + (f"  ERRORS {errors}" if errors else ""),
                    flush=True,
                )
            time.sleep(args.pause)
    return runs


def profile(wrk: str, mems: Server, endpoint: Endpoint, args: argparse.Namespace) -> dict[str, Any]:
    """py-spy samples the MEMS process during one more run of the first selected endpoint
    (the figure is not a result)."""
    py_spy = args.py_spy or shutil.which("py-spy")
    if not py_spy:
        raise BenchError("--profile needs py-spy (pip install py-spy, or pass --py-spy PATH)")
    assert mems.proc is not None
    out = Path(args.profile).resolve()
    fmt = {".svg": "flamegraph", ".json": "speedscope"}.get(out.suffix, "raw")
    rec = subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(mems.proc.pid),
            "--duration",
            f"{int(args.duration)}",
            "--rate",
            "250",
            "--format",
            fmt,
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with tempfile.TemporaryDirectory(prefix="mems-bench-") as tmp:
        result = run_wrk(wrk, mems, _lua_script(mems, endpoint, Path(tmp)), args.duration, args)
    _, err = rec.communicate(timeout=60)
    if rec.returncode != 0:
        raise BenchError(f"py-spy failed: {err.decode(errors='replace')}")
    print(f"Profile ({fmt}) written to {out} (during the profiled run: {result['rps']:.0f} req/s)")
    return {"path": str(out), "format": fmt, "rps_while_profiled": result["rps"]}


# ---- reporting -------------------------------------------------------------------------------


def _median(runs: list[dict[str, Any]], key: str, sub: str | None = None) -> float:
    values = [r[key][sub] if sub else r[key] for r in runs]
    return float(statistics.median(values))


def summarise(runs: dict[str, list[dict[str, Any]]], target: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rs in runs.items():
        out[name] = {
            "rps_median": _median(rs, "rps"),
            "rps_min": min(r["rps"] for r in rs),
            "rps_max": max(r["rps"] for r in rs),
            "p50_ms_median": _median(rs, "latency_us", "p50") / 1000,
            "p99_ms_median": _median(rs, "latency_us", "p99") / 1000,
            "server_cpu_ms_per_request_median": _median(rs, "server_cpu_ms_per_request"),
            "errors": sum(sum(r["errors"].values()) for r in rs),
        }
    out["ratio"] = out["mems"]["rps_median"] / out["bare"]["rps_median"]
    out["ratio_per_round_median"] = statistics.median(
        m["rps"] / b["rps"] for m, b in zip(runs["mems"], runs["bare"], strict=True)
    )
    out["target"] = target
    out["target_met"] = out["ratio"] >= target
    return out


def table(
    summaries: dict[str, dict[str, Any]], selected: list[Endpoint], args: argparse.Namespace
) -> str:
    """The results as a Markdown table (printed, and written beside the JSON)."""
    lines = [
        f"{args.runs} runs x {args.duration:g}s per endpoint and server, alternating, "
        f"{args.connections} connections, {args.threads} wrk threads (medians)",
        "",
        "| endpoint | MEMS req/s | bare req/s | ratio | target | MEMS p50 / p99 ms "
        "| bare p50 / p99 ms | CPU ms/req MEMS / bare |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for endpoint in selected:
        s = summaries[endpoint.name]
        m, b = s["mems"], s["bare"]
        verdict = "met" if s["target_met"] else "**not met**"
        lines.append(
            f"| `{endpoint.label}` | {m['rps_median']:.0f} | {b['rps_median']:.0f} "
            f"| **{s['ratio']:.2f}×** | ≥ {s['target']:.2f} {verdict} "
            f"| {m['p50_ms_median']:.1f} / {m['p99_ms_median']:.1f} "
            f"| {b['p50_ms_median']:.1f} / {b['p99_ms_median']:.1f} "
            f"| {m['server_cpu_ms_per_request_median']:.2f} / "
            f"{b['server_cpu_ms_per_request_median']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def _versions() -> dict[str, str]:
    names = ("fastapi", "starlette", "pydantic", "sqlalchemy", "asyncpg", "uvicorn", "uvloop")
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "?"
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _git(*argv: str) -> str:
    try:
        out = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return out.stdout.strip()
    except OSError:
        return ""


async def _postgres_version(url: str) -> str:
    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port, database=u.database
    )
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


async def _pg_sessions(url: str) -> int:
    """Sessions PostgreSQL has established to the database so far (PostgreSQL 14+)."""
    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port, database=u.database
    )
    try:
        value = await conn.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(value or 0)
    finally:
        await conn.close()


def machine(data: BenchData, wrk: str) -> dict[str, Any]:
    import mems

    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": Path("/etc/debian_version").read_text().strip()
        if Path("/etc/debian_version").exists()
        else platform.platform(),
        "kernel": platform.release(),
        "postgresql": asyncio.run(_postgres_version(data.database_url)),
        "wrk": ((wrk_version.stdout or wrk_version.stderr).splitlines() or ["?"])[0],
        "versions": _versions(),
        "mems_package": str(Path(mems.__file__).parent),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty_backend": bool(_git("status", "--porcelain", "--", "backend")),
    }


# ---- main ------------------------------------------------------------------------------------


def _ensure_wrk() -> str:
    wrk = os.environ.get("WRK", "wrk")
    if not shutil.which(wrk):
        subprocess.run(["bash", str(BENCH_DIR / "ensure-wrk.sh")], check=True)
    found = shutil.which(wrk)
    if not found:
        raise BenchError("wrk is required (apt-get install wrk)")
    return found


def _redis_default() -> str:
    url = os.environ.get("BENCH_REDIS_URL", os.environ.get("TEST_REDIS_URL", ""))
    url = url or "redis://127.0.0.1:6379/0"
    host_port = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=1):
            return url
    except OSError:
        return ""  # no Redis: MEMS runs its jobs in-process (the GET path does not use them)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=None, help="seconds per run (10)")
    p.add_argument("--runs", type=int, default=None, help="runs per endpoint (5)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("--warmup", type=float, default=None, help="warm-up seconds per endpoint (5)")
    p.add_argument("--pause", type=float, default=1.0, help="seconds between rounds (1)")
    p.add_argument("--schedule-runs", type=int, default=15, help="runs of the pure scheduler (15)")
    p.add_argument("--quick", action="store_true", help="a smoke run: 2 runs x 3s, 2s warm-up")
    p.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    p.add_argument("--redis-url", default=None, help="REDIS_URL for MEMS (default: local if up)")
    p.add_argument("--orgs", type=int, default=20)
    p.add_argument("--members", type=int, default=200, help="members per organisation")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--mems-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for MEMS, e.g. DB_POOL_SIZE=20 (repeatable)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME[,NAME]",
        help="measure only these endpoints (repeatable): "
        + ", ".join((*ENDPOINT_NAMES, *PURE_NAMES)),
    )
    p.add_argument(
        "--check-only", action="store_true", help="generate, start and compare; no wrk runs"
    )
    p.add_argument("--mems-port", type=int, default=0, help="MEMS's port (default: a free one)")
    p.add_argument("--bare-port", type=int, default=0, help="the twins' port (default: free)")
    p.add_argument("--output", default=str(RESULTS_DIR / "latest.json"))
    p.add_argument("--profile", default=None, help="also py-spy the MEMS process to this file")
    p.add_argument("--py-spy", default=None, help="path to py-spy (default: on PATH)")
    p.add_argument(
        "--fail-under",
        type=float,
        default=None,
        help="exit 1 if an endpoint's ratio is lower (default: only report each target)",
    )
    args = p.parse_args(argv)
    # Explicit options win over --quick's, which win over the defaults.
    for name, default, quick in (("runs", 5, 2), ("duration", 10.0, 3.0), ("warmup", 5.0, 2.0)):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else default)
    if args.redis_url is None:
        args.redis_url = _redis_default()
    args.only = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    known = (*ENDPOINT_NAMES, *PURE_NAMES)
    unknown = sorted(set(args.only) - set(known))
    if unknown:
        p.error(f"unknown endpoint(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return args


def measure_schedule(args: argparse.Namespace) -> dict[str, Any]:
    """The pure scheduler (`mems.work.schedule.schedule`) on a 5,000-task, 6,000-link
    programme on China's calendar (`orgdata.scheduling_inputs`), in this process: one warm-up,
    then `--schedule-runs` runs; CPU time (process_time) and wall time per run. On a shared
    machine the CPU time is the figure to read: wall time adds whatever else ran meanwhile."""
    from mems.work.schedule import schedule
    from orgdata import scheduling_inputs

    tasks, dependencies, start, calendar = scheduling_inputs(args.seed)
    plan = schedule(tasks, dependencies, start, calendar)
    cpu, wall = [], []
    for _ in range(args.schedule_runs):
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        schedule(tasks, dependencies, start, calendar)
        cpu.append(1000 * (time.process_time() - cpu_before))
        wall.append(1000 * (time.perf_counter() - wall_before))
    out = {
        "tasks": len(tasks),
        "dependencies": len(dependencies),
        "critical_tasks": len(plan.critical_path),
        "finish": plan.finish.isoformat(),
        "runs": args.schedule_runs,
        "cpu_ms": [round(x, 2) for x in cpu],
        "wall_ms": [round(x, 2) for x in wall],
        "cpu_ms_median": statistics.median(cpu),
        "cpu_ms_min": min(cpu),
        "wall_ms_median": statistics.median(wall),
        "wall_ms_min": min(wall),
        "loadavg_1m": os.getloadavg()[0],
        "target_ms": SCHEDULE_TARGET_MS,
    }
    out["target_met"] = out["cpu_ms_median"] < SCHEDULE_TARGET_MS
    print(
        f"schedule: {len(tasks)} tasks, {len(dependencies)} dependencies, "
        f"{args.schedule_runs} runs: CPU median {out['cpu_ms_median']:.1f} ms "
        f"(min {out['cpu_ms_min']:.1f}), wall median {out['wall_ms_median']:.1f} ms "
        f"(min {out['wall_ms_min']:.1f}), load {out['loadavg_1m']:.1f}; target < "
        f"{SCHEDULE_TARGET_MS:g} ms {'met' if out['target_met'] else 'NOT MET'}",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        scheduled = None
        if not args.check_only and (not args.only or "schedule" in args.only):
            scheduled = measure_schedule(args)
        if args.only and all(n in PURE_NAMES for n in args.only):
            assert scheduled is not None
            out = Path(args.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            report = {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "schedule": scheduled,
            }
            out.write_text(json.dumps(report, indent=2) + "\n")
            print(f"Results written to {out}")
            return 0 if scheduled["target_met"] or args.fail_under is None else 1
        wrk = "" if args.check_only else _ensure_wrk()
        print(
            f"Generating data: {args.orgs} organisations x {args.members} members, "
            "the first with 1,000 projects over five years, 2,000 running, ~135,000 costs...",
            flush=True,
        )
        started = time.monotonic()
        data = asyncio.run(
            generate(args.database_url, orgs=args.orgs, members=args.members, seed=args.seed)
        )
        print(f"  done in {time.monotonic() - started:.0f}s: {data.row_counts}", flush=True)
        selected = [e for e in endpoints(data) if not args.only or e.name in args.only]
        if scheduled is not None:  # measured before the servers, repeated beside the table
            print(f"schedule: CPU median {scheduled['cpu_ms_median']:.1f} ms", flush=True)
        assert [e.name for e in endpoints(data)] == list(ENDPOINT_NAMES)
        with running_servers(data, args) as (mems, bare):
            checks = verify(mems, bare, data, selected)
            print(
                "Checked: identical JSON from MEMS and the twin for "
                + ", ".join(f"{k} ({v['paths']} paths)" for k, v in checks["compared"].items())
                + f"; MEMS answers {checks['mems_foreign_member_status']} for another "
                f"organisation's member and {checks['mems_without_token_status']} without a "
                "token.",
                flush=True,
            )
            if args.check_only:
                return 0
            runs = {e.name: measure(wrk, mems, bare, e, data, args) for e in selected}
            prof = profile(wrk, mems, selected[0], args) if args.profile else None
        summaries = {e.name: summarise(runs[e.name], e.target) for e in selected}
        text_table = table(summaries, selected, args)
        print()
        print(text_table)
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "benchmark": "the SPA's main pages' endpoints, each vs a bare FastAPI+asyncpg twin",
            "settings": {
                "duration_s": args.duration,
                "runs": args.runs,
                "connections": args.connections,
                "wrk_threads": args.threads,
                "warmup_s": args.warmup,
                "uvicorn": UVICORN_ARGS,
                "mems_jobs": "arq (REDIS_URL)" if args.redis_url else "in-process",
                "mems_env": args.mems_env,
                "data": {
                    k: v
                    for k, v in asdict(data).items()
                    if k not in ("member_ids", "project_ids", "root_goal_ids", "year_period_ids")
                },
            },
            "machine": machine(data, wrk),
            "checks": checks,
            "endpoints": {
                e.name: {
                    "label": e.label,
                    "paths": list(e.paths),
                    "summary": summaries[e.name],
                    "runs": runs[e.name],
                }
                for e in selected
            },
            "profile": prof,
            "schedule": scheduled,
        }
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
        out.with_suffix(".md").write_text(text_table)
        print(f"Results written to {out} (table: {out.with_suffix('.md')})")
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    errors = sum(s[n]["errors"] for s in summaries.values() for n in ("mems", "bare"))
    if errors:
        print(f"bench: wrk saw {errors} errors (non-2xx, timeouts, socket errors)", file=sys.stderr)
        return 1
    if args.fail_under is not None and any(
        s["ratio"] < args.fail_under for s in summaries.values()
    ):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
