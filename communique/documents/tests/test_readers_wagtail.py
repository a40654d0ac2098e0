import pytest

from communique.documents.model import Heading, Image, Link, NoteRef, Paragraph, PullQuote, Table, plain_text
from communique.documents.readers import read_article, read_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def magazine():
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=4)


def _refs(blocks):
    return [n.note_id for b in blocks if isinstance(b, Paragraph) for n in b.children if isinstance(n, NoteRef)]


def test_read_article(magazine):
    article = magazine["articles"][0]
    doc = read_article(article)
    assert doc.meta.title == article.title and doc.meta.language == "en"
    (division,) = doc.divisions
    assert division.kind == "article"
    assert division.section_label == article.section.title
    assert division.subtitle == article.standfirst
    names = [a.name for a in article.authors]
    assert [c.name for c in division.contributors] == names
    first = division.contributors[0]
    assert first.role_line and "writes on diplomacy" in first.bio and "<p>" not in first.bio
    kinds = [type(b) for b in division.blocks]
    assert Image in kinds and Heading in kinds and PullQuote in kinds and Table in kinds
    lead = division.blocks[0]
    assert isinstance(lead, Image) and lead.path.is_file() and lead.alt == "Foreign ministers shaking hands"
    assert lead.credit == "Photo: TDI"
    # Footnotes: [^1] and [^source] in the text resolve to the footnotes block.
    assert _refs(division.blocks) == ["1", "source"]
    assert plain_text(doc.notes["source"][0].children) == "Ministry of Energy figures."
    table = next(b for b in division.blocks if isinstance(b, Table))
    assert table.caption == "High-level visits" and all(c.header for c in table.rows[0])
    links = [n for b in division.blocks if isinstance(b, Paragraph) for n in b.children if isinstance(n, Link)]
    assert links[0].href == "https://example.org/press-conference"


def test_read_issue(magazine):
    issue = magazine["issue"]
    doc = read_issue(issue)
    assert doc.meta.title == issue.title and doc.meta.subtitle == "Volume 15, Number 4"
    assert doc.divisions[0].title == "Editorial"
    articles = doc.divisions[1:]
    assert [d.title for d in articles] == [a.title for a in issue.articles()]
    assert all(d.kind == "article" and d.section_label for d in articles)
    # Note labels repeat across articles; the reader keeps them apart.
    all_refs = [r for d in articles for r in _refs(d.blocks)]
    assert len(all_refs) == len(set(all_refs)) == 2 * len(articles)
    assert all(r in doc.notes for r in all_refs)



def test_links_to_other_pages_become_full_addresses(magazine):
    from communique.documents.readers import read_article

    article, other = magazine["articles"][0], magazine["articles"][1]
    article.body.append(("paragraph", f'<p>See <a linktype="page" id="{other.pk}">the other piece</a>.</p>'))
    article.save()
    doc = read_article(article)
    hrefs = [n.href for b in doc.divisions[0].blocks if isinstance(b, Paragraph) for n in b.children if isinstance(n, Link)]
    assert any(h.startswith(("http://", "https://")) and h.rstrip("/").endswith("/" + other.slug) for h in hrefs), hrefs
