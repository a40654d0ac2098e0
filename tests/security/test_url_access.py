"""Every URL the project adds (outside Wagtail's own admin and page serving) is classified here,
and every non-public one is tried as an anonymous reader and in each wrong role.

A new URL pattern that is in neither PUBLIC nor PROTECTED fails `test_every_url_is_classified`,
so a new view cannot ship without someone deciding who may see it and adding a case below."""
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Served to anyone on purpose (reader pages, feeds, login itself).
PUBLIC = {
    "login", "logout", "wagtailcore_login",  # Wagtail's login for private pages (a Django auth view)
    "magazine:author", "magazine:tag", "magazine:search", "magazine:publish",
    "feed-rss", "feed-atom", "feed-rss-full", "feed-atom-full", "feed-xsl", "section-feed-rss", "section-feed-atom", "author-feed-rss", "author-feed-atom",
    "sitemap", "sitemap_part", "robots_txt",
    # The research desk's reader pages: confirmed entities and live public articles only.
    "research:entity", "research:entity_timeline_json", "research:timeline", "research:timeline_json",
    # An author's invitation: opened before there is an account; only a signed, unspent, unexpired
    # token shows anything (communique/books/tests/test_invitations.py).
    "books:invitation",
    # Wagtail's page serving, through the route cache (magazine/routing.py): Wagtail's own view
    # restrictions and passwords still run on every request (magazine/tests/test_query_budget.py).
    "wagtail_serve",
}
# Checked by a test in this file: name -> the test that covers it.
PROTECTED = {
    "editions:issue_download": "test_edition_downloads_of_drafts_are_hidden",
    "editions:article_download": "test_edition_downloads_of_drafts_are_hidden",
    "editions_admin_build_issue": "test_admin_edition_build_is_for_editors_only",
    "jobs_admin_recent": "test_admin_jobs_list_is_for_editors_only",
    "jobs:status": "test_job_progress_only_for_owner_and_editors",
    "books:portal": "test_portal_urls_anonymous_goes_to_login",
    "books:create": "test_portal_urls_anonymous_goes_to_login",
    "books:detail": "test_portal_other_authors_objects_are_404",
    "books:edit": "test_portal_other_authors_objects_are_404",
    "books:submit": "test_portal_other_authors_objects_are_404",
    "books:approve": "test_portal_approval_is_for_editors_only",
    "books:upload": "test_portal_other_authors_objects_are_404",
    "books:manuscript": "test_portal_other_authors_objects_are_404",
    "books:manuscript_download": "test_portal_other_authors_objects_are_404",
    "books:build_start": "test_portal_other_authors_objects_are_404",
    "books:build": "test_portal_other_authors_objects_are_404",
    "books:build_zip": "test_portal_other_authors_objects_are_404",
    "books:build_file": "test_portal_other_authors_objects_are_404",
    "books:preview": "test_portal_other_authors_objects_are_404",
    "books:preview_frame": "test_portal_other_authors_objects_are_404",
    "books:cover": "test_portal_other_authors_objects_are_404",
    "books:cover_file": "test_portal_other_authors_objects_are_404",
    "books:prices": "test_portal_other_authors_objects_are_404",
    "books:invitations": "test_portal_editor_pages_are_for_editors_only",
    "books:invitation_revoke": "test_portal_editor_pages_are_for_editors_only",
    "books:rates": "test_portal_editor_pages_are_for_editors_only",
    "communique_translation:submit_page_translation": "test_translation_submit_is_for_translators_and_editors",
    "translation_board": "test_translation_board_is_for_editors_only",
    # the translator's desk (tests/security/test_translator_scope.py)
    "translation_desk": "test_authors_contributors_and_readers_cannot_reach_the_desk",
    "translation_assign": "test_translators_cannot_assign_approve_or_publish",
    "translation_status": "test_authors_contributors_and_readers_cannot_reach_the_desk",
    "translation_page_work": "test_authors_contributors_and_readers_cannot_reach_the_desk",
    "translation_edition_work": "test_translator_only_sees_their_own_books",
    "research:export": "test_research_exports_and_admin_are_for_editors_only",
    "research_split": "test_research_exports_and_admin_are_for_editors_only",
    "research_extract_archive": "test_research_exports_and_admin_are_for_editors_only",
}
# wagtail-localize's own views, served through communique.translation.localize_guard: each name is
# tried per role in tests/security/test_localize_guard.py.
from communique.translation import localize_guard as _guard  # noqa: E402

PROTECTED.update({f"localize_guard:{n}": "tests/security/test_localize_guard.py"
                  for n in _guard.TRANSLATE | _guard.OPEN | _guard.REVIEWERS_ONLY})


def _module(pattern):
    cb = pattern.callback
    return getattr(getattr(cb, "view_class", cb), "__module__", "")


def walk(patterns=None, prefix="", ns=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (ns + p.name) if p.name else None, _module(p)


def project_patterns():
    """Everything except Wagtail's own views (admin, documents, page serving). Our views registered into the admin through hooks are kept: they are ours to guard."""
    out = []
    for route, name, module in walk():
        if module.startswith("communique"):
            out.append((route, name))
        elif module.startswith(("wagtail", "django.views.generic")):
            continue
        # django.views.static.serve is NOT skipped: serving MEDIA_ROOT from Django would bypass
        # Wagtail's document permissions, so it must be a deliberate, classified decision.
        elif route.startswith("admin/"):
            continue  # Wagtail admin built from Django generic/auth views
        else:
            out.append((route, name))
    return out


def test_every_url_is_classified():
    unclassified = [(r, n) for r, n in project_patterns() if n not in PUBLIC and n not in PROTECTED]
    assert not unclassified, (
        "URL patterns nobody has classified as public or protected (add them to PUBLIC, or to PROTECTED "
        f"with a test that tries them anonymously and in each wrong role): {unclassified}"
    )
    names = {n for _, n in project_patterns()}
    stale = (set(PUBLIC) | set(PROTECTED)) - names
    assert not stale, f"classified names that no longer exist: {stale}"


def test_the_walk_sees_our_admin_hook_views():
    # Guards the filter above: if it dropped hook-registered admin views, they would escape the check.
    names = {n for _, n in project_patterns()}
    assert {"editions_admin_build_issue", "jobs_admin_recent", "books:build_file", "jobs:status"} <= names


def _is_login_redirect(response, login_prefix):
    return response.status_code == 302 and response["Location"].startswith(login_prefix)


def _wagtail_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error
    message (wagtail.admin.auth); a plain 403 is also a refusal."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


# ---- jobs --------------------------------------------------------------------------------------


def test_job_progress_only_for_owner_and_editors(client, author, other_author, contributor, translator, editor):
    from communique.jobs.models import Job

    job = Job.objects.create(kind="editions.build_issue", owner=author, args={}, message="secret progress")
    url = reverse("jobs:status", args=[job.pk])
    assert client.get(url).status_code == 401
    for user in (other_author, contributor, translator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, user.username
        assert b"secret progress" not in response.content
    for user in (author, editor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert response.json()["message"] == "secret progress"
    client.force_login(author)
    assert client.get(reverse("jobs:status", args=[uuid.uuid4()])).status_code == 404


# ---- editions ----------------------------------------------------------------------------------


def _unpublish(page):
    page.unpublish()
    page.refresh_from_db()
    assert not page.live
    return page


def test_edition_downloads_of_drafts_are_hidden(client, mag, author, contributor, translator, editor):
    from communique.editions.models import Edition

    article = mag["articles"][0]
    url = reverse("editions:article_download", args=[article.pk, "epub"])
    # The live article downloads for anyone: the 404s below are about drafts, not a broken view.
    live = client.get(url)
    assert live.status_code == 200, live.content[:300]
    assert live["Content-Disposition"].startswith("attachment")

    _unpublish(article)
    issue = _unpublish(mag["issue"])
    # An issue file exists on disk, so a 404 can only come from the permission check.
    edition = Edition.objects.create(page=issue, format="epub", file=f"editions/test-{issue.pk}.epub")
    edition.path.parent.mkdir(parents=True, exist_ok=True)
    edition.path.write_bytes(b"PK\x03\x04 stand-in")
    issue_url = reverse("editions:issue_download", args=[issue.pk, "epub"])

    for user in (None, author, contributor, translator):
        client.logout()
        if user:
            client.force_login(user)
        who = user.username if user else "anonymous"
        assert client.get(url).status_code == 404, f"{who} got a draft article's EPUB"
        assert client.get(issue_url).status_code == 404, f"{who} got a draft issue's EPUB"

    client.force_login(editor)
    assert client.get(issue_url).status_code == 200
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_admin_edition_build_is_for_editors_only(client, mag, author, contributor, translator, editor):
    from communique.jobs.models import Job

    issue = mag["issue"]
    url = reverse("editions_admin_build_issue", args=[issue.pk])
    response = client.get(url)
    assert _is_login_redirect(response, "/admin/login/"), response.status_code
    client.force_login(author)  # no admin access at all
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"] or response["Location"] == "/"
    for user in (contributor, translator):
        client.force_login(user)
        assert _wagtail_refused(client.get(url)), user.username
        assert _wagtail_refused(client.post(url, {"formats": ["epub"]})), user.username
    assert not Job.objects.filter(kind="editions.build_issue").exists()
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_admin_jobs_list_is_for_editors_only(client, author, contributor, translator, editor):
    url = reverse("jobs_admin_recent")
    assert _is_login_redirect(client.get(url), "/admin/login/")
    client.force_login(author)
    assert client.get(url).status_code in (302, 403)
    for user in (contributor, translator):
        client.force_login(user)
        assert _wagtail_refused(client.get(url)), user.username
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_translation_submit_is_for_translators_and_editors(client, author, contributor, translator, editor, mag):
    from wagtail.models import Locale

    article = mag["articles"][0]
    url = reverse("simple_translation:submit_page_translation", args=[article.pk])
    assert url == reverse("communique_translation:submit_page_translation", args=[article.pk])  # ours answers it
    post = {"locales": [Locale.objects.get(language_code="ur").pk]}
    assert _is_login_redirect(client.post(url, post), "/admin/login/")
    client.force_login(author)
    assert client.post(url, post).status_code in (302, 403)
    client.force_login(contributor)
    assert _wagtail_refused(client.post(url, post))
    for user in (translator, editor):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username
    assert article.get_translation_or_none(Locale.objects.get(language_code="ur")) is None


def test_translation_board_is_for_editors_only(client, author, contributor, translator, editor):
    from communique.books.models import Book
    from communique.translation.models import SegmentRecord, TranslatedEdition

    book = Book.objects.create(owner=author, title="A Book In Translation")
    ed = TranslatedEdition.objects.create(book=book, language="ur")
    SegmentRecord.objects.create(edition=ed, unit_id="meta.title", segment_id="meta.title/s1", position=1,
                                 source=["A Book In Translation"], target=["کتاب"], state="approved")
    url = reverse("translation_board")
    assert _is_login_redirect(client.get(url), "/admin/login/")
    client.force_login(author)
    assert client.get(url).status_code in (302, 403)
    for user in (contributor, translator):
        client.force_login(user)
        assert _wagtail_refused(client.get(url)), user.username
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A Book In Translation" in html and 'lang="ur"' in html and "ready to publish" in html


# ---- author portal -----------------------------------------------------------------------------


@pytest.fixture
def alices_book(author):
    from communique.books.models import Book, KitBuild, Manuscript

    book = Book.objects.create(owner=author, title="Alice's Private Book")
    ms = Manuscript(book=book, original_name="m.md", kind="markdown", size=3)
    ms.file.save("m.md", ContentFile(b"# A\n"), save=True)
    build = KitBuild.objects.create(book=book, manuscript=ms, state=KitBuild.State.DONE, files=["metadata.json"])
    build.folder = f"books/{book.public_id}/kits/{build.public_id}"
    build.save()
    build.folder_path.mkdir(parents=True, exist_ok=True)
    (build.folder_path / "metadata.json").write_text('{"title": "secret"}')
    return book, ms, build


def _portal_urls(book, ms, build):
    b, m, k = book.public_id, ms.public_id, build.public_id
    get = {
        "books:detail": reverse("books:detail", args=[b]),
        "books:edit": reverse("books:edit", args=[b]),
        "books:upload": reverse("books:upload", args=[b]),
        "books:manuscript": reverse("books:manuscript", args=[b, m]),
        "books:manuscript_download": reverse("books:manuscript_download", args=[b, m]),
        "books:build": reverse("books:build", args=[b, k]),
        "books:build_zip": reverse("books:build_zip", args=[b, k]),
        "books:build_file": reverse("books:build_file", args=[b, k, "metadata.json"]),
        "books:preview": reverse("books:preview", args=[b]),
        "books:preview_frame": reverse("books:preview_frame", args=[b]),
        "books:cover": reverse("books:cover", args=[b]),
        "books:cover_file": reverse("books:cover_file", args=[b]),
        "books:prices": reverse("books:prices", args=[b]),
    }
    post = {
        "books:submit": reverse("books:submit", args=[b]),
        "books:approve": reverse("books:approve", args=[b]),
        "books:build_start": reverse("books:build_start", args=[b]),
    }
    return get, post


def test_portal_urls_anonymous_goes_to_login(client, alices_book):
    get, post = _portal_urls(*alices_book)
    get.update({"books:portal": reverse("books:portal"), "books:create": reverse("books:create")})
    for name, url in list(get.items()) + list(post.items()):
        response = client.post(url) if name in post else client.get(url)
        assert _is_login_redirect(response, "/accounts/login/?next="), (name, response.status_code)


def test_portal_other_authors_objects_are_404(client, alices_book, other_author, contributor, translator):
    book, ms, build = alices_book
    get, post = _portal_urls(book, ms, build)
    for user in (other_author, contributor, translator):
        client.force_login(user)
        for name, url in get.items():
            assert client.get(url).status_code == 404, (user.username, name)
        for name, url in post.items():
            assert client.post(url).status_code == 404, (user.username, name)
        assert "Alice" not in client.get(reverse("books:portal")).content.decode()
    book.refresh_from_db()
    assert book.status == book.Status.DRAFT and book.builds.count() == 1


def test_portal_editor_pages_are_for_editors_only(client, author, contributor, translator, editor):
    from django.utils import timezone

    from communique.books.models import AuthorInvitation

    invitation = AuthorInvitation.objects.create(email="someone@example.org", nonce="n",
                                                 expires_at=timezone.now() + timezone.timedelta(days=1))
    get = [reverse("books:invitations"), reverse("books:rates")]
    post = [reverse("books:invitation_revoke", args=[invitation.pk]), reverse("books:invitations"),
            reverse("books:rates")]
    for url in get + post:
        assert _is_login_redirect(client.get(url) if url in get else client.post(url), "/accounts/login/?next="), url
    for user in (author, contributor, translator):
        client.force_login(user)
        for url in get:
            assert client.get(url).status_code == 403, (user.username, url)
        for url in post:
            assert client.post(url, {"email": "x@example.org"}).status_code == 403, (user.username, url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and AuthorInvitation.objects.count() == 1
    client.force_login(editor)
    for url in get:
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("books:invitation_revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_portal_approval_is_for_editors_only(client, alices_book, author, editor):
    book = alices_book[0]
    url = reverse("books:approve", args=[book.public_id])
    client.force_login(author)
    assert client.post(url).status_code == 403  # her own book: she may know it exists, not approve it
    book.refresh_from_db()
    assert book.status != book.Status.APPROVED
    client.force_login(editor)
    assert client.post(url).status_code == 302
    book.refresh_from_db()
    assert book.status == book.Status.APPROVED


def test_author_changes_after_approval_go_back_to_the_editors(client, alices_book, author, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = alices_book[0]
    client.force_login(editor)
    assert client.post(reverse("books:approve", args=[book.public_id])).status_code == 302
    book.refresh_from_db()
    assert book.status == book.Status.APPROVED

    client.force_login(author)
    # Viewing the edit form changes nothing.
    assert client.get(reverse("books:edit", args=[book.public_id])).status_code == 200
    book.refresh_from_db()
    assert book.status == book.Status.APPROVED

    upload = client.post(reverse("books:upload", args=[book.public_id]),
                         {"file": SimpleUploadedFile("new.md", b"# New\n\nA different text altogether.\n")})
    assert upload.status_code == 302
    book.refresh_from_db()
    assert book.status == book.Status.SUBMITTED and book.approved_by is None

    client.force_login(editor)
    client.post(reverse("books:approve", args=[book.public_id]))
    book.refresh_from_db()
    assert book.status == book.Status.APPROVED
    # Editing the details (not only the manuscript) also sends it back.
    client.force_login(author)
    response = client.get(reverse("books:edit", args=[book.public_id]))
    form = response.context["form"]
    post = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    post.update({"keywords": "", "categories": "", "title": "Alice's Changed Title",
                 "price_usd": post.get("price_usd") or "4.99", "paperback_price_usd": post.get("paperback_price_usd") or "12.99"})
    fs = response.context["formset"]
    post.update({f"{fs.prefix}-TOTAL_FORMS": "0", f"{fs.prefix}-INITIAL_FORMS": "0",
                 f"{fs.prefix}-MIN_NUM_FORMS": "0", f"{fs.prefix}-MAX_NUM_FORMS": "1000"})
    post = {k: v for k, v in post.items() if not isinstance(v, bool) or v}
    edited = client.post(reverse("books:edit", args=[book.public_id]), post)
    assert edited.status_code == 302, edited.context["form"].errors if edited.context else edited
    book.refresh_from_db()
    assert book.title == "Alice's Changed Title"
    assert book.status == book.Status.SUBMITTED


def test_editors_own_edits_keep_the_approval(client, alices_book, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = alices_book[0]
    client.force_login(editor)
    client.post(reverse("books:approve", args=[book.public_id]))
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("fix.md", b"# Fixed\n\nThe editor's corrected text.\n")})
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.status == book.Status.APPROVED and book.approved_by == editor


# ---- research desk ------------------------------------------------------------------------------


def test_research_exports_and_admin_are_for_editors_only(client, author, contributor, translator, editor):
    from communique.jobs.models import Job
    from communique.research.models import Entity

    entity = Entity.objects.create(name="Sergey Lavrov", kind="person")
    export = reverse("research:export", args=["entities", "csv"])
    split = reverse("research_split", args=[entity.pk])
    archive = reverse("research_extract_archive")
    assert _is_login_redirect(client.get(export), "/accounts/login/")
    assert _is_login_redirect(client.get(split), "/admin/login/")
    assert _is_login_redirect(client.post(archive), "/admin/login/")
    for user in (author, contributor, translator):
        client.force_login(user)
        assert client.get(export).status_code == 403, user.username
        assert client.get(split).status_code in (302, 403), user.username
        assert client.post(archive).status_code in (302, 403), user.username
    assert not Job.objects.filter(kind="research.extract_archive").exists()
    client.force_login(editor)
    assert client.get(export).status_code == 200
    assert client.get(split).status_code == 200
