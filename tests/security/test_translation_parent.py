"""Issue 8 break 21: submitting a translation into a language whose parent page isn't translated
was a 500. Now the form says which parent to translate first, and nothing is created."""
import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

pytestmark = pytest.mark.django_db


def test_untranslated_parent_is_a_clear_error(client, translator, mag):
    article = mag["articles"][0]
    urdu = Locale.objects.get(language_code="ur")
    client.force_login(translator)
    pages_before = Page.objects.count()
    response = client.post(reverse("simple_translation:submit_page_translation", args=[article.pk]),
                           {"locales": [urdu.pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not translated into" in html and article.get_parent().title in html
    assert Page.objects.count() == pages_before


def test_translated_parent_lets_the_submission_through(client, translator, mag):
    from communique.magazine.tests.factories import translate_page

    article = mag["articles"][0]
    translate_page(article.get_parent(), "ur")
    urdu = Locale.objects.get(language_code="ur")
    client.force_login(translator)
    response = client.post(reverse("simple_translation:submit_page_translation", args=[article.pk]),
                           {"locales": [urdu.pk]})
    assert response.status_code == 302
    assert article.get_translation_or_none(urdu) is not None
