"""A slow, observable job for the killed-worker test, and an arq worker that runs it.

`python -m tests.system.slow_job` registers the job, then starts the real worker
(`mems.worker.run_worker`, every production job included); the test process registers the same
job to queue it. Each attempt writes its effect in the job's own transaction (committed only with
its outbox row, when the job completes), then notes in a side channel committed at once that
it has started and on which worker (so when the test sees the note, the effect is written but
not committed), then takes `seconds` to finish.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry

SLOW_JOB = "test.slow_effect"
# The test makes the table test_slow_job_runs (job_key, stage, worker) for the job to write in.
NOTE = text("INSERT INTO test_slow_job_runs (job_key, stage, worker) VALUES (:k, :stage, :w)")


async def slow_effect(ctx: JobContext, session: AsyncSession, *, key: str, seconds: float) -> None:
    # The effect, written now, committed with the outbox row only when the job completes.
    await session.execute(NOTE, {"k": key, "stage": "effect", "w": ctx.worker_name})
    async with ctx.db.sessionmaker() as side:  # the side channel: committed at once
        await side.execute(NOTE, {"k": key, "stage": "started", "w": ctx.worker_name})
        await side.commit()
    await asyncio.sleep(seconds)


def register() -> None:
    registry.job(SLOW_JOB)(slow_effect)


def unregister() -> None:
    registry.jobs.pop(SLOW_JOB, None)


def main() -> None:
    register()
    from mems.worker import run_worker  # builds arq's functions from the registry

    run_worker()


if __name__ == "__main__":
    main()
