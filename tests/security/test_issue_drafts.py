"""A print issue lists its articles in print order. An article in it that is still a draft (or
behind a view restriction) must not reach readers through the issue: not its title on the public
issue page, and not its text in the issue's EPUB, which is served to anyone once the issue is live."""
import io
import zipfile

import pytest

pytestmark = pytest.mark.django_db

SECRET = "Embargoed until the summit communique is signed"


@pytest.fixture
def issue_with_draft(mag):
    from django.utils import timezone

    from communique.magazine.models import ArticlePage, IssueArticle
    from communique.magazine.tests.factories import article_body

    issue = mag["issue"]
    # Never published: the editor put the article in the issue before it was ready.
    draft = ArticlePage(title=SECRET, slug="embargoed", date=timezone.now(), body=article_body(99), live=False)
    mag["sections"][0].add_child(instance=draft)
    draft.save_revision()
    IssueArticle.objects.create(issue=issue, article=draft, sort_order=99)
    issue.save_revision().publish()
    assert issue.live and not type(draft).objects.get(pk=draft.pk).live
    return issue, draft


def test_issue_page_does_not_list_draft_articles(client, issue_with_draft):
    issue, _ = issue_with_draft
    response = client.get(issue.url)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert all(a.live for a in issue.articles())


def test_issue_edition_does_not_contain_draft_articles(issue_with_draft):
    from communique.editions import services

    issue, _ = issue_with_draft
    edition = services.build_issue_editions(issue, ["epub"])[0]
    with zipfile.ZipFile(io.BytesIO(edition.path.read_bytes())) as zf:
        text = " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                        if n.endswith((".xhtml", ".opf", ".ncx")))
    assert SECRET not in text
    assert "Article 1" in text  # the live article is still there: the issue was built, not emptied
