"""Break 18: an unpublished page stayed in the page cache for up to 60 s. Publishing and
unpublishing now purge every worker's copies at once (communique/magazine/page_cache.py)."""
import pytest
from django.core.cache import cache
from django.test import override_settings

from communique.magazine.tests.factories import build_magazine
from communique.magazine.tests.test_page_cache import PAGE_CACHE, _production_middleware


@pytest.mark.django_db
def test_an_unpublished_article_is_gone_from_the_page_cache_at_once(client):
    cache.clear()
    article = build_magazine(n_articles=1, with_images=False)["articles"][0]
    url = article.url
    with override_settings(MIDDLEWARE=_production_middleware(), **{**PAGE_CACHE, "CACHE_MIDDLEWARE_SECONDS": 60}):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200  # now cached
        article.unpublish()
        assert client.get(url).status_code == 404
