"""Budget categories (pure): the fixed kinds every budget line and cost belongs to, so spend is
comparable across projects, and how a free label ("展位费", "KOL 合作") maps to one of them."""

from __future__ import annotations

from enum import StrEnum


class BudgetCategory(StrEnum):
    VENUE = "venue"  # 场地
    TRAVEL = "travel"  # 差旅
    MATERIALS = "materials"  # 物料
    AD_SPEND = "ad_spend"  # 广告投放
    VENDORS = "vendors"  # 第三方服务
    LABOUR = "labour"  # 人力
    OTHER = "other"  # 其他


# Checked in this order: the first category with a word in the label wins ("展台搭建" is
# materials, not venue: 搭建 is listed before 展). Lower case for English labels.
_WORDS: tuple[tuple[BudgetCategory, tuple[str, ...]], ...] = (
    (BudgetCategory.TRAVEL, ("差旅", "交通", "住宿", "机票", "travel", "hotel")),
    (BudgetCategory.LABOUR, ("人力", "人工", "工时", "薪", "labour", "labor", "staff")),
    (
        BudgetCategory.MATERIALS,
        ("物料", "礼品", "印刷", "搭建", "制作", "样品", "material", "print", "gift"),
    ),
    (
        BudgetCategory.AD_SPEND,
        ("广告", "投放", "信息流", "媒体", "推广", "ads", "advert", "media"),
    ),
    (
        BudgetCategory.VENDORS,
        ("kol", "达人", "第三方", "服务商", "外包", "代理", "直播", "佣金", "vendor", "agency"),
    ),
    (BudgetCategory.VENUE, ("场地", "展位", "会场", "venue", "booth")),
)


def category_for(label: str) -> BudgetCategory:
    """The category a budget label most likely means; other when no word matches."""
    text = label.strip().lower()
    for category, words in _WORDS:
        if any(word in text for word in words):
            return category
    return BudgetCategory.OTHER
