"""Print-issue editions end with an index when the site's house style (IndexStyle) asks for one."""
import pytest
from django.core.exceptions import ValidationError

from communique.documents.index_nodes import IndexBlock
from communique.editions.services import read_document
from communique.magazine.models import IssueArticle
from communique.magazine.tests.factories import build_magazine
from communique.research.models import Entity, IndexStyle

from .articles import LAVROV

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    from datetime import datetime, timezone

    from communique.magazine.models import ArticlePage
    from communique.magazine.tests.factories import _publish

    mag = build_magazine(n_articles=2, with_images=False)
    page = ArticlePage(title="Lavrov in Islamabad", slug="lavrov-islamabad", date=datetime(2021, 4, 8, tzinfo=timezone.utc),
                       body=[{"type": "paragraph", "value": LAVROV}])
    mag["sections"][0].add_child(instance=page)
    page = _publish(page)
    issue = mag["issue"]
    IssueArticle.objects.create(issue=issue, article=page, sort_order=99)
    return mag["site"], issue


def _index(document):
    last = document.divisions[-1]
    return last.blocks[0] if last.kind == "index" else None


def test_no_index_unless_the_house_style_asks(issue):
    site, page = issue
    assert _index(read_document(page)) is None
    style = IndexStyle.for_site(site)
    style.print_issues, style.ranges, style.terms = True, "ff", "North–South Gas Pipeline = see Pakistan Stream Gas Pipeline"
    style.save()
    block = _index(read_document(page))
    assert isinstance(block, IndexBlock) and block.ranges == "ff"
    headings = {e.heading: e for _label, entries in block.groups for e in entries}
    assert headings["Sergey Lavrov"].locators and headings["North–South Gas Pipeline"].see == "Pakistan Stream Gas Pipeline"
    # a record an editor rejected leaves the index
    Entity.objects.create(kind="person", name="Sergey Lavrov", status="rejected")
    block = _index(read_document(page))
    assert "Sergey Lavrov" not in {e.heading for _label, entries in block.groups for e in entries}


def test_bad_terms_are_refused_naming_the_line():
    style = IndexStyle(terms="Gas\n > prices\n")
    with pytest.raises(ValidationError, match="line 2"):
        style.clean()
