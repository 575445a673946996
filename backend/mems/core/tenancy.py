"""Tenancy by mechanism: every ORM statement on an organisation's rows is filtered to the
organisation the session works in, whether or not the code asked for it.

A session works in one organisation (`session.info[TENANT]`, set by the authentication
dependency for a request, and by `in_tenant` for a job that works for one organisation). A
`do_orm_execute` hook adds `with_loader_criteria(TenantScoped, org_id == <tenant>)` to every
ORM SELECT, UPDATE and DELETE, for the statement's own entities and for every entity it joins,
loads eagerly or lazily: another organisation's row is simply not found (callers turn `None`
into a 404, so a foreign id and a missing id are indistinguishable).

A session with no tenant refuses to read tenant rows at all (fail closed). The one escape,
for code that must work across organisations (the login and token lookups, a person's own
organisations and invitations, system jobs), is `ALL_TENANTS`: either for a whole session
(`session.info[TENANT] = ALL_TENANTS`) or for one statement (`across_tenants(stmt)`).
`grep -rn ALL_TENANTS\\|across_tenants` lists every place that uses it.

Compiled hot reads (`mems.core.db.ReadStatement`) get the same criterion bound to the
request's tenant (`tenant_filtered`).
"""

from __future__ import annotations

import uuid
from typing import Any, Final, TypeVar

from sqlalchemy import Executable, Select, bindparam, event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from mems.core.models import OrgScopedMixin, TenantScoped

T = TypeVar("T", bound=OrgScopedMixin)
E = TypeVar("E", bound=Executable)
AnySelect = Select[*tuple[Any, ...]]

TENANT: Final = "mems.tenant"  # session.info key: the organisation id the session works in
TENANT_PARAM: Final = "mems_tenant"  # the bound parameter of compiled reads' tenant criterion


class _AllTenants:
    """The explicit escape from the tenant filter (see the module docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ALL_TENANTS"


ALL_TENANTS: Final = _AllTenants()


class NoTenant(RuntimeError):
    """An organisation's rows were read in a session that works in no organisation."""


def across_tenants(statement: E) -> E:
    """This statement reads across organisations (the escape, for one statement)."""
    return statement.execution_options(**{TENANT: ALL_TENANTS})


def in_tenant(session: Session | Any, org_id: uuid.UUID | _AllTenants) -> None:
    """From now on, `session` (sync or async) works in `org_id`."""
    session.info[TENANT] = org_id


def tenant_of(session: Session | Any) -> uuid.UUID | _AllTenants | None:
    tenant: uuid.UUID | _AllTenants | None = session.info.get(TENANT)
    return tenant


def _criterion(org_id: uuid.UUID) -> Any:
    # SQLAlchemy caches the lambda by its code and turns `org_id` into a bound parameter.
    return with_loader_criteria(
        TenantScoped, lambda cls: cls.org_id == org_id, include_aliases=True
    )


def _tenant_mapped(state: ORMExecuteState) -> list[str]:
    return [m.class_.__name__ for m in state.all_mappers if issubclass(m.class_, TenantScoped)]


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the statement that loaded the object carried the criterion (propagated)
    tenant = state.execution_options.get(TENANT) or state.session.info.get(TENANT)
    if tenant is ALL_TENANTS:
        return
    if tenant is None:
        touched = _tenant_mapped(state)
        if touched:
            raise NoTenant(
                f"{', '.join(touched)} read in a session that works in no organisation: set "
                "session.info[TENANT] (mems.core.tenancy.in_tenant), or mark a read that must "
                "cross organisations with across_tenants()."
            )
        return
    state.statement = state.statement.options(_criterion(tenant))


def tenant_filtered(statement: AnySelect) -> AnySelect:
    """`statement` with the tenant criterion bound to the parameter `mems_tenant`: for reads
    compiled once and run outside the ORM session (`ReadStatement`), which bind it per call."""
    return statement.options(
        with_loader_criteria(
            # A literal name: SQLAlchemy would track a global inside the lambda as a value.
            TenantScoped,
            lambda cls: cls.org_id == bindparam("mems_tenant"),
            include_aliases=True,
        )
    )


def scoped(model: type[T], org_id: uuid.UUID, *extra: Any) -> Select[T]:
    """A select of `model` in `org_id` (the hook filters it too; the explicit filter keeps
    the intent visible and the query plan obvious)."""
    return select(model).where(model.org_id == org_id, *extra)
