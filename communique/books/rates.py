"""The exchange rates the portal prices with: the editors' typed-in rates over the dated table
in kdp/facts.py, as one kdp.rates.Rates that knows how old it is."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from communique.kdp import rates as kdp_rates

from .models import ExchangeRate


def stale_after_days() -> int:
    return getattr(settings, "BOOKS_RATES_STALE_DAYS", kdp_rates.STALE_AFTER_DAYS)


def current_rates() -> kdp_rates.Rates:
    typed = {r.currency: (r.per_usd, r.as_of) for r in ExchangeRate.objects.all()}
    base = kdp_rates.Rates.default()
    if not typed:
        return base
    source = "rates typed in by the editors" + ("" if len(typed) >= len(base.per_usd) - 1
                                                else "; the rest from Communiqué's fixed table")
    return kdp_rates.overlay(base, typed, source)


def rates_summary() -> dict:
    """What the portal shows beside every price: the date, the age and whether it is too old."""
    rates = current_rates()
    today = timezone.localdate()
    age = rates.age_days(today)
    return {"as_of": rates.as_of, "age_days": age, "stale": age > stale_after_days(),
            "stale_after_days": stale_after_days(), "source": rates.source}
