"""The project lifecycle as a pure state machine.

    draft ─submit─▶ submitted ─approve─▶ approved ─start─▶ active ─close─▶ closing ─finish─▶ closed
    submitted ─withdraw─▶ draft;  submitted ─reject─▶ rejected ─revise─▶ draft
    closing ─reopen─▶ active;  cancel: from draft, submitted, approved or active

`submit` needs a linked goal and `finish` a retrospective; callers pass what they know as
`Guards`. A project counts as
*registered* (立项) once approved, and only registered projects may request budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    CLOSING = "closing"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ProjectAction(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"
    REVISE = "revise"
    START = "start"
    CLOSE = "close"
    REOPEN = "reopen"
    FINISH = "finish"
    CANCEL = "cancel"


S, A = ProjectStatus, ProjectAction

TRANSITIONS: dict[ProjectStatus, dict[ProjectAction, ProjectStatus]] = {
    S.DRAFT: {A.SUBMIT: S.SUBMITTED, A.CANCEL: S.CANCELLED},
    S.SUBMITTED: {
        A.APPROVE: S.APPROVED,
        A.REJECT: S.REJECTED,
        A.WITHDRAW: S.DRAFT,
        A.CANCEL: S.CANCELLED,
    },
    S.REJECTED: {A.REVISE: S.DRAFT},
    S.APPROVED: {A.START: S.ACTIVE, A.CANCEL: S.CANCELLED},
    S.ACTIVE: {A.CLOSE: S.CLOSING, A.CANCEL: S.CANCELLED},
    S.CLOSING: {A.FINISH: S.CLOSED, A.REOPEN: S.ACTIVE},
    S.CLOSED: {},
    S.CANCELLED: {},
}

REGISTERED = frozenset({S.APPROVED, S.ACTIVE, S.CLOSING, S.CLOSED})


@dataclass(frozen=True)
class Guards:
    has_retrospective: bool = False
    has_goal_link: bool = True  # a project is submitted only once it serves a goal


class IllegalTransition(ValueError):
    """`code`: not_allowed (the state does not allow the action), no_goal_link or
    no_retrospective (a guard refused it)."""

    def __init__(
        self,
        status: ProjectStatus,
        action: ProjectAction,
        reason: str | None = None,
        code: str = "not_allowed",
    ) -> None:
        self.status, self.action, self.code = status, action, code
        self.allowed = allowed_actions(status)
        self.reason = reason or (
            f"cannot {action.value} a {status.value} project; allowed: "
            + (", ".join(a.value for a in self.allowed) or "nothing (final state)")
        )
        super().__init__(self.reason)


def allowed_actions(status: ProjectStatus) -> list[ProjectAction]:
    return list(TRANSITIONS[status])


def apply(status: ProjectStatus, action: ProjectAction, guards: Guards = Guards()) -> ProjectStatus:
    """The status after `action`, or IllegalTransition naming the allowed actions."""
    target = TRANSITIONS[status].get(action)
    if target is None:
        raise IllegalTransition(status, action)
    if action == A.SUBMIT and not guards.has_goal_link:
        raise IllegalTransition(
            status,
            action,
            "link the project to at least one goal before submitting it",
            code="no_goal_link",
        )
    if action == A.FINISH and not guards.has_retrospective:
        raise IllegalTransition(
            status,
            action,
            "a project is closed only after its retrospective is written",
            code="no_retrospective",
        )
    return target


def is_registered(status: ProjectStatus) -> bool:
    """Registered (立项) projects are the only ones that may request budget."""
    return status in REGISTERED
