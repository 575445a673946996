"""KR attainment and objective progress: pure functions over plain data, no I/O.

Attainment of a key result is how far its current value has moved from the baseline toward
the target: `(current - baseline) / (target - baseline)`. The same formula serves increasing
KRs (target above baseline) and decreasing ones (target below): moving toward the target is
always positive. The *uncapped* view keeps over-achievement (> 1) and regression (< 0); the
*capped* view clamps to [0, 1] so one KR cannot make up for another.

An objective's progress is the weighted mean of its KRs' attainment and its child
objectives' progress. Children with nothing to measure (no KRs anywhere below them) are left
out instead of counting as zero; when every remaining weight is zero they count equally.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class Progress:
    capped: float
    uncapped: float


@dataclass(frozen=True)
class KeyResultFacts(Generic[K]):
    id: K
    baseline: Decimal
    target: Decimal
    current: Decimal | None
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class ObjectiveFacts(Generic[K]):
    id: K
    parent_id: K | None
    weight: Decimal = Decimal(1)
    key_results: tuple[KeyResultFacts[K], ...] = field(default_factory=tuple)


class CycleError(ValueError):
    def __init__(self, path: list[object]) -> None:
        super().__init__("goal tree has a cycle: " + " → ".join(map(str, path)))
        self.path = path


def attainment(baseline: Decimal, target: Decimal, current: Decimal | None) -> Progress:
    """A KR's attainment; no check-in yet means no movement from the baseline."""
    if target == baseline:
        raise ValueError("target must differ from baseline")
    value = baseline if current is None else current
    raw = float((value - baseline) / (target - baseline))
    return Progress(capped=min(max(raw, 0.0), 1.0), uncapped=raw)


def _weighted(parts: list[tuple[Decimal, Progress]]) -> Progress | None:
    if not parts:
        return None
    total = sum((w for w, _ in parts), Decimal(0))
    if total == 0:  # all zero: no preference among them
        parts = [(Decimal(1), p) for _, p in parts]
        total = Decimal(len(parts))
    capped = sum(float(w) * p.capped for w, p in parts) / float(total)
    uncapped = sum(float(w) * p.uncapped for w, p in parts) / float(total)
    return Progress(capped=capped, uncapped=uncapped)


def find_cycle(parent_of: Mapping[K, K | None]) -> list[K] | None:
    """A cycle in a parent map (as the path that closes it), or None."""
    state: dict[K, int] = {}  # 1 = on the current path, 2 = done
    for start in parent_of:
        path: list[K] = []
        node: K | None = start
        while node is not None and state.get(node) != 2:
            if state.get(node) == 1:
                return [*path[path.index(node) :], node]
            state[node] = 1
            path.append(node)
            node = parent_of.get(node)
        for seen in path:
            state[seen] = 2
    return None


def would_cycle(parent_of: Mapping[K, K | None], child: K, new_parent: K | None) -> bool:
    """Whether giving `child` the parent `new_parent` would close a cycle."""
    node = new_parent
    while node is not None:
        if node == child:
            return True
        node = parent_of.get(node)
    return False


def rollup(objectives: Iterable[ObjectiveFacts[K]]) -> dict[K, Progress | None]:
    """Progress of every objective (None: nothing measurable under it). Raises CycleError."""
    by_id = {o.id: o for o in objectives}
    cycle = find_cycle({o.id: o.parent_id for o in by_id.values()})
    if cycle is not None:
        raise CycleError(list(cycle))
    children: dict[K, list[ObjectiveFacts[K]]] = {}
    for o in by_id.values():
        if o.parent_id is not None and o.parent_id in by_id:
            children.setdefault(o.parent_id, []).append(o)

    result: dict[K, Progress | None] = {}

    def visit(o: ObjectiveFacts[K]) -> Progress | None:
        if o.id in result:
            return result[o.id]
        parts = [
            (kr.weight, attainment(kr.baseline, kr.target, kr.current)) for kr in o.key_results
        ]
        for child in children.get(o.id, []):
            progress = visit(child)
            if progress is not None:
                parts.append((child.weight, progress))
        result[o.id] = _weighted(parts)
        return result[o.id]

    # Iterative depth would be safer for very deep trees; goal trees are a handful of levels.
    for o in by_id.values():
        visit(o)
    return result
