"""The ASGI application: API under /api/v1, the built SPA at /."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from mems import __version__
from mems.api import ROUTERS
from mems.channels.router import INGEST_BODIES
from mems.collab.router import UPLOAD_PATH
from mems.config import Settings, get_settings
from mems.core import responses
from mems.core.apidocs import install_api_docs
from mems.core.db import Database
from mems.core.errors import install_error_handlers, use_problem_json_in_openapi
from mems.core.i18n import _
from mems.core.jobs import ArqQueue, InProcessQueue, JobQueue
from mems.core.logging import configure_logging
from mems.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from mems.core.proxy import ClientAddressMiddleware
from mems.core.routing import API_PREFIX, index_routes
from mems.finance.router import IMPORT_PATH
from mems.identity.principal import principal_cache
from mems.jobs import check_registrations

log = logging.getLogger("mems")


def create_app(
    settings: Settings | None = None, *, db: Database | None = None, jobs: JobQueue | None = None
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    check_registrations()  # a handler that is missing fails here, not on the first request
    principal_cache.ttl = settings.principal_cache_seconds
    # Tests check every fast read response against its response model (core/responses.py).
    responses.VERIFY = settings.environment == "test"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_db = db is None
        app.state.db = db or Database.from_url(
            settings.effective_database_url,
            pool_size=settings.db_pool_size,
            pool_timeout=settings.db_pool_timeout,
        )
        queue: JobQueue = jobs or (
            ArqQueue(settings.redis_url) if settings.redis_url else InProcessQueue(app.state.db)
        )
        app.state.jobs = queue
        await queue.start()
        log.info(
            "MEMS started", extra={"jobs": queue.mode, "database": app.state.db.engine.dialect.name}
        )
        if settings.environment != "test":
            # What start-up built (modules, mappers, models, routes: ~190,000 objects) lives as
            # long as the process: out of the collector's generations, a full collection, which
            # a large read's allocations trigger (a Gantt's or battle map's thousands of rows),
            # no longer walks all of it (half the battle map's fetch of 5,000 tasks was that).
            # Not in tests, which start many apps in one process.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if jobs is None:
                await queue.close()
            if own_db:
                await app.state.db.engine.dispose()

    app = FastAPI(
        title="MEMS API",
        summary="Marketing Engineering Management System (营销工程管理系统)",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # core.apidocs serves Swagger UI with its own assets, no CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    use_problem_json_in_openapi(app)
    for router in ROUTERS:
        app.router.routes.extend(router.routes)  # flat: see mems.core.routing
    install_api_docs(app, f"{API_PREFIX}/docs")
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        # An upload (an attachment, a spreadsheet of costs) counts its file's bytes itself
        # (413 past its own limit); this only leaves room for the multipart envelope.
        larger=[
            (UPLOAD_PATH, settings.max_upload_bytes + 64 * 1024),
            (IMPORT_PATH, settings.max_import_bytes + 64 * 1024),
            # A batch of 10,000 records (about 3 MB of JSON).
            (INGEST_BODIES, settings.max_ingest_bytes),
        ],
    )
    app.add_middleware(RequestContextMiddleware)
    if settings.trusted_proxies:
        app.add_middleware(ClientAddressMiddleware, trusted=settings.trusted_proxy_networks)
    _mount_spa(app, settings.spa_dir)
    index_routes(app)
    return app


def _mount_spa(app: FastAPI, spa_dir: Path) -> None:
    """Serve the built SPA; unknown non-API paths get index.html (client-side routing)."""
    index = spa_dir / "index.html"
    if not index.exists():
        log.warning("SPA not built: %s missing (run `make build`)", index)
        return
    if (spa_dir / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=spa_dir / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:  # sync: runs in the threadpool, may touch the disk
        if path.startswith(API_PREFIX.lstrip("/")):
            from mems.core.errors import NotFound

            raise NotFound(_("No API route /{path}.", path=path))
        candidate = (spa_dir / path).resolve()
        if path and candidate.is_file() and spa_dir.resolve() in candidate.parents:
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
