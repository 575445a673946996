"""`python -m mems <command>`: serve, migrate, seed, openapi, worker."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from mems.config import PROJECT_ROOT, Settings, get_settings


async def _prepare(settings: Settings, *, seed: bool) -> None:
    """Migrate to head and, when asked, seed the demo organisation."""
    from mems import jobs  # the seed queues jobs (a batch to write …): their handlers
    from mems.core.db import Database
    from mems.demo.seed import demo_logins_text, seed_demo
    from mems.migrate import upgrade

    jobs.check_registrations()

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_url(settings.effective_database_url)
    try:
        await upgrade(db.engine)
        if seed:
            async with db.sessionmaker() as session:
                created = await seed_demo(session)
                await session.commit()
            print(
                ("Seeded the demo organisation. " if created else "") + demo_logins_text(),
                flush=True,
            )
    finally:
        await db.engine.dispose()


def cmd_migrate(_: argparse.Namespace) -> None:
    asyncio.run(_prepare(get_settings(), seed=False))


def cmd_seed(_: argparse.Namespace) -> None:
    asyncio.run(_prepare(get_settings(), seed=True))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = get_settings()
    settings.resolved_secret_key()  # embedded mode: create var/secret_key before any worker
    asyncio.run(_prepare(settings, seed=settings.should_seed_demo))
    port = args.port or settings.port
    print(
        f"MEMS is serving at http://{settings.host}:{port}/  (API: /api/v1, docs: /api/v1/docs)",
        flush=True,
    )
    uvicorn.run(
        "mems.main:create_app",
        factory=True,
        host=settings.host,
        port=port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        # The client address comes from mems.core.proxy (TRUSTED_PROXIES) alone; uvicorn's
        # own handling would trust FORWARDED_ALLOW_IPS too.
        proxy_headers=False,
    )


def cmd_openapi(args: argparse.Namespace) -> None:
    from mems.openapi import render_openapi

    text = render_openapi()
    if args.check:
        path = Path(args.output)
        if not path.exists() or path.read_text() != text:
            print(f"{path} is stale: run `make openapi`", file=sys.stderr)
            raise SystemExit(1)
        return
    Path(args.output).write_text(text)


def cmd_worker(_: argparse.Namespace) -> None:
    from mems.worker import run_worker

    run_worker()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="mems", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed when asked, serve API + SPA")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(
        func=cmd_migrate
    )
    sub.add_parser("seed", help="migrate and create the demo organisation").set_defaults(
        func=cmd_seed
    )
    openapi = sub.add_parser("openapi", help="write openapi.yaml from the app")
    openapi.add_argument("--output", default=str(PROJECT_ROOT / "openapi.yaml"))
    openapi.add_argument("--check", action="store_true", help="fail if the file is stale")
    openapi.set_defaults(func=cmd_openapi)
    sub.add_parser("worker", help="run the arq worker (needs REDIS_URL)").set_defaults(
        func=cmd_worker
    )
    args = parser.parse_args(argv)
    args.func(args)
