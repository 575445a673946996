"""What a budget request asks for (pure): the lines it sets, each with its approved amount
before and after, the approved total before and after, and the amount its approvers weigh.

A request names lines in two ways: an existing line of the project (its plan becomes an
approved amount, or its approved amount changes) or a new line (category, name, optional
phase). The approvers weigh the money *added* to the approved budget: the sum of the lines'
increases (a line lowered frees money but does not pay for another's rise, so a request
moving ¥50,000 from venue to ads still asks for ¥50,000). A request that only lowers lines
asks for nothing, and the flow's amount-free steps decide it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from mems.finance.money import ZERO


@dataclass(frozen=True)
class CurrentLine:
    id: uuid.UUID
    category: str
    name: str
    phase_id: uuid.UUID | None
    approved: Decimal | None  # None: a plan, never approved


@dataclass(frozen=True)
class Ask:
    """One item of a request as sent: a line of the project (`line_id`) or a new one."""

    amount: Decimal
    line_id: uuid.UUID | None = None
    category: str | None = None
    name: str | None = None
    phase_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Change:
    line_id: uuid.UUID | None
    category: str
    name: str
    phase_id: uuid.UUID | None
    before: Decimal
    after: Decimal

    @property
    def increase(self) -> Decimal:
        return max(self.after - self.before, ZERO)


@dataclass(frozen=True)
class Plan:
    changes: list[Change]
    total_before: Decimal
    total_after: Decimal

    @property
    def amount(self) -> Decimal:
        """What the approvers weigh: the increases, summed."""
        return sum((c.increase for c in self.changes), ZERO)

    @property
    def initial(self) -> bool:
        return self.total_before == ZERO


class Refused(ValueError):
    """An item that cannot be asked for: `index` and `field` name it, `reason` is one of
    unknown_line, duplicate_line, duplicate_name, name_taken, unchanged, required."""

    def __init__(self, index: int, field: str, reason: str) -> None:
        self.index, self.field, self.reason = index, field, reason
        super().__init__(f"items[{index}].{field}: {reason}")


def plan(lines: Sequence[CurrentLine], asks: Sequence[Ask]) -> Plan:
    """The request's changes against the project's current lines, or `Refused`."""
    by_id: Mapping[uuid.UUID, CurrentLine] = {line.id: line for line in lines}
    names = {line.name.strip().casefold() for line in lines}
    seen_ids: set[uuid.UUID] = set()
    new_names: set[str] = set()
    changes: list[Change] = []
    for i, ask in enumerate(asks):
        if ask.line_id is not None:
            line = by_id.get(ask.line_id)
            if line is None:
                raise Refused(i, "line_id", "unknown_line")
            if line.id in seen_ids:
                raise Refused(i, "line_id", "duplicate_line")
            seen_ids.add(line.id)
            before = line.approved if line.approved is not None else ZERO
            if line.approved is not None and ask.amount == line.approved:
                raise Refused(i, "amount", "unchanged")
            changes.append(
                Change(line.id, line.category, line.name, line.phase_id, before, ask.amount)
            )
            continue
        if ask.category is None:
            raise Refused(i, "category", "required")
        if ask.name is None or not ask.name.strip():
            raise Refused(i, "name", "required")
        key = ask.name.strip().casefold()
        if key in names:
            raise Refused(i, "name", "name_taken")
        if key in new_names:
            raise Refused(i, "name", "duplicate_name")
        new_names.add(key)
        changes.append(Change(None, ask.category, ask.name.strip(), ask.phase_id, ZERO, ask.amount))
    total_before = sum((line.approved or ZERO for line in lines), ZERO)
    total_after = total_before + sum((c.after - c.before for c in changes), ZERO)
    return Plan(changes, total_before, total_after)
