"""Issue 12 defect 2: print-issue editions and the author portal carry the publication's name
from its settings (PublicationSettings), never the software's ("Communiqué")."""
from __future__ import annotations

import zipfile

import pytest

pytestmark = pytest.mark.django_db

NAME = "The Harbour Review"


@pytest.fixture
def magazine():
    from wagtail.models import Site

    from communique.core.models import PublicationSettings
    from communique.magazine.tests.factories import build_magazine

    built = build_magazine(n_articles=2)
    site = Site.objects.get(is_default_site=True)
    settings = PublicationSettings.for_site(site)
    settings.name = NAME
    settings.save()
    return built


def test_issue_metadata_names_the_publication(magazine):
    from communique.documents.readers import read_article, read_issue

    doc = read_issue(magazine["issue"])
    assert doc.meta.publisher == NAME and doc.meta.series == NAME
    assert read_article(magazine["articles"][0]).meta.publisher == NAME


def test_issue_epub_title_and_copyright_pages(magazine, tmp_path):
    from communique.documents.readers import read_issue
    from communique.editions import registry

    out = tmp_path / "issue.epub"
    registry.write("epub", read_issue(magazine["issue"]), out, {"generate_cover": False})
    with zipfile.ZipFile(out) as z:
        pages = {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf"))}
    front = "".join(v for n, v in pages.items() if "titlepage" in n or "copyright" in n or n.endswith(".opf"))
    assert NAME in front
    assert "Communiqué" not in front.replace("Communiqué (self-assessed)", "")


def test_portal_prefills_the_publication_name(magazine):
    from communique.books.forms import BookForm

    form = BookForm()
    assert form.initial["publisher"] == NAME
    assert "Communiqué Books" not in str(form["publisher"])
