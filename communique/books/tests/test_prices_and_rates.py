"""The portal's per-store prices and the editors' exchange rates."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communique.books.models import Book, ExchangeRate
from communique.books.rates import current_rates, rates_summary
from communique.books.services import book_overrides

pytestmark = pytest.mark.django_db


def test_author_sets_store_prices_that_reach_the_kit(client, alice, book_of):
    book = book_of(alice, "Priced")
    client.force_login(alice)
    page = client.get(reverse("books:prices", args=[book.public_id])).content.decode()
    assert "rates as of" in page and 'name="ebook_UK"' in page and 'name="paperback_IN"' not in page  # no print in India
    response = client.post(reverse("books:prices", args=[book.public_id]),
                           {"ebook_UK": "3.49", "ebook_IN": "299", "paperback_DE": "15.49"})
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.price_overrides == {"ebook": {"UK": "3.49", "IN": "299"}, "paperback": {"DE": "15.49"}}
    overrides = book_overrides(book)
    assert overrides["ebook_prices"] == {"UK": "3.49", "IN": "299"} and overrides["paperback_prices"] == {"DE": "15.49"}
    # Emptying a field goes back to the converted price.
    client.post(reverse("books:prices", args=[book.public_id]), {"ebook_UK": "3.49"})
    book.refresh_from_db()
    assert book.price_overrides == {"ebook": {"UK": "3.49"}}


def test_out_of_range_and_malformed_prices_are_refused_naming_the_range(client, alice, book_of):
    book = book_of(alice, "Priced")
    client.force_login(alice)
    response = client.post(reverse("books:prices", args=[book.public_id]),
                           {"ebook_UK": "25.00", "ebook_JP": "500.5", "ebook_DE": "abc"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "GBP 25.00 is above the 70% maximum" in text
    assert "Ensure that there are no more than 0 decimal places" in text
    assert "Enter a number" in text
    assert Book.objects.get(pk=book.pk).price_overrides == {}


def test_prices_are_the_books_owner_and_editors_only(client, alice, bob, editor, book_of):
    book = book_of(alice, "Priced")
    client.force_login(bob)
    assert client.post(reverse("books:prices", args=[book.public_id]), {"ebook_UK": "3.49"}).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("books:prices", args=[book.public_id])).status_code == 200
    assert Book.objects.get(pk=book.pk).price_overrides == {}


def test_editors_type_in_rates_that_say_how_old_they_are(client, editor, alice):
    assert current_rates().as_of.isoformat() == "2025-11-01"  # the fixed table until an editor types rates in
    client.force_login(alice)
    assert client.get(reverse("books:rates")).status_code == 403
    client.force_login(editor)
    page = client.get(reverse("books:rates")).content.decode()
    assert "rates as of 1 November 2025" in page and "Older than 30 days" in page
    as_of = timezone.localdate() - timedelta(days=2)
    from communique.books.models import EXCHANGE_CURRENCIES

    data = {"as_of": as_of.isoformat()}
    data.update({f"rate_{code}": "2.5" for code, _ in EXCHANGE_CURRENCIES})
    data["rate_GBP"] = "0.79"
    response = client.post(reverse("books:rates"), data)
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="GBP").per_usd == Decimal("0.79")
    assert ExchangeRate.objects.get(currency="GBP").updated_by == editor
    summary = rates_summary()
    assert summary["as_of"] == as_of and summary["age_days"] == 2 and not summary["stale"]
    assert current_rates().per_usd["GBP"] == Decimal("0.79")
    # Future dates and missing rates are refused; nothing changes.
    data["as_of"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    data["rate_GBP"] = "0.5"
    future = client.post(reverse("books:rates"), data)
    assert future.status_code == 400 and "cannot be from the future" in future.content.decode()
    data["as_of"] = as_of.isoformat()
    data.pop("rate_EUR")
    assert client.post(reverse("books:rates"), data).status_code == 400
    assert ExchangeRate.objects.get(currency="GBP").per_usd == Decimal("0.79")


def test_the_book_page_warns_when_rates_are_old(client, alice, book_of):
    book = book_of(alice, "Priced")
    ExchangeRate.objects.create(currency="GBP", per_usd="0.8", as_of=date.today() - timedelta(days=60))
    client.force_login(alice)
    page = client.get(reverse("books:detail", args=[book.public_id])).content.decode()
    assert "more than 30 days old" in page
    prices = client.get(reverse("books:prices", args=[book.public_id])).content.decode()
    assert "These rates are more than 30 days old" in prices


def test_new_books_take_the_publications_name_as_publisher(alice):
    from wagtail.models import Site

    from communique.core.models import PublicationSettings

    settings_row = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.name = "The Harbour Review"
    settings_row.save()
    book = Book.objects.create(owner=alice, title="Defaults")
    assert book.publisher == "The Harbour Review"
