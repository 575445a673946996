"""Work-order rules: who may ask whom, numbering, the lifecycle (`orders.flow`), SLA facts,
who is told what, and the link to a task."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from mems.core.i18n import Message, _, term
from mems.core.pagination import PageParams
from mems.core.versioning import check_version
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.notifications import service as notifications
from mems.orders import flow
from mems.orders import repository as repo
from mems.orders.flow import OrderAction, Side
from mems.orders.models import WorkOrder, WorkOrderStatus
from mems.orders.schemas import TaskLinkIn, WorkOrderBox, WorkOrderCreate, WorkOrderSort
from mems.projects import service as projects
from mems.work import service as work
from mems.work.schemas import TaskCreate

LINK = "work_order"
_CODE = re.compile(r"^\s*(?:wo-?)?(\d{1,9})\s*$", re.IGNORECASE)


class InvalidTransition(Conflict):
    """A transition the order's current status does not allow (nothing is written)."""

    slug, title = "invalid-transition", "Not allowed in the current state"


def code_of(order: WorkOrder) -> str:
    return f"WO-{order.number}"


# ---- who is who ----------------------------------------------------------------------------


def sides_of(order: WorkOrder, principal: Principal, my_teams: Iterable[uuid.UUID]) -> set[Side]:
    """Which parties of the order the caller is: the requester, and/or the assignee (for a
    team order nobody has taken yet: any member of the team)."""
    me = principal.membership_id
    sides: set[Side] = set()
    if order.requester_member_id == me:
        sides.add(Side.REQUESTER)
    if order.assignee_member_id == me or (
        order.assignee_member_id is None
        and order.assignee_team_id is not None
        and order.assignee_team_id in set(my_teams)
    ):
        sides.add(Side.ASSIGNEE)
    return sides


def _may_see(order: WorkOrder, principal: Principal, my_teams: Sequence[uuid.UUID]) -> bool:
    """The parties, the members of the team it was given to, and those who oversee all
    projects (directors, admins)."""
    return (
        bool(sides_of(order, principal, my_teams))
        or (order.assignee_team_id is not None and order.assignee_team_id in my_teams)
        or principal.can(Permission.PROJECTS_MANAGE_ALL)
    )


async def _my_teams(session: AsyncSession, principal: Principal) -> list[uuid.UUID]:
    return await identity.team_ids_of_member(session, principal.org_id, principal.membership_id)


@dataclass(frozen=True)
class Seen:
    """An order the caller may see, with the caller's teams (what `sides_of` needs)."""

    order: WorkOrder
    my_teams: list[uuid.UUID]


async def _seen(session: AsyncSession, principal: Principal, order_id: uuid.UUID) -> Seen:
    order = await repo.get(session, principal.org_id, order_id)
    my_teams = await _my_teams(session, principal)
    if order is None or not _may_see(order, principal, my_teams):
        raise NotFound(_("Work order {order_id} not found.", order_id=order_id))
    return Seen(order, my_teams)


# ---- reads ---------------------------------------------------------------------------------


async def views(
    session: AsyncSession,
    principal: Principal,
    orders: Sequence[WorkOrder],
    my_teams: Sequence[uuid.UUID] | None = None,
) -> list[dict[str, Any]]:
    """Orders as the API shows them (`WorkOrderRead`): names, project, SLA facts and what the
    caller may do, in three lookups for any number of orders."""
    if my_teams is None:
        my_teams = await _my_teams(session, principal)
    org_id = principal.org_id
    people = {o.requester_member_id for o in orders} | {
        o.assignee_member_id for o in orders if o.assignee_member_id is not None
    }
    names = await identity.member_names(session, org_id, people)
    teams = await identity.team_names(
        session, org_id, {o.assignee_team_id for o in orders if o.assignee_team_id is not None}
    )
    labels = await projects.project_labels(
        session, org_id, {o.project_id for o in orders if o.project_id is not None}
    )
    now = utcnow()
    out = []
    for o in orders:
        label = labels.get(o.project_id) if o.project_id is not None else None
        out.append(
            {
                "id": o.id,
                "number": o.number,
                "code": code_of(o),
                "title": o.title,
                "description": o.description,
                "status": o.status,
                "priority": o.priority,
                "requester_member_id": o.requester_member_id,
                "requester_name": names.get(o.requester_member_id, ""),
                "assignee_member_id": o.assignee_member_id,
                "assignee_name": (
                    names.get(o.assignee_member_id) if o.assignee_member_id is not None else None
                ),
                "assignee_team_id": o.assignee_team_id,
                "assignee_team_name": (
                    teams.get(o.assignee_team_id) if o.assignee_team_id is not None else None
                ),
                "project_id": o.project_id,
                "project_code": label[0] if label else None,
                "project_name": label[1] if label else None,
                "task_id": o.task_id,
                "due_at": o.due_at,
                "sla_hours": o.sla_hours,
                "sla_due_at": flow.sla_due(o.requested_at, o.sla_hours),
                "requested_at": o.requested_at,
                "accepted_at": o.accepted_at,
                "rejected_at": o.rejected_at,
                "reject_reason": o.reject_reason,
                "started_at": o.started_at,
                "done_at": o.done_at,
                "verified_at": o.verified_at,
                "response_seconds": o.response_seconds,
                "resolution_seconds": o.resolution_seconds,
                "overdue": flow.overdue(o.status, o.due_at, now),
                "sla_breached": flow.sla_breached(
                    o.status, o.requested_at, o.sla_hours, o.done_at, now
                ),
                "allowed_actions": flow.allowed_actions(o.status, sides_of(o, principal, my_teams)),
                "created_at": o.created_at,
                "updated_at": o.updated_at,
                "version": o.version,
            }
        )
    return out


async def list_orders(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    box: WorkOrderBox,
    statuses: Sequence[WorkOrderStatus],
    q: str | None,
    order: WorkOrderSort,
) -> tuple[list[dict[str, Any]], int]:
    my_teams = await _my_teams(session, principal)
    number = None
    if q and (match := _CODE.match(q)):
        number = int(match.group(1))
    orders, total = await repo.list_orders(
        session,
        principal.org_id,
        params,
        box=box,
        me=principal.membership_id,
        my_teams=my_teams,
        statuses=statuses,
        q=q,
        number=number,
        order=order,
    )
    return await views(session, principal, orders, my_teams), total


async def get_order(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID
) -> dict[str, Any]:
    seen = await _seen(session, principal, order_id)
    return (await views(session, principal, [seen.order], seen.my_teams))[0]


# ---- raising an order ----------------------------------------------------------------------


def _both(message: Message, type_: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        errors=[
            FieldError.of("assignee_member_id", message, type_),
            FieldError.of("assignee_team_id", message, type_),
        ],
    )


async def _recipients_of_team(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID
) -> list[uuid.UUID]:
    members = await identity.active_team_member_ids(session, principal.org_id, team_id)
    return [m for m in members if m != principal.membership_id]


async def _check_assignee(
    session: AsyncSession, principal: Principal, body: WorkOrderCreate
) -> list[uuid.UUID]:
    """Whom the order goes to (those to tell), once the assignee is checked."""
    if (body.assignee_member_id is None) == (body.assignee_team_id is None):
        raise _both(_("Give the work order to one person or to one team."), "one_assignee")
    if body.assignee_member_id is not None:
        if body.assignee_member_id == principal.membership_id:
            raise ValidationFailed.on(
                "assignee_member_id", _("You cannot request work from yourself."), "self"
            )
        if not await identity.is_active_member(session, principal.org_id, body.assignee_member_id):
            raise ValidationFailed.on(
                "assignee_member_id",
                _("no active member of this organisation has this id"),
                "unknown_member",
            )
        return [body.assignee_member_id]
    assert body.assignee_team_id is not None
    if not await identity.is_team(session, principal.org_id, body.assignee_team_id):
        raise ValidationFailed.on(
            "assignee_team_id", _("no team of this organisation has this id"), "unknown_team"
        )
    recipients = await _recipients_of_team(session, principal, body.assignee_team_id)
    if not recipients:
        raise ValidationFailed.on(
            "assignee_team_id",
            _("The team has no active member besides you to take the work order."),
            "empty_team",
        )
    return recipients


async def _check_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> None:
    try:
        await projects.project_for(session, principal, project_id)
    except (NotFound, Forbidden):
        raise ValidationFailed.on(
            "project_id", _("no project of this organisation has this id"), "unknown_project"
        ) from None


async def create_order(
    session: AsyncSession, principal: Principal, body: WorkOrderCreate
) -> WorkOrder:
    recipients = await _check_assignee(session, principal, body)
    now = utcnow()
    if body.due_at is not None and body.due_at <= now:
        raise ValidationFailed.on("due_at", _("The due time must be in the future."), "past")
    project_id = body.project_id
    if project_id is not None:
        await _check_project(session, principal, project_id)
    if body.task_id is not None:
        project_id = await _check_task(session, principal, body.task_id, project_id)
    order = WorkOrder(
        org_id=principal.org_id,
        number=await repo.next_number(session, principal.org_id),
        title=body.title,
        description=body.description,
        requester_member_id=principal.membership_id,
        assignee_member_id=body.assignee_member_id,
        assignee_team_id=body.assignee_team_id,
        project_id=project_id,
        task_id=body.task_id,
        priority=body.priority,
        status=WorkOrderStatus.REQUESTED,
        due_at=body.due_at,
        sla_hours=body.sla_hours,
        requested_at=now,
    )
    session.add(order)
    await session.flush()
    await notifications.notify(
        session,
        principal.org_id,
        recipients,
        "work_order.requested",
        title=_("{code} {title}: work requested from you", code=code_of(order), title=order.title),
        body=_("Requested by {name}.", name=principal.user_name),
        link=(LINK, order.id),
    )
    return order


# ---- the lifecycle -------------------------------------------------------------------------


def _check_sent_version(order: WorkOrder, version: int | None, if_match: str | None) -> None:
    if version is None and if_match is None:
        raise ValidationFailed.on(
            "version",
            _("Send the version you read (in the body or as If-Match)."),
            "version_required",
        )
    check_version(order.version, order.version if version is None else version, if_match)


_DONE_BY = {
    OrderAction.ACCEPT: "work_order.accepted",
    OrderAction.REJECT: "work_order.rejected",
    OrderAction.START: "work_order.started",
    OrderAction.COMPLETE: "work_order.done",
    OrderAction.VERIFY: "work_order.verified",
    OrderAction.CANCEL: "work_order.cancelled",
}


def _notice_title(action: OrderAction, code: str, title: str) -> Message:
    """What the other side is told (each its own sentence: parameters stay plain JSON)."""
    if action == OrderAction.ACCEPT:
        return _("{code} {title} was accepted", code=code, title=title)
    if action == OrderAction.REJECT:
        return _("{code} {title} was rejected", code=code, title=title)
    if action == OrderAction.START:
        return _("Work on {code} {title} has started", code=code, title=title)
    if action == OrderAction.COMPLETE:
        return _("{code} {title} is done: please verify it", code=code, title=title)
    if action == OrderAction.VERIFY:
        return _("{code} {title} was verified", code=code, title=title)
    return _("{code} {title} was cancelled", code=code, title=title)


def _refused_side(action: OrderAction) -> Forbidden:
    if flow.ACTOR[action] == Side.REQUESTER:
        return Forbidden(
            _(
                "Only the requester of a work order may {action} it.",
                action=term(action.value, "work_order"),
            ),
            reason="not_requester",
        )
    return Forbidden(
        _(
            "Only the assignee of a work order may {action} it.",
            action=term(action.value, "work_order"),
        ),
        reason="not_assignee",
    )


async def transition(
    session: AsyncSession,
    principal: Principal,
    order_id: uuid.UUID,
    action: OrderAction,
    *,
    version: int | None,
    if_match: str | None,
    reason: str | None = None,
) -> WorkOrder:
    """Move the order one step (`orders.flow`), recording when, and tell the other side. A
    refusal writes nothing."""
    seen = await _seen(session, principal, order_id)
    order = seen.order
    sides = sides_of(order, principal, seen.my_teams)
    if flow.ACTOR[action] not in sides:
        raise _refused_side(action)
    _check_sent_version(order, version, if_match)
    try:
        target = flow.next_status(order.status, action)
    except flow.InvalidTransition as exc:
        allowed = [a.value for a in flow.allowed_actions(order.status, sides)]
        raise InvalidTransition(
            _(
                "Work order {code} is {status}; “{action}” is not possible in that state.",
                code=code_of(order),
                status=term(order.status.value, "work_order"),
                action=term(action.value, "work_order"),
            ),
            current_status=order.status.value,
            allowed_actions=allowed,
        ) from exc
    if action == OrderAction.REJECT and not reason:
        raise ValidationFailed.on(
            "reason", _("Say why you reject the work order."), "reason_required"
        )
    now = utcnow()
    if action == OrderAction.ACCEPT:
        order.assignee_member_id = principal.membership_id  # a team order: the acceptor takes it
        order.accepted_at = now
        order.response_seconds = flow.elapsed_seconds(order.requested_at, now)
    elif action == OrderAction.REJECT:
        order.assignee_member_id = principal.membership_id  # who turned it down
        order.rejected_at = now
        order.reject_reason = reason
    elif action == OrderAction.START:
        order.started_at = now
    elif action == OrderAction.COMPLETE:
        order.done_at = now
        order.resolution_seconds = flow.elapsed_seconds(order.requested_at, now)
    elif action == OrderAction.VERIFY:
        order.verified_at = now
    order.status = target
    await session.flush()
    await _tell_other_side(session, principal, order, action, reason)
    return order


async def _tell_other_side(
    session: AsyncSession,
    principal: Principal,
    order: WorkOrder,
    action: OrderAction,
    reason: str | None,
) -> None:
    if flow.ACTOR[action] == Side.ASSIGNEE:
        recipients = [order.requester_member_id]
    elif order.assignee_member_id is not None:
        recipients = [order.assignee_member_id]
    elif order.assignee_team_id is not None:
        recipients = await _recipients_of_team(session, principal, order.assignee_team_id)
    else:
        recipients = []
    recipients = [r for r in recipients if r != principal.membership_id]
    if not recipients:
        return
    body = (
        _("{name}: {reason}", name=principal.user_name, reason=reason)
        if reason
        else _("By {name}.", name=principal.user_name)
    )
    await notifications.notify(
        session,
        principal.org_id,
        recipients,
        _DONE_BY[action],
        title=_notice_title(action, code_of(order), order.title),
        body=body,
        link=(LINK, order.id),
    )


# ---- the task ------------------------------------------------------------------------------


async def _check_task(
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    project_id: uuid.UUID | None,
) -> uuid.UUID:
    """The project of the task (`project_id`, when given, must be it)."""
    try:
        task, _project = await work.task_for(session, principal, task_id)
    except (NotFound, Forbidden):
        raise ValidationFailed.on(
            "task_id", _("no task of this organisation has this id"), "unknown_task"
        ) from None
    if project_id is not None and task.project_id != project_id:
        raise ValidationFailed.on(
            "task_id", _("The task is not one of the work order's project."), "not_in_project"
        )
    return task.project_id


async def _today_and_due(session: AsyncSession, order: WorkOrder) -> tuple[date, date]:
    """Today in the organisation's time zone, and the order's due date there (today when it
    has none or it is past)."""
    zone = ZoneInfo((await identity.org_of(session, order.org_id)).timezone)
    today = utcnow().astimezone(zone).date()
    due = order.due_at.astimezone(zone).date() if order.due_at is not None else today
    return today, max(today, due)


async def link_task(
    session: AsyncSession,
    principal: Principal,
    order_id: uuid.UUID,
    body: TaskLinkIn,
    if_match: str | None,
) -> WorkOrder:
    """Attach an existing task of the order's project, or create one (through the work
    domain, which asks that the caller manage the project)."""
    seen = await _seen(session, principal, order_id)
    order = seen.order
    if not sides_of(order, principal, seen.my_teams):
        raise Forbidden(
            _("Only the requester or the assignee of a work order links it to a task."),
            reason="not_a_party",
        )
    _check_sent_version(order, body.version, if_match)
    if order.status not in flow.OPEN:
        raise InvalidTransition(
            _(
                "Work order {code} is {status}: its task no longer changes.",
                code=code_of(order),
                status=term(order.status.value, "work_order"),
            ),
            current_status=order.status.value,
            allowed_actions=[],
        )
    if body.phase_id is not None and not body.create:
        raise ValidationFailed.on(
            "phase_id", _("A phase is given only to create a task."), "only_with_create"
        )
    if (body.task_id is None) == (not body.create):
        message = _("Give an existing task, or ask to create one.")
        raise ValidationFailed(
            message,
            errors=[
                FieldError.of("task_id", message, "one_of"),
                FieldError.of("create", message, "one_of"),
            ],
        )
    if body.task_id is not None:
        order.project_id = await _check_task(session, principal, body.task_id, order.project_id)
        order.task_id = body.task_id
    else:
        if order.project_id is None:
            raise ValidationFailed.on(
                "create", _("The work order has no project to create the task in."), "no_project"
            )
        today, due = await _today_and_due(session, order)
        task, _moved = await work.create_task(
            session,
            principal,
            order.project_id,
            TaskCreate(
                title=order.title,
                description=order.description,
                phase_id=body.phase_id,
                assignee_member_id=order.assignee_member_id,
                starts_on=today,
                due_on=due,
                priority=order.priority,
            ),
        )
        order.task_id = task.id
    await session.flush()
    return order
