"""Builds the demo site. Idempotent: everything is found by slug, username or an ImportRecord and
updated in place, so running it twice gives the same tree."""
from __future__ import annotations

import random
import re
import tempfile
import zlib
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from communique.documents import model as dm
from communique.importers.base import ImportSession
from communique.importers.models import ImportRecord
from communique.importers.page import import_page
from communique.importers.to_wagtail import get_or_create_section, image_from_path, save_document

from . import content
from .images import draw

SEED = Path(__file__).parent / "sample" / "seed-oped-pakistan-russia.txt"
INLINE_RE = re.compile(r"(\*\*.+?\*\*|\*.+?\*|\[\^[\w-]+\])")


def _publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def inlines(text: str) -> list:
    out = []
    for part in INLINE_RE.split(text):
        if not part:
            continue
        if part.startswith("[^"):
            out.append(dm.NoteRef(part[2:-1]))
        elif part.startswith("**"):
            out.append(dm.Strong([dm.Text(part[2:-2])]))
        elif part.startswith("*") and len(part) > 2:
            out.append(dm.Emph([dm.Text(part[1:-1])]))
        else:
            out.append(dm.Text(part))
    return out


def blocks(body: list, image_paths: dict) -> list:
    out = []
    for item in body:
        if isinstance(item, str):
            out.append(dm.Paragraph(inlines(item)))
        elif item[0] in ("h2", "h3"):
            out.append(dm.Heading(1 if item[0] == "h2" else 2, [dm.Text(item[1])]))
        elif item[0] == "quote":
            out.append(dm.PullQuote(item[1], item[2]))
        elif item[0] == "table":
            _, caption, rows = item
            out.append(dm.Table([[dm.TableCell([dm.Text(c)], header=(i == 0)) for c in row]
                                 for i, row in enumerate(rows)], caption))
        elif item[0] == "image":
            _, key, alt, caption = item
            out.append(dm.Image(image_paths[key], alt=alt, caption=caption, credit="Illustration: Communiqué demo"))
    return out


def site_address(base_url):
    """(hostname, port) of a base URL such as http://127.0.0.1:8000."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


class DemoBuilder:
    def __init__(self, session: ImportSession, out=None):
        self.session = session
        self.out = out or (lambda s: None)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)

    # ---- site and sections ------------------------------------------------------------------

    def site_and_home(self):
        from communique.magazine.models import HomePage

        site = Site.objects.filter(is_default_site=True).first()
        home = site.root_page.specific if site else None
        if not isinstance(home, HomePage):
            home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's "Welcome to your new Wagtail site!" placeholder holds the "home" slug.
            for child in root.get_children():
                if child.specific_class is Page and not child.get_children().exists():
                    if site and site.root_page_id == child.pk:
                        site.root_page = root
                        site.save()
                    child.delete()
            home = HomePage(title="The Diplomatic Insight", slug="home", intro="Peace Through Informed Dialogue")
            root.add_child(instance=home)
            home = _publish(home)
        # The Site's address is where the demo is served (WAGTAILADMIN_BASE_URL, which
        # `dev.py demo --port N` sets): every absolute URL (canonical, feeds, JSON-LD) starts with it.
        hostname, port = site_address(settings.WAGTAILADMIN_BASE_URL)
        if site is None:
            site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True,
                                       site_name="The Diplomatic Insight")
        elif (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port) or not site.site_name:
            site.root_page = home
            site.hostname, site.port = hostname, port
            site.site_name = site.site_name or "The Diplomatic Insight"
            site.save()
        self.site, self.home = site, home
        return home

    def sections(self):
        self.section = {}
        for title, slug, is_opinion, intro in content.SECTIONS:
            section = get_or_create_section(title, home=self.home, slug=slug)
            if (section.is_opinion, section.intro, section.show_in_menus) != (is_opinion, intro, True) or not section.live:
                section.is_opinion, section.intro, section.show_in_menus = is_opinion, intro, True
                section = _publish(section)
            self.section[title] = section

    # ---- people -------------------------------------------------------------------------------

    def users(self):
        self.logins = [("admin", content.DEMO_PASSWORD, "superuser")]
        admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.com"})
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(content.DEMO_PASSWORD)
        admin.save()
        self.users_by_name = {"admin": admin}
        for username, group_name, first, last in content.USERS:
            group, _ = Group.objects.get_or_create(name=group_name)
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
            user.first_name, user.last_name, user.is_active = first, last, True
            user.set_password(content.DEMO_PASSWORD)
            user.save()
            user.groups.add(group)
            self.users_by_name[username] = user
            self.logins.append((username, content.DEMO_PASSWORD, group_name))

    def authors(self):
        from communique.magazine.models import Author

        self.author = {}
        for slug, name, role_line, bio in content.AUTHORS:
            author, _ = Author.objects.update_or_create(
                slug=slug, defaults={"name": name, "role_line": role_line, "bio": f"<p>{bio}</p>"}
            )
            self.author[slug] = author
        author_user = self.users_by_name.get("author")
        if author_user is not None:
            hamza = self.author["hamza-qureshi"]
            Author.objects.filter(user=author_user).exclude(pk=hamza.pk).update(user=None)
            hamza.user = author_user
            hamza.save()

    # ---- images ------------------------------------------------------------------------------

    def images(self, workdir: Path):
        self.image_paths, self.image = {}, {}
        for key, title, alt in content.IMAGES:
            path = draw(key, workdir)
            self.image_paths[key] = path
            image = image_from_path(path, self.session, title=title, alt=alt)
            if image.title != title:
                image.title = title
                image.save()
            self.image[key] = image
        self.alt = {key: alt for key, _, alt in content.IMAGES}

    # ---- articles -------------------------------------------------------------------------------

    def seed(self):
        extracted, page, _ = import_page(SEED, self.session, home=self.home)
        self.seed_page = page
        self.publisher_blurb = extracted.publisher_blurb
        return page

    def _save(self, *, slug, section, title, standfirst, author_slugs, when, tags, body, notes=None, image=None):
        authors = [self.author[s] for s in author_slugs]
        doc = dm.Document(
            meta=dm.Metadata(
                title=title,
                contributors=[dm.Contributor(a.name, role_line=a.role_line) for a in authors],
                date=when.isoformat(),
                subjects=list(tags) + ["sample"],
                description=f"{content.SAMPLE_NOTE} {standfirst}",
                cover_image=self.image_paths[image[0]] if image else None,
            ),
            divisions=[dm.Division(kind="article", title=title, blocks=body, section_label=section)],
            notes={k: [dm.Paragraph(inlines(v))] for k, v in (notes or {}).items()},
        )
        page, _ = save_document(
            doc, self.session, section_name=section, source="demo", key=slug, slug=slug, is_sample=True,
            home=self.home, author_slugs={a.name: a.slug for a in authors}, kind="demo",
            lead_image_alt=self.alt[image[0]] if image else "",
            lead_image_caption=image[1] if image else "",
            lead_image_credit=image[2] if image else "",
        )
        return page

    def articles(self):
        self.article = {}
        # Every sample article gets a picture (the home page and lists show one on each card);
        # those the content does not illustrate take one of the drawings in turn, uncaptioned.
        spare = [key for key, _, _ in content.IMAGES if key != "cover"]
        for n, spec in enumerate(content.ARTICLES):
            if not spec.get("image"):
                spec = {**spec, "image": (spare[n % len(spare)], "", "Illustration: Communiqué demo")}
            self.article[spec["slug"]] = self._save(
                slug=spec["slug"], section=spec["section"], title=spec["title"], standfirst=spec["standfirst"],
                author_slugs=spec["authors"], when=self.now - timedelta(days=spec["days_ago"], hours=3),
                tags=spec["tags"], body=blocks(spec["body"], self.image_paths), notes=spec.get("notes"),
                image=spec.get("image"),
            )
        reporters = ["hamza-qureshi", "hamza-qureshi", "sofia-lindqvist"]
        for i, (title, first, second, tags) in enumerate(content.NEWS):
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            self.article[slug] = self._save(
                slug=slug, section="News", title=title, standfirst=first, author_slugs=[reporters[i % 3]],
                when=self.now - timedelta(days=i // 2, hours=1 + 5 * (i % 2)), tags=tags,
                body=[dm.Paragraph(inlines(first)), dm.Paragraph(inlines(second))],
                image=(spare[(i + 3) % len(spare)], "", "Illustration: Communiqué demo"),
            )

    # ---- issues -----------------------------------------------------------------------------------

    def issue(self):
        from communique.magazine.models import IssueArticle, IssueIndexPage, PrintIssuePage

        index = IssueIndexPage.objects.child_of(self.home).filter(slug="issues").first()
        if index is None:
            index = IssueIndexPage(title="Print issues", slug="issues", intro="The magazine in print.")
            self.home.add_child(instance=index)
            index = _publish(index)
        spec = content.ISSUE
        issue = PrintIssuePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        created = issue is None
        if created:
            issue = PrintIssuePage(slug=spec["slug"])
        today = timezone.now().date()
        issue.title, issue.volume, issue.number = spec["title"], spec["volume"], spec["number"]
        issue.issue_date = date(today.year, today.month, 1)
        issue.editorial = spec["editorial"]
        issue.cover_image = self.image["cover"]
        ordered = [self.article[s] for s in spec["articles"]] + [self.seed_page]
        issue.issue_articles = [IssueArticle(article=a, sort_order=n) for n, a in enumerate(ordered)]
        if created:
            index.add_child(instance=issue)
        self.issue_page = _publish(issue)

    # ---- settings ---------------------------------------------------------------------------------

    def publication_settings(self):
        from communique.core.models import FollowLink, PublicationSettings

        ps = PublicationSettings.for_site(self.site)
        ps.name = "The Diplomatic Insight"
        ps.tagline = "Peace Through Informed Dialogue"
        if self.publisher_blurb:
            ps.about = self.publisher_blurb
            m = re.search(r"since its inception in (\d{4})", self.publisher_blurb)
            if m:
                ps.founded = int(m.group(1))
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        # Placeholder handles: an editor replaces them with the publisher's real accounts.
        ps.follow_links = [
            FollowLink(network="x", url="https://x.com/example_tdi", label="X", sort_order=0),
            FollowLink(network="facebook", url="https://www.facebook.com/example.tdi", sort_order=1),
            FollowLink(network="linkedin", url="https://www.linkedin.com/company/example-tdi", sort_order=2),
            FollowLink(network="youtube", url="https://www.youtube.com/@example-tdi", sort_order=3),
            FollowLink(network="rss", url=f"{base}/feeds/rss/", label="RSS feed", sort_order=4),
        ]
        ps.save()
        self.settings = ps

    # ---- Urdu ---------------------------------------------------------------------------------------

    def urdu(self):
        from communique.magazine.models import ArticlePage

        locale, _ = Locale.objects.get_or_create(language_code="ur")
        source = self.article["why-small-states-should-invest-in-listening"]
        existing = source.get_translation_or_none(locale)
        translated = existing.specific if existing else source.copy_for_translation(locale, copy_parents=True).specific
        translated.title = content.URDU["title"]
        translated.standfirst = content.URDU["standfirst"]
        translated.body = [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in content.URDU["body"]]
        translated.is_sample = True
        translated = _publish(translated)
        # copy_parents makes the Urdu home and section as drafts; readers need them live.
        for ancestor in translated.get_ancestors().filter(depth__gt=1, live=False).specific():
            _publish(ancestor)
        self.urdu_page = ArticlePage.objects.get(pk=translated.pk)

    def translation_work(self):
        from .translation import assign

        self.translation_lines = assign(self.article, self.users_by_name["editor"], self.users_by_name["translator"])

    # ---- Most Popular ---------------------------------------------------------------------------

    def popularity(self):
        from communique.magazine.popularity import record_views

        pages = [self.seed_page] + list(self.article.values())
        written = 0
        for rank, page in enumerate(pages):
            # Views are written once per page: a second run must not double them.
            marker, created = ImportRecord.objects.get_or_create(source="demo-views", key=str(page.pk),
                                                                 defaults={"page": page})
            if not created:
                continue
            rng = random.Random(zlib.crc32(page.slug.encode()))
            weight = max(1, 40 - rank * 2) + rng.randint(0, 25)
            for day in range(7):
                for _ in range(rng.randint(1, 4)):
                    when = self.now - timedelta(days=day, hours=rng.randint(1, 23))
                    count = max(1, int(weight * rng.uniform(0.3, 1.4)) // (day + 1))
                    record_views(page.pk, count, when)
                    written += count
        self.views_written = written

    def build(self):
        self.site_and_home()
        self.sections()
        self.users()
        self.authors()
        from .research import confirmed_records

        confirmed_records()  # before the articles: their extraction files mentions under these
        with tempfile.TemporaryDirectory(prefix="communique-demo-") as workdir:
            self.images(Path(workdir))
            self.seed()
            self.articles()
        self.issue()
        self.publication_settings()
        self.urdu()
        self.translation_work()
        self.popularity()
        return self
