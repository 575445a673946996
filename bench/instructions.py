"""CPU instructions per request, counted by valgrind (callgrind): MEMS vs the bare endpoint.

wrk's requests/s on a shared 2-core VM move by ±30 % from run to run; an instruction count
does not. This calls each app as ASGI in-process (no HTTP server, no load generator) with
the same authenticated member GET as `run.py`, once with 0 and once with N requests after
the same warm-up, under callgrind; the difference divided by N is the app's instructions
per request (PostgreSQL's own work is in another process and not counted).

    .venv/bin/python bench/instructions.py            # both apps, N = 400 (about 3 minutes)
    .venv/bin/python bench/instructions.py --requests 1000

Needs valgrind (`apt-get install valgrind`) and the benchmark data (`bench/datagen.py`, which
this runs first). A guide for changes, not a substitute for `run.py`: requests/s also
depend on what instructions cost (cache misses, system calls) and on concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WARMUP = 50


async def _call(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _serve_requests(which: str, requests: int, data: dict[str, Any]) -> None:
    """The measured process: build one app, warm it up, then make `requests` calls."""
    import uvloop  # noqa: F401 - the loop the servers run on

    token = data["token"]
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    member = data["viewer_member_id"]
    if which == "bare":
        os.environ.setdefault("BENCH_PG_DSN", data["database_url"].replace("+asyncpg", ""))
        sys.path.insert(0, str(HERE))
        import bare_app

        app: Any = bare_app.app
        path = f"/members/{member}"
    else:
        os.environ.update(
            DATABASE_URL=data["database_url"],
            ENVIRONMENT="production",
            SECRET_KEY="bench-secret-key-" + "x" * 32,
            LOG_LEVEL="WARNING",
            SPA_DIR=str(HERE / "no-spa"),
        )
        from mems.main import create_app

        app = create_app()
        path = f"/api/v1/members/{member}"
    async with app.router.lifespan_context(app):
        for _ in range(WARMUP):
            status = await _call(app, path, headers)
            if status != 200:
                raise SystemExit(f"{which}: GET {path} answered {status}")
        for _ in range(requests):
            await _call(app, path, headers)


def _count(which: str, requests: int, data_file: Path, valgrind: str) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(
        [
            valgrind,
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--serve",
            which,
            "--requests",
            str(requests),
            "--data",
            str(data_file),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not found:
        raise SystemExit(f"callgrind run failed ({which}):\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--serve", choices=["mems", "bare"], help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.serve:
        import uvloop

        data = json.loads(args.data.read_text())
        uvloop.run(_serve_requests(args.serve, args.requests, data))
        return

    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    from datagen import generate

    data = asyncio.run(generate())
    data_file = HERE / "results" / "instructions-data.json"
    data_file.parent.mkdir(exist_ok=True)
    data_file.write_text(json.dumps(data.__dict__))
    per_request = {}
    for which in ("mems", "bare"):
        base = _count(which, 0, data_file, valgrind)
        loaded = _count(which, args.requests, data_file, valgrind)
        per_request[which] = (loaded - base) / args.requests
        print(f"{which:5} {per_request[which]:>12,.0f} instructions/request", flush=True)
    print(f"ratio bare / MEMS: {per_request['bare'] / per_request['mems']:.3f}")
    (HERE / "results" / "instructions.json").write_text(
        json.dumps({"requests": args.requests, "instructions_per_request": per_request}, indent=2)
    )


if __name__ == "__main__":
    main()
