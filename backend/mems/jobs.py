"""Every domain's jobs, imported once so both runners (API in-process, arq worker) know them."""

from mems.identity import jobs as identity_jobs
from mems.system import jobs as system_jobs

JOB_MODULES = (identity_jobs, system_jobs)
