"""The metadata form holds KDP's limits and says why a value is refused."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communique.books.forms import BookForm
from communique.books.models import Book

pytestmark = pytest.mark.django_db

VALID = {"title": "The Quiet Channel", "language": "en", "trim": "6x9", "paper": "white",
         "price_usd": "4.99", "paperback_price_usd": "12.99", "publisher": "Communiqué Books"}


def form(**changes):
    return BookForm(data={**VALID, **changes}, instance=Book())


def test_valid_form():
    f = form(keywords="diplomacy\nsoft power", categories="Politics / Diplomacy")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["keywords"] == ["diplomacy", "soft power"]


def test_title_and_subtitle_over_200():
    f = form(title="T" * 120, subtitle="S" * 81)
    assert not f.is_valid()
    assert "201 characters" in str(f.errors)


def test_too_many_keywords_and_too_long_keyword():
    f = form(keywords="\n".join(f"kw{i}" for i in range(8)))
    assert not f.is_valid() and "at most 7 keywords" in str(f.errors["keywords"])
    f = form(keywords="x" * 51)
    assert not f.is_valid() and "at most 50" in str(f.errors["keywords"])


def test_too_many_categories():
    f = form(categories="a\nb\nc\nd")
    assert not f.is_valid() and "at most 3 categories" in str(f.errors["categories"])


def test_description_is_cut_to_kdp_tags_and_limited():
    f = form(description='<p>Hi <a href="http://x">link</a> <b>bold</b><script>x()</script><span style="c">s</span></p>')
    assert f.is_valid(), f.errors
    clean = f.cleaned_data["description"]
    assert "<a" not in clean and "<script" not in clean and "<span" not in clean and "style" not in clean
    assert "<b>bold</b>" in clean and "<p>" in clean
    f = form(description="<p>" + "x" * 4000 + "</p>")
    assert not f.is_valid() and "4000" in str(f.errors["description"])


def test_isbn_checksum_and_distinct():
    f = form(isbn_paperback="978-0-306-40615-8")
    assert not f.is_valid() and "check digit" in str(f.errors["isbn_paperback"])
    f = form(isbn_paperback="12345")
    assert not f.is_valid() and "13 digits" in str(f.errors["isbn_paperback"])
    f = form(isbn_ebook="978-0-306-40615-7", isbn_paperback="9780306406157")
    assert not f.is_valid() and "different ISBNs" in str(f.errors["isbn_paperback"])
    f = form(isbn_ebook="978-0-306-40615-7", isbn_paperback="978-1-86197-271-2")
    assert f.is_valid(), f.errors
    book = f.save(commit=False)
    assert book.isbn_ebook == "9780306406157"


def test_create_view_with_contributors_in_order(client, django_user_model):
    user = django_user_model.objects.create_user("cara", password="x")
    user.groups.add(Group.objects.get_or_create(name="Authors")[0])
    client.force_login(user)
    data = {**VALID, "contributors-TOTAL_FORMS": "2", "contributors-INITIAL_FORMS": "0",
            "contributors-MIN_NUM_FORMS": "0", "contributors-MAX_NUM_FORMS": "1000",
            "contributors-0-name": "Cara Writer", "contributors-0-role": "author",
            "contributors-1-name": "Tom Translator", "contributors-1-role": "translator"}
    response = client.post(reverse("books:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    book = Book.objects.get()
    assert book.owner == user
    assert [(c.name, c.role) for c in book.contributors.all()] == [("Cara Writer", "author"), ("Tom Translator", "translator")]


def test_form_errors_are_shown(client, django_user_model):
    user = django_user_model.objects.create_user("dan", password="x")
    user.groups.add(Group.objects.get_or_create(name="Authors")[0])
    client.force_login(user)
    data = {**VALID, "keywords": "\n".join(f"k{i}" for i in range(9)), "contributors-TOTAL_FORMS": "0",
            "contributors-INITIAL_FORMS": "0", "contributors-MIN_NUM_FORMS": "0", "contributors-MAX_NUM_FORMS": "1000"}
    response = client.post(reverse("books:create"), data)
    assert response.status_code == 200
    assert "at most 7 keywords" in response.content.decode()
    assert Book.objects.count() == 0
