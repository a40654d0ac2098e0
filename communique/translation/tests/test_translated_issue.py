"""A print issue in another language: its articles' published translations in print order, refused
while any is missing unless an editor overrides (then left out, never mixed in English)."""
import re
import zipfile

import pytest
from lxml import etree

from communique.translation import articles, editions
from communique.translation.pipeline import NotPublishable
from communique.translation.xliff import xml_id

pytestmark = pytest.mark.django_db
TITLES = ["Un nuevo capítulo en la diplomacia energética regional", "Los ríos compartidos y el diálogo"]


def _publish_spanish(article, title):
    data = articles.export(article, "es", "xliff").decode("utf-8")
    data = re.sub(rf'(<unit id="{xml_id("title")}".*?</source>)', lambda m: m.group(1) + f"<target>{title}</target>",
                  data, count=1, flags=re.S)
    page = articles.import_file(article, data.encode("utf-8"), "es.xlf").translated_page
    page.save_revision().publish()  # the editor's approval
    for ancestor in page.get_ancestors().filter(depth__gt=1, live=False).specific():
        ancestor.save_revision().publish()


def test_translated_issue_edition(tmp_path):
    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=4)
    issue = mag["issue"]
    in_print = [link.article for link in issue.issue_articles.all()]
    for article, title in zip(in_print[:2], TITLES):
        _publish_spanish(article, title)
    with pytest.raises(NotPublishable, match=r"2 article\(s\) have no published es translation") as exc:
        editions.issue_document(issue, "es")
    assert f"(page {in_print[2].pk})" in str(exc.value)
    doc = editions.issue_document(issue, "es", override=True, who="edna")
    assert doc.meta.language == "es"
    assert [d.title for d in doc.divisions] == TITLES
    assert any("left out" in str(w) and "edna" in str(w) for w in doc.warnings)
    path = tmp_path / "issue.es.epub"
    editions.write_issue(issue, "es", "epub", path, override=True)
    with zipfile.ZipFile(path) as z:
        opf = next(etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".opf"))
        text = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml")).decode()
    assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "es"
    assert TITLES[0] in text and in_print[2].title not in text


def test_translated_issue_labels_in_its_language(tmp_path, client):
    """The issue's own words ("Editorial", "Volume n, Number m", "In this issue") are in the issue's
    language on its web page and in its edition, and the editorial is the translated one."""
    from communique.magazine.tests.factories import build_magazine, translate_page

    mag = build_magazine(n_articles=2, with_images=False)
    issue = mag["issue"]
    issue.editorial = "<p>An English editorial.</p>"
    issue.save_revision().publish()
    for link in issue.issue_articles.all():
        translate_page(link.article, "ur")
    ur_issue = translate_page(issue, "ur", title="شمارہ")
    ur_issue.editorial = "<p>اردو اداریہ کا متن۔</p>"
    ur_issue.save_revision().publish()

    doc = editions.issue_document(issue, "ur")
    assert doc.meta.subtitle == f"جلد {issue.volume}، شمارہ {issue.number}"
    assert (doc.divisions[0].kind, doc.divisions[0].title) == ("preface", "اداریہ")
    path = tmp_path / "issue.ur.epub"
    editions.write_issue(issue, "ur", "epub", path)
    with zipfile.ZipFile(path) as z:
        text = b"".join(z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".opf"))).decode()
    assert "اداریہ" in text and "اردو اداریہ کا متن۔" in text and "An English editorial" not in text
    assert "Editorial" not in text and "Volume" not in text

    html = client.get(type(ur_issue).objects.get(pk=ur_issue.pk).url).content.decode()
    assert "اس شمارے میں" in html and "In this issue" not in html
    assert f"جلد {issue.volume}، شمارہ {issue.number}" in html
    # The English edition keeps its English words.
    from communique.documents.readers.wagtail import read_issue

    en = read_issue(issue)
    assert en.divisions[0].title == "Editorial" and en.meta.subtitle.startswith("Volume")
