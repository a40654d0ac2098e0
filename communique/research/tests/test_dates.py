from datetime import date

import pytest

from communique.research.dates import find_dates

PUBLISHED = date(2021, 4, 8)


def _dates(text, published=PUBLISHED):
    return [(d.date, d.precision, d.relative) for d in find_dates(text, published)]


def test_a_list_of_days_takes_the_year_written_after_it():
    text = "Earlier Troika meetings were held on 22 March, 25 April, 11 July and 25th October 2019 and later."
    assert _dates(text) == [("2019-03-22", "day", False), ("2019-04-25", "day", False),
                            ("2019-07-11", "day", False), ("2019-10-25", "day", False)]


def test_month_before_a_month_with_a_year_shares_it():
    assert _dates("consultations held in June and later in November 2020") == [
        ("2020-06", "month", False), ("2020-11", "month", False)]


def test_relative_dates_are_resolved_against_publication_and_flagged():
    text = "renamed by both sides last year in November; it will be operational by July this year."
    assert _dates(text) == [("2020-11", "month", True), ("2021-07", "month", True)]
    assert _dates("It happened two weeks ago.") == [("2021-03-25", "day", True)]


def test_relative_dates_without_a_base_have_no_date_but_are_kept():
    found = find_dates("renamed last year in November", None)
    assert [(d.date, d.precision, d.relative, d.text) for d in found] == [(None, "month", True, "last year in November")]


def test_yearless_days_take_the_publication_year_and_are_flagged():
    assert _dates("a conference on April 24 where Taliban refused; withdrawal by September 11") == [
        ("2021-04-24", "day", True), ("2021-09-11", "day", True)]


def test_explicit_dates_and_ranges():
    assert _dates("one such consultation was held on March 18, 2021.") == [("2021-03-18", "day", False)]
    found = find_dates("Talks between 2016 and 2019 stalled; the 2001–05 plan did not.", PUBLISHED)
    assert [(d.date, d.end_date, d.precision) for d in found] == [("2016", "2019", "range"), ("2001", "2005", "range")]


@pytest.mark.parametrize("text", [
    "The committee may 12 times reconsider.",  # a modal verb, not a month
    "There are 2 billion USD at stake and 800 km of pipe.",
    "COVID-19 and 1999 km",
    "They march on.",
])
def test_not_dates(text):
    assert _dates(text) == []


def test_an_impossible_day_is_dropped():
    assert _dates("signed on 31 February 2020") == []
