"""The arq worker: runs every registered job and cron job (`make worker`, needs REDIS_URL)."""

from __future__ import annotations

from typing import Any, ClassVar

from arq.connections import RedisSettings
from arq.worker import run_worker as arq_run_worker

from mems.config import get_settings
from mems.core.db import Database
from mems.core.jobs import arq_functions
from mems.core.logging import configure_logging
from mems.jobs import check_registrations


def _db() -> Database:
    settings = get_settings()
    return Database.from_url(
        settings.effective_database_url,
        pool_size=settings.db_pool_size,
        pool_timeout=settings.db_pool_timeout,
    )


check_registrations()  # the worker refuses to start without every handler
_functions, _crons, _on_startup, _on_shutdown = arq_functions(_db)


class WorkerSettings:
    functions: ClassVar[list[Any]] = _functions
    cron_jobs: ClassVar[list[Any]] = _crons
    on_startup = staticmethod(_on_startup)
    on_shutdown = staticmethod(_on_shutdown)
    max_tries = 5
    health_check_interval = 30
    # How often an idle worker asks Redis for jobs (arq's default is 0.5 s): a batch of
    # channel data waits for the next poll before it is written, so poll often (20 cheap
    # queries a second when idle).
    poll_delay = 0.05

    @classmethod
    def redis(cls) -> RedisSettings:
        settings = get_settings()
        if not settings.redis_url:
            raise SystemExit(
                "REDIS_URL is not set: the embedded default runs jobs in the API process."
            )
        return RedisSettings.from_dsn(settings.redis_url)


def run_worker() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    arq_run_worker(
        WorkerSettings,  # type: ignore[arg-type]
        redis_settings=WorkerSettings.redis(),
        job_timeout=settings.job_timeout_seconds,
    )
