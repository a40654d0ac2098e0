import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.images import get_image_model
from wagtail.models import Page, Site

pytestmark = pytest.mark.django_db


def snapshot():
    from communique.core.models import PublicationSettings
    from communique.importers.models import ImportRecord
    from communique.magazine.models import ArticlePage, Author, IssueArticle
    from communique.magazine.popularity.models import PageViewBucket, PageViewTotal

    return {
        "tree": list(Page.objects.order_by("path").values_list("path", "slug", "locale__language_code")),
        "articles": ArticlePage.objects.count(),
        "authors": Author.objects.count(),
        "images": get_image_model().objects.count(),
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "records": ImportRecord.objects.count(),
        "issue_articles": IssueArticle.objects.count(),
        "views": sum(PageViewTotal.objects.values_list("count", flat=True)),
        "buckets": PageViewBucket.objects.count(),
        "settings": PublicationSettings.objects.count(),
        "sites": Site.objects.count(),
    }


def test_demo_builds_the_tree_and_is_idempotent(capsys):
    from communique.core.models import PublicationSettings
    from communique.magazine.models import (ArticlePage, HomePage, IssueIndexPage, PrintIssuePage,
                                            SectionPage)
    from communique.magazine.popularity import most_popular

    call_command("demo")
    out = capsys.readouterr().out
    assert "admin" in out and "communique-demo" in out
    for username in ("editor", "contributor", "translator", "author"):
        assert username in out
    first = snapshot()

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    sections = {s.title: s for s in SectionPage.objects.child_of(home)}
    assert set(sections) == {"OpEd", "Analysis", "News", "Interviews", "Books"}
    assert sections["OpEd"].is_opinion and not sections["News"].is_opinion
    assert sections["News"].articles().count() > SectionPage.per_page  # pagination shows

    seed = ArticlePage.objects.get(title="New Beginning in Pakistan-Russia Relations")
    assert seed.get_parent().pk == sections["OpEd"].pk and not seed.is_sample
    assert [a.name for a in seed.authors] == ["Farhat Asif"]
    assert seed.authors[0].role_line == "President, Institute of Peace and Diplomatic Studies"

    samples = ArticlePage.objects.filter(is_sample=True, locale__language_code="en")
    assert samples.count() >= 15
    for page in samples:
        assert page.standfirst.startswith("Sample article")
        assert "sample" in [t.name for t in page.tags.all()]
    assert len({a.pk for p in samples for a in p.authors}) >= 4
    assert all(a.role_line for p in samples for a in p.authors)

    for page in samples:
        page.body.stream_block.clean(page.body)  # editable in the admin as stored
    kinds = {b.block_type for p in samples for b in p.body}
    assert {"paragraph", "heading", "pull_quote", "table", "footnotes", "image"} <= kinds
    with_images = samples.exclude(lead_image=None)
    assert with_images.count() >= 4 and all(p.lead_image_alt for p in with_images)
    assert all(image.description for image in get_image_model().objects.all())  # Wagtail's alt text

    index = IssueIndexPage.objects.child_of(home).get()
    issue = PrintIssuePage.objects.child_of(index).get()
    assert [a.slug for a in issue.articles()][:2] == [
        "why-small-states-should-invest-in-listening",
        "counting-goodwill-how-ministries-measure-public-diplomacy",
    ]

    ps = PublicationSettings.for_site(site)
    assert ps.about.startswith("The Diplomatic Insight, Pakistan's premier") and ps.founded == 2009
    assert ps.follow_links.count() >= 3

    urdu = ArticlePage.objects.get(locale__language_code="ur", live=True)  # the desk's Urdu work is a draft
    assert urdu.live and "سننے" in urdu.title
    assert urdu.get_parent().live and urdu.translation_key == ArticlePage.objects.get(
        slug="why-small-states-should-invest-in-listening", locale__language_code="en").translation_key

    popular = most_popular("7d", 5)
    assert len(popular) == 5 and popular[0].view_count >= popular[-1].view_count > 0

    # authenticate() needs the request now (login throttling, django-axes): sign in as the site does.
    login = RequestFactory().post("/accounts/login/")
    assert authenticate(login, username="admin", password="communique-demo").is_superuser
    for username, group in (("editor", "Editors"), ("contributor", "Contributors"),
                            ("translator", "Translators"), ("author", "Authors")):
        user = authenticate(login, username=username, password="communique-demo")
        assert user is not None and user.groups.filter(name=group).exists()
    assert User.objects.get(username="author").author_profile.slug == "hamza-qureshi"

    call_command("demo")
    assert snapshot() == first


def test_demo_indexes_references_once_instead_of_queuing_a_job_per_save(monkeypatch):
    """The builder replaces author links that earlier saves had queued reference-index jobs for;
    the worker then failed those jobs on rows that were gone. The demo indexes once at the end."""
    import wagtail.signal_handlers as handlers
    from wagtail.models import ReferenceIndex

    from communique.magazine.models import Author

    queued = []

    class Recorder:
        @staticmethod
        def enqueue(*args, **kwargs):
            queued.append(args)

    monkeypatch.setattr(handlers, "update_reference_index_task", Recorder)
    call_command("demo")
    assert queued == []
    author = Author.objects.filter(article_links__isnull=False).first()
    assert ReferenceIndex.get_references_to(author).exists()  # the articles that credit the author
