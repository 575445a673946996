"""Money rules, written down once (pure).

- Amounts are `Decimal`, never float, with two decimals (分) in every currency we hold.
- Rounding is half up (四舍五入), the way Chinese finance teams and invoices round.
- An entry in another currency is converted to its project's currency **once, when it is
  recorded**, with the rate given for it, and rounded to the cent there. Every total is then a
  plain sum of rounded amounts: a total equals the sum of its parts to the cent in every view,
  because no view rounds again.
- Shares (cost share per phase or category) are split with the largest-remainder method so
  the shown percentages add up to exactly 100.00 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# Rates are stored with this many decimals (1 USD = 7.123456 CNY).
RATE_PLACES = Decimal("0.000001")


def cents(amount: Decimal) -> Decimal:
    """`amount` rounded half up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` in its own currency, in the project's currency at `rate` (project currency per
    one unit of the entry's), rounded to the cent. The rate of an entry already in the project's
    currency is 1."""
    if rate <= 0:
        raise ValueError("a conversion rate is positive")
    return cents(amount * rate)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of amounts that are already in cents: exact, never rounded again."""
    return sum(amounts, ZERO)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as a percentage with two decimals (half up); None when there is no whole."""
    if whole <= 0:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def split_percentages(parts: Sequence[Decimal]) -> list[Decimal]:
    """Each part's share of their sum in percent with two decimals, adding up to exactly 100.00
    (largest remainder: the hundredths left over go to the parts whose exact share lost most
    to rounding down, ties to the earlier part). All zeros when the parts add up to nothing.
    Parts are not negative."""
    whole = sum(parts, Decimal(0))
    if whole <= 0:
        return [ZERO for _ in parts]
    exact = [part * 10_000 / whole for part in parts]  # in hundredths of a percent
    floors = [int(share) for share in exact]
    left = 10_000 - sum(floors)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [(Decimal(hundredths) / HUNDRED).quantize(CENT) for hundredths in floors]
