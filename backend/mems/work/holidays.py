"""China's public holidays and swapped working days (调休), as data.

From the maintained `chinesecalendar` package, which follows the State Council's yearly
notice (a new release each December for the coming year). This is what an organisation's
working calendar starts from; admins edit their own copy (issue 9's calendar settings).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chinese_calendar import constants

from mems.work.schedule import Calendar


def covered_years() -> range:
    """The years the package knows (a later year has no holidays until it is released)."""
    years = [d.year for d in constants.holidays]
    return range(min(years), max(years) + 1)


def china_holidays(years: Iterable[int]) -> dict[date, str]:
    """Each public holiday of `years` with its English name (e.g. "National Day")."""
    wanted = set(years)
    return {d: str(name) for d, name in constants.holidays.items() if d.year in wanted}


def china_swapped_working_days(years: Iterable[int]) -> dict[date, str]:
    """Weekend days worked to bridge a holiday (调休), with the holiday they bridge."""
    wanted = set(years)
    return {d: str(name) for d, name in constants.workdays.items() if d.year in wanted}


def china_calendar(years: Iterable[int]) -> Calendar:
    """A Monday-to-Friday calendar with China's holidays and swapped working days."""
    years = list(years)
    return Calendar(
        holidays=frozenset(china_holidays(years)),
        extra_working_days=frozenset(china_swapped_working_days(years)),
    )
