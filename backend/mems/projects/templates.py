"""Project templates: phases, starter tasks and budget categories, laid out on real dates.

A template describes a nominal campaign (`duration_days` long) with phases and tasks at day
offsets; `lay_out` stretches or shrinks it onto a project's own start and end dates, so a
two-week promotion and a two-month one get the same shape. Three templates are built in;
organisations add their own by saving a project as a template (`template_from_project`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

BUILTIN_PREFIX = "builtin:"


@dataclass(frozen=True)
class PlannedTask:
    title: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class PlannedPhase:
    name: str
    starts_on: date
    ends_on: date
    tasks: tuple[PlannedTask, ...]


def _phase(name: str, offset: int, days: int, *tasks: tuple[str, int, int]) -> dict[str, Any]:
    return {
        "name": name,
        "offset_days": offset,
        "duration_days": days,
        "tasks": [{"title": t, "offset_days": o, "duration_days": d} for t, o, d in tasks],
    }


BUILTINS: dict[str, dict[str, Any]] = {
    "product_launch": {
        "name": "新品发布会",
        "name_en": "New product launch",
        "project_type": "product_launch",
        "description": "从定位到发布会现场再到上市后追踪的完整新品发布流程。",
        "content": {
            "duration_days": 60,
            "phases": [
                _phase(
                    "策划",
                    0,
                    14,
                    ("产品卖点与目标人群梳理", 0, 5),
                    ("发布会创意方案", 3, 7),
                    ("预算与排期确认", 8, 4),
                ),
                _phase(
                    "筹备",
                    14,
                    28,
                    ("场地与供应商签约", 14, 7),
                    ("KOL 与媒体邀约", 16, 14),
                    ("物料设计与制作", 18, 18),
                    ("预热内容发布", 30, 10),
                ),
                _phase(
                    "发布",
                    42,
                    4,
                    ("彩排", 42, 2),
                    ("发布会执行", 44, 1),
                    ("直播与现场传播", 44, 2),
                ),
                _phase(
                    "追踪",
                    46,
                    14,
                    ("媒体与社媒声量追踪", 46, 10),
                    ("销售转化复核", 50, 10),
                ),
            ],
            "budget_categories": ["场地", "物料制作", "KOL 合作", "媒体投放", "差旅", "其他"],
        },
    },
    "holiday_promotion": {
        "name": "节日促销",
        "name_en": "Holiday promotion",
        "project_type": "promotion",
        "description": "双十一、618、春节等节点的电商大促：蓄水、预热、爆发、返场。",
        "content": {
            "duration_days": 45,
            "phases": [
                _phase("策划", 0, 10, ("促销机制与价格策略", 0, 5), ("货品与库存规划", 2, 6)),
                _phase(
                    "蓄水",
                    10,
                    14,
                    ("会员与私域蓄水", 10, 14),
                    ("站外种草内容", 10, 12),
                ),
                _phase(
                    "预热",
                    24,
                    10,
                    ("主会场与详情页上线", 24, 4),
                    ("优惠券与定金玩法", 26, 8),
                    ("信息流投放", 26, 8),
                ),
                _phase(
                    "爆发",
                    34,
                    4,
                    ("直播排期执行", 34, 4),
                    ("实时投放调优", 34, 4),
                ),
                _phase("返场与复盘", 38, 7, ("返场活动", 38, 3), ("数据复盘", 40, 5)),
            ],
            "budget_categories": ["平台广告", "信息流投放", "直播", "达人佣金", "优惠补贴", "其他"],
        },
    },
    "trade_show": {
        "name": "线下展会",
        "name_en": "Trade show",
        "project_type": "event",
        "description": "行业展会参展：报名选位、展台搭建、现场获客与线索跟进。",
        "content": {
            "duration_days": 50,
            "phases": [
                _phase("报名与规划", 0, 10, ("展位预订", 0, 3), ("参展目标与预算", 0, 7)),
                _phase(
                    "筹备",
                    10,
                    28,
                    ("展台设计与搭建商", 10, 14),
                    ("宣传物料与礼品", 14, 14),
                    ("客户邀约", 20, 18),
                ),
                _phase("展会现场", 38, 3, ("布展", 38, 1), ("现场接待与获客", 39, 2)),
                _phase("线索跟进", 41, 9, ("线索整理与分配", 41, 3), ("销售跟进复核", 43, 7)),
            ],
            "budget_categories": ["展位费", "展台搭建", "物料礼品", "差旅", "其他"],
        },
    },
}


def builtin_key(key: str) -> str:
    return BUILTIN_PREFIX + key


def lay_out(content: dict[str, Any], starts_on: date, ends_on: date) -> list[PlannedPhase]:
    """The template's phases and tasks on the project's dates (offsets scaled to fit)."""
    nominal = max(int(content.get("duration_days") or 1), 1)
    span = (ends_on - starts_on).days + 1

    def day(offset: int) -> int:
        """The nominal day `offset` scaled onto the project (0 … span, span = just after)."""
        return min(span, max(0, round(offset * span / nominal)))

    def days(offset: int, duration: int, first: int, last: int) -> tuple[date, date]:
        """Scaled [start, end] days, kept inside [first, last] (a task inside its phase)."""
        start = min(max(day(offset), first), last)
        end = min(max(day(offset + max(duration, 1)) - 1, start), last)
        return starts_on + timedelta(days=start), starts_on + timedelta(days=end)

    phases = []
    for phase in content.get("phases", []):
        p_start, p_end = days(phase["offset_days"], phase["duration_days"], 0, span - 1)
        first, last = (p_start - starts_on).days, (p_end - starts_on).days
        tasks = tuple(
            PlannedTask(t["title"], *days(t["offset_days"], t["duration_days"], first, last))
            for t in phase.get("tasks", [])
        )
        phases.append(PlannedPhase(phase["name"], p_start, p_end, tasks))
    return phases


def template_from_project(
    starts_on: date,
    ends_on: date,
    phases: list[PlannedPhase],
    budget_categories: list[str],
) -> dict[str, Any]:
    """The content of a template that reproduces this project's shape."""

    def offset(d: date) -> int:
        return (d - starts_on).days

    def days(a: date, b: date) -> int:
        return (b - a).days + 1

    return {
        "duration_days": days(starts_on, ends_on),
        "phases": [
            {
                "name": p.name,
                "offset_days": offset(p.starts_on),
                "duration_days": days(p.starts_on, p.ends_on),
                "tasks": [
                    {
                        "title": t.title,
                        "offset_days": offset(t.starts_on),
                        "duration_days": days(t.starts_on, t.ends_on),
                    }
                    for t in p.tasks
                ],
            }
            for p in phases
        ],
        "budget_categories": list(budget_categories),
    }
