"""One session per request, opened on demand and finished by the route (`UnitOfWorkRoute`);
hot reads through `ReadStatement` (core/db.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute
from sqlalchemy import Integer, bindparam, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import (
    Database,
    OneReaderDep,
    ReadStatement,
    SessionDep,
    Shape,
    UnitOfWorkRoute,
    set_request_session_info,
)
from mems.core.errors import install_error_handlers
from mems.core.jobs import InProcessQueue
from mems.core.models import UTCDateTime
from mems.core.routing import api_router
from mems.core.tenancy import TENANT, in_tenant
from mems.identity.models import AuthSession, Membership, User
from mems.identity.permissions import Role
from tests.factories import OrgWithMembers, make_session_token

MEMBER = ReadStatement(
    select(Membership.id, User.email, Membership.role, Membership.created_at, Membership.version)
    .join(User, User.id == Membership.user_id)
    .where(Membership.id == bindparam("member_id"))
)
MEMBERS = ReadStatement(
    select(Membership.id, Membership.role).order_by(Membership.role, Membership.id)
)
# A type decorator on a bound parameter, and a literal bound inside the statement.
LIVE_SESSIONS = ReadStatement(
    select(AuthSession.membership_id, AuthSession.expires_at).where(
        AuthSession.expires_at > bindparam("now", type_=UTCDateTime),
        AuthSession.membership_id == bindparam("member_id"),
        AuthSession.token_hash != "not-a-hash",
    )
)


async def test_read_statement_returns_converted_columns(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    member = org.members[Role.DIRECTOR]
    in_tenant(session, org.org.id)
    row = await MEMBER.first(session, member_id=member.id)
    assert row is not None
    assert row == {
        "id": member.id,
        "email": member.user.email,
        "role": Role.DIRECTOR,
        "created_at": member.created_at,
        "version": member.version,
    }
    assert isinstance(row["role"], Role)  # the Enum type's conversion ran
    assert row["created_at"].tzinfo is not None  # so did UTCDateTime's


async def test_read_statement_sees_the_transactions_own_writes(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    member = org.members[Role.MEMBER]
    in_tenant(session, org.org.id)
    await make_session_token(session, member.id, hours=2)  # flushed, not committed
    now = datetime.now(UTC)
    row = await LIVE_SESSIONS.first(session, now=now, member_id=member.id)
    assert row is not None
    assert row["membership_id"] == member.id
    assert now + timedelta(hours=1) < row["expires_at"] <= now + timedelta(hours=2, seconds=5)
    later = now + timedelta(hours=3)
    assert await LIVE_SESSIONS.first(session, now=later, member_id=member.id) is None


async def test_read_statement_finds_nothing_in_another_org(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    """The tenancy criterion is compiled in and bound to the session's organisation."""
    foreign = other_org.members[Role.ADMIN]
    in_tenant(session, org.org.id)
    assert await MEMBER.first(session, member_id=foreign.id) is None
    assert await MEMBER.first(session, member_id=uuid.uuid4()) is None
    rows = await MEMBERS.all(session)
    assert {r["id"] for r in rows} == {m.id for m in org.members.values()}
    in_tenant(session, other_org.org.id)
    assert (await MEMBER.first(session, member_id=foreign.id) or {}).get("id") == foreign.id


async def test_read_statement_refuses_a_session_in_no_single_organisation(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    with pytest.raises(RuntimeError, match="one organisation"):
        await MEMBERS.all(session)  # the test's session works across organisations


async def test_read_statement_reads_the_organisation_it_is_given(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    """A session working across organisations (a job, the demo seed) names the one to read."""
    rows = await MEMBERS.all(session, mems_tenant=other_org.org.id)
    assert {r["id"] for r in rows} == {m.id for m in other_org.members.values()}
    in_tenant(session, org.org.id)  # the given one wins over the session's
    rows = await MEMBERS.all(session, mems_tenant=other_org.org.id)
    assert {r["id"] for r in rows} == {m.id for m in other_org.members.values()}


async def test_a_read_across_organisations_needs_no_tenant(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    """`across_tenants`: a read that finds the organisation (a webhook's source by its id)."""
    member_of = ReadStatement(
        select(Membership.org_id).where(Membership.id == bindparam("member_id")),
        across_tenants=True,
    )
    for owner in (org, other_org):
        member = owner.members[Role.ADMIN]
        assert await member_of.first(session, member_id=member.id) == {"org_id": owner.org.id}
    in_tenant(session, org.org.id)  # a session in one organisation reads the other's too
    foreign = other_org.members[Role.ADMIN]
    assert await member_of.first(session, member_id=foreign.id) == {"org_id": other_org.org.id}


def test_every_api_route_runs_in_a_unit_of_work(app: FastAPI) -> None:
    api = [r for r in app.routes if isinstance(r, APIRoute) and r.path.startswith("/api/v1/")]
    assert len(api) > 40
    assert [r.path for r in api if not isinstance(r, UnitOfWorkRoute)] == []


async def test_a_route_outside_a_unit_of_work_gets_no_session(db: Database) -> None:
    app = FastAPI()
    app.state.db, app.state.jobs = db, InProcessQueue(db, run_crons=False)
    install_error_handlers(app)
    router = APIRouter()  # not api_router(): no UnitOfWorkRoute

    @router.get("/orphan")
    async def orphan(session: SessionDep) -> None:
        return None

    app.include_router(router)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with pytest.raises(RuntimeError, match="route_class=UnitOfWorkRoute"):
            await client.get("/orphan")


async def test_a_one_read_route_that_reads_twice_fails(db: Database, org: OrgWithMembers) -> None:
    """`OneReaderDep` promises one statement (which then needs no transaction on PostgreSQL);
    a second read, or the ORM after the read, is a bug the tests catch."""
    app = FastAPI()
    app.state.db, app.state.jobs = db, InProcessQueue(db, run_crons=False)
    install_error_handlers(app)
    router = api_router()

    @router.get("/once")
    async def once(request: Request, reader: OneReaderDep) -> dict[str, int]:
        set_request_session_info(request, TENANT, org.org.id)
        return {"members": len(await reader.all(MEMBERS))}

    @router.get("/records")
    async def records(request: Request, reader: OneReaderDep) -> list[str]:
        set_request_session_info(request, TENANT, org.org.id)
        return [str(r["id"]) for r in await reader.records(MEMBERS)]

    @router.get("/twice")
    async def twice(request: Request, reader: OneReaderDep) -> None:
        set_request_session_info(request, TENANT, org.org.id)
        await reader.all(MEMBERS)
        await reader.first(MEMBER, member_id=org.members[Role.ADMIN].id)

    app.router.routes.extend(router.routes)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/api/v1/once")
        assert r.json() == {"members": len(org.members)}
        r = await client.get("/api/v1/records")
        expected = sorted(org.members.values(), key=lambda m: (m.role, m.id))
        assert r.json() == [str(m.id) for m in expected]
        with pytest.raises(RuntimeError, match="second read"):
            await client.get("/api/v1/twice")


async def test_records_read_by_name_like_the_dicts(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    """`records` gives the driver's rows (no dict made per row) with the values `all` gives:
    read by column name, converted where a column needs it (the role's enum)."""
    in_tenant(session, org.org.id)
    as_dicts = await MEMBERS.all(session)
    as_records = await MEMBERS.records(session)
    assert len(as_records) == len(as_dicts) == len(org.members)
    for record, row in zip(as_records, as_dicts, strict=True):
        assert dict(record) == row  # by `keys()` and by name
        assert record.get("role") == row["role"]
        assert isinstance(record["role"], Role)
    member = org.members[Role.FINANCE]
    (record,) = await MEMBER.records(session, member_id=member.id)
    assert dict(record) == await MEMBER.first(session, member_id=member.id)
    # No column to convert: on PostgreSQL, asyncpg's records themselves.
    plain = ReadStatement(select(Membership.id, Membership.user_id).order_by(Membership.id))
    records = await plain.records(session)
    assert [(r["id"], r.get("user_id")) for r in records] == sorted(
        (m.id, m.user_id) for m in org.members.values()
    )
    assert [dict(r) for r in records] == await plain.all(session)


@pytest.mark.postgres
async def test_a_database_error_on_the_driver_is_sqlalchemys(
    db: Database, org: OrgWithMembers
) -> None:
    """A statement PostgreSQL refuses on the driver (a one-read route's, outside any ORM
    session) fails as SQLAlchemy's error, which the error handlers answer (a busy database as
    503), never as a bare asyncpg error."""
    divided = ReadStatement(
        select(bindparam("one", type_=Integer) / bindparam("zero", type_=Integer))
    )
    pooled = await db.engine.raw_connection()
    try:
        with pytest.raises(OperationalError, match="division by zero"):
            await divided.run_on_driver(
                pooled.driver_connection,
                db.engine.dialect,
                org.org.id,
                {"one": 1, "zero": 0},
                Shape.RECORDS,
            )
    finally:
        pooled.close()


ROLES_IN = ReadStatement(
    select(Membership.id)
    .where(
        Membership.role.in_(bindparam("roles", expanding=True)),
        Membership.id.not_in(bindparam("except_ids", expanding=True)),
    )
    .order_by(Membership.id)
)


async def test_read_statements_take_lists_for_in(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    """`col IN :list` works compiled once (on asyncpg as `= ANY(:list)`), empty lists too."""
    in_tenant(session, org.org.id)
    director, finance = org.members[Role.DIRECTOR].id, org.members[Role.FINANCE].id
    rows = await ROLES_IN.all(session, roles=[Role.DIRECTOR, Role.FINANCE], except_ids=[])
    assert [r["id"] for r in rows] == sorted([director, finance])
    rows = await ROLES_IN.all(session, roles=[Role.DIRECTOR, Role.FINANCE], except_ids=[finance])
    assert [r["id"] for r in rows] == [director]
    assert await ROLES_IN.all(session, roles=[], except_ids=[]) == []
