"""Exchange rates for converting one price into every store's currency, with their age.

KDP converts with its own live rates; Communiqué proposes prices from a table whose date is
always shown, so an author knows how old a converted price is. The table in facts.py is the
fallback; the portal passes the rates its editors typed in (books.models.ExchangeRate). Engine
code: no database, no network."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import facts

# A converted price from rates older than this is flagged in the price report and the preflight.
STALE_AFTER_DAYS = 30


@dataclass(frozen=True)
class Rates:
    """Units of each currency per 1 USD, and the date of the oldest rate in the table."""

    per_usd: dict[str, Decimal]
    as_of: date
    source: str = "Communiqué's fixed table (kdp/facts.py)"
    dated: dict[str, date] = field(default_factory=dict)  # per currency, where known

    @classmethod
    def default(cls) -> "Rates":
        values = {cur: fact.value for cur, fact in facts.EXCHANGE_RATES.items()}
        return cls(values, facts.EXCHANGE_RATES_AS_OF, dated={c: facts.EXCHANGE_RATES_AS_OF for c in values})

    def rate(self, currency: str) -> Decimal:
        try:
            return self.per_usd[currency]
        except KeyError:
            raise ValueError(f"no exchange rate for {currency}") from None

    def convert(self, amount, from_currency: str, to_currency: str) -> Decimal:
        return Decimal(str(amount)) / self.rate(from_currency) * self.rate(to_currency)

    def age_days(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.as_of).days

    def is_stale(self, today: date | None = None, after_days: int = STALE_AFTER_DAYS) -> bool:
        return self.age_days(today) > after_days

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "source": self.source,
                "per_usd": {c: str(v) for c, v in self.per_usd.items()},
                "dated": {c: d.isoformat() for c, d in self.dated.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> "Rates":
        return cls({c: Decimal(v) for c, v in (data.get("per_usd") or {}).items()},
                   date.fromisoformat(data["as_of"]), data.get("source") or "",
                   {c: date.fromisoformat(d) for c, d in (data.get("dated") or {}).items()})


def overlay(base: Rates, typed: dict[str, tuple[Decimal, date]], source: str) -> Rates:
    """`base` with some currencies replaced by typed-in rates; the table is as old as its oldest rate."""
    values, dated = dict(base.per_usd), dict(base.dated)
    for cur, (value, when) in typed.items():
        values[cur], dated[cur] = Decimal(value), when
    dated["USD"] = max(dated.values()) if dated else base.as_of  # USD per USD is never out of date
    as_of = min(d for c, d in dated.items() if c != "USD") if len(dated) > 1 else base.as_of
    return Rates(values, as_of, source, dated)
