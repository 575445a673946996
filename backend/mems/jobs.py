"""Every handler, registered in one place that the API (`mems.main`) and the arq worker
(`mems.worker`) both load: domains' jobs and crons, and approval outcome handlers (a decision
taken anywhere must advance its subject). `check_registrations()` runs at start-up of both
and fails loudly when something a request can need has no handler.
"""

from mems.approvals import service as approvals_service
from mems.approvals.flow import RequestType
from mems.core.jobs import registry
from mems.identity import jobs as identity_jobs
from mems.projects import service as projects_service  # the 立项 outcome handler
from mems.risks import jobs as risks_jobs
from mems.system import jobs as system_jobs
from mems.work import jobs as work_jobs

JOB_MODULES = (identity_jobs, system_jobs, risks_jobs, work_jobs)
OUTCOME_MODULES = (projects_service,)

# The request types that can be opened today, each needing an outcome handler. The finance
# module adds budget requests (and their handler) to this tuple.
REQUEST_TYPES_IN_USE = (RequestType.PROJECT_INITIATION,)
# Jobs other code queues by name: each must be registered.
QUEUED_JOBS = ("system.complete_job_check", "core.sweep_outbox")


class MissingHandler(RuntimeError):
    pass


def check_registrations() -> None:
    missing = [f"job {name}" for name in QUEUED_JOBS if name not in registry.jobs]
    missing += [
        f"approval outcome for {t.value}"
        for t in REQUEST_TYPES_IN_USE
        if not approvals_service.has_outcome_handler(t)
    ]
    if missing:
        raise MissingHandler("no handler registered: " + ", ".join(missing))
