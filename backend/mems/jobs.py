"""Every handler, registered in one place that the API (`mems.main`) and the arq worker
(`mems.worker`) both load: domains' jobs and crons, and approval outcome handlers (a decision
taken anywhere must advance its subject). `check_registrations()` runs at start-up of both
and fails loudly when something a request can need has no handler.
"""

from mems.alerts import jobs as alerts_jobs
from mems.approvals import service as approvals_service
from mems.approvals.flow import RequestType
from mems.channels import jobs as channels_jobs
from mems.collab import jobs as collab_jobs
from mems.core.jobs import registry
from mems.finance import jobs as finance_jobs
from mems.finance import requests as finance_requests  # the budget request outcome handler
from mems.identity import jobs as identity_jobs
from mems.projects import service as projects_service  # the 立项 outcome handler
from mems.risks import jobs as risks_jobs
from mems.system import jobs as system_jobs
from mems.work import jobs as work_jobs

JOB_MODULES = (
    identity_jobs,
    system_jobs,
    risks_jobs,
    work_jobs,
    collab_jobs,
    finance_jobs,
    channels_jobs,
    alerts_jobs,
)
OUTCOME_MODULES = (projects_service, finance_requests)

# The request types that can be opened today, each needing an outcome handler.
REQUEST_TYPES_IN_USE = (RequestType.PROJECT_INITIATION, RequestType.BUDGET_REQUEST)
# Jobs other code queues by name: each must be registered.
QUEUED_JOBS = (
    "system.complete_job_check",
    "core.sweep_outbox",
    "channels.process_batch",
    "alerts.evaluate_org",
    "alerts.deliver",
    "finance.sync_ad_spend",
    "channels.refresh_kpis",
)


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
