"""A small magazine for tests, demos and benchmarks: Home → Sections → Articles, with authors, tags,
a print issue, publication settings and (optionally) translations.

    from communique.magazine.tests.factories import build_magazine, translate_page
    mag = build_magazine(n_articles=12)
    mag["home"], mag["sections"], mag["section"]["oped"], mag["articles"], mag["authors"], ...

Plain functions, no factory library, so any test (pytest-django `db` fixture or Django TestCase),
management command or shell can call them. The Wagtail default Site is pointed at the new HomePage.
"""
import io
from datetime import date, timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from communique.core.models import FollowLink, PublicationSettings
from communique.magazine.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    IssueArticle,
    IssueIndexPage,
    PrintIssuePage,
    SectionPage,
)

SECTIONS = ("OpEd", "Analysis", "News", "Interviews", "Books")

ABOUT = (
    "The Diplomatic Insight, Pakistan's premier public diplomacy magazine, has promoted Peace Through "
    "Informed Dialogue since 2009, in print and online: research, analysis and public diplomacy "
    "outreach for readers in Pakistan and across the globe."
)

AUTHORS = [
    ("Amina Rehman", "Senior Fellow, Centre for Regional Connectivity"),
    ("Daniel Okafor", "Former ambassador and commentator on multilateral affairs"),
    ("Leila Haddad", "Director, Institute of Peace and Diplomatic Studies"),
]

HEADLINES = [
    "A New Chapter in Regional Energy Diplomacy",
    "Why the Shanghai Cooperation Organization Matters More Than Ever",
    "Water, Climate and the Diplomacy of Shared Rivers",
    "Trade Corridors and the Politics of Connectivity",
    "Peace Talks in Doha: What the Region Expects",
    "Public Diplomacy in the Age of Short Video",
    "The Quiet Work of Consular Services",
    "Interview: An Ambassador on Cultural Exchange",
    "Books: Rethinking Non-Alignment",
    "Migration, Remittances and Foreign Policy",
    "Maritime Security in the Arabian Sea",
    "Vaccines, Supply Chains and Soft Power",
]

TAGS = ["diplomacy", "energy", "afghanistan", "trade", "climate", "security"]

URDU_TITLES = {
    "home": "دی ڈپلومیٹک انسائٹ",
    "article": "علاقائی توانائی سفارت کاری میں ایک نیا باب",
}


def make_image(title="Test image", size=(64, 40), color=(20, 80, 120)):
    """A small PNG stored through Wagtail's image model (the test settings use a temporary MEDIA_ROOT)."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    buffer.seek(0)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{slugify(title) or 'image'}.png")
    )


def article_body(index, image=None):
    """A body that exercises every block type, with a footnote cited from the first paragraph."""
    body = [
        {
            "type": "paragraph",
            "value": (
                f"<p>Article {index}: the visit followed nine long years without a high-level exchange, "
                "and both capitals called it a new chapter in relations.[^1] Diplomats spoke of "
                "economic, strategic and energy cooperation.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Energy and connectivity", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>The pipeline project, renamed last year, would carry gas from the coast "
            "to the north of the country.[^source]</p>",
        },
        {
            "type": "pull_quote",
            "value": {"quote": "Dialogue is the only road to lasting peace.", "attribution": "A senior diplomat"},
        },
        {
            "type": "table",
            "value": {
                "data": [["Year", "Visits"], ["2015", "1"], ["2024", "2"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "High-level visits",
            },
        },
        {
            "type": "embed",
            "value": {
                "url": "https://example.org/press-conference",
                "title": "Joint press conference (video)",
                "provider": "Example Broadcasting",
                "caption": "The foreign ministers' joint statement.",
            },
        },
        {
            "type": "footnotes",
            "value": [
                {"label": "1", "text": "<p>Official statement of the Foreign Office.</p>"},
                {"label": "source", "text": "<p>Ministry of Energy figures.</p>"},
            ],
        },
    ]
    if image is not None:
        body.insert(
            4,
            {
                "type": "image",
                "value": {"image": image.pk, "alt": "Delegations at the talks", "caption": "The talks", "credit": "Photo: TDI"},
            },
        )
    return body


def _publish(page, user=None):
    revision = page.save_revision(user=user, log_action=False)
    revision.publish(user=user, log_action=False)
    page.refresh_from_db()
    return page


def _site_root_slot(slug):
    """Free the slot under the tree root: Wagtail's "Welcome" placeholder page is removed, and a
    second magazine in the same database gets a numbered slug."""
    root = Page.get_first_root_node()
    for child in root.get_children():
        if child.specific_class is Page and child.slug == slug and not child.get_children().exists():
            child.delete()
    existing = set(root.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in existing:
        n += 1
        candidate = f"{slug}-{n}"
    return root, candidate


def build_magazine(
    n_articles=12,
    *,
    sections=SECTIONS,
    with_images=True,
    translate_to=(),
    home_slug="home",
    start=None,
    image_size=(64, 40),
):
    """Build and publish a magazine. Returns a dict:

    site, home, sections (list), section (dict slug → SectionPage), articles (list, newest first),
    authors (list), tags (list of names), images (list), issue_index, issue, settings,
    translations (dict language code → {"home", "article", …} of published translated pages).

    Images are tiny by default so tests stay fast; pass image_size=(1200, 675) for demos.
    """
    if n_articles < 0:
        raise ValueError(f"n_articles must be 0 or more, not {n_articles!r}")
    if not sections:
        raise ValueError("build_magazine needs at least one section name")
    start = start or timezone.now()
    root, slug = _site_root_slot(home_slug)
    home = root.add_child(instance=HomePage(title="The Diplomatic Insight", slug=slug, intro="Peace Through Informed Dialogue"))
    _publish(home)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="The Diplomatic Insight")
    else:
        site.root_page = home
        site.site_name = "The Diplomatic Insight"
        site.save()

    settings = PublicationSettings.for_site(site)
    settings.name = "The Diplomatic Insight"
    settings.tagline = "Peace Through Informed Dialogue"
    settings.about = ABOUT
    settings.founded = 2009
    settings.follow_links = [
        FollowLink(network="x", url="https://x.com/example_tdi"),
        FollowLink(network="facebook", url="https://www.facebook.com/example.tdi"),
        FollowLink(network="youtube", url="https://www.youtube.com/@example-tdi"),
    ]
    settings.save()

    section_pages = []
    for i, name in enumerate(sections):
        section = home.add_child(
            instance=SectionPage(
                title=name,
                slug=slugify(name),
                intro=f"{name} from The Diplomatic Insight.",
                is_opinion=(name == "OpEd"),
                show_in_menus=True,
            )
        )
        section_pages.append(_publish(section))

    authors = []
    for name, role in AUTHORS:
        author, _ = Author.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "role_line": role, "bio": f"<p>{name} writes on diplomacy and regional affairs.</p>"},
        )
        authors.append(author)

    images = (
        [make_image("Lead image", size=image_size), make_image("Body image", size=image_size, color=(120, 60, 20))]
        if with_images
        else []
    )

    articles = []
    for i in range(n_articles):
        headline = HEADLINES[i % len(HEADLINES)]
        if i >= len(HEADLINES):
            headline = f"{headline}, part {i // len(HEADLINES) + 1}"
        section = section_pages[i % len(section_pages)]
        article = ArticlePage(
            title=headline,
            slug=slugify(headline),
            standfirst=f"A standfirst for “{headline}”: what changed and why it matters for the region.",
            date=start - timedelta(days=i, hours=1),
            body=article_body(i + 1, image=images[1] if images and i == 0 else None),
            is_sample=True,
        )
        if images and i == 0:
            article.lead_image = images[0]
            article.lead_image_alt = "Foreign ministers shaking hands"
            article.lead_image_caption = "The foreign ministers in Islamabad."
            article.lead_image_credit = "Photo: TDI"
        article_authors = [authors[i % len(authors)]]
        if i % 4 == 0 and len(authors) > 1:
            article_authors.append(authors[(i + 1) % len(authors)])
        article.article_authors = [ArticleAuthor(author=a, sort_order=n) for n, a in enumerate(article_authors)]
        section.add_child(instance=article)
        article.tags.add(TAGS[i % len(TAGS)], TAGS[(i + 2) % len(TAGS)])
        articles.append(_publish(article))

    issue_index = home.add_child(instance=IssueIndexPage(title="Print issues", slug="issues", intro="The magazine in print."))
    _publish(issue_index)
    issue = PrintIssuePage(
        title="Peace Through Dialogue",
        slug="volume-15-number-4",
        volume=15,
        number=4,
        issue_date=date(start.year, start.month, 1),
        editorial="<p>This issue looks at energy, connectivity and the diplomacy of shared rivers.</p>",
    )
    issue.issue_articles = [IssueArticle(article=a, sort_order=n) for n, a in enumerate(articles[:4])]
    issue_index.add_child(instance=issue)
    _publish(issue)

    articles = [ArticlePage.objects.get(pk=a.pk) for a in articles]
    result = {
        "site": site,
        "home": HomePage.objects.get(pk=home.pk),
        "sections": [SectionPage.objects.get(pk=s.pk) for s in section_pages],
        "section": {s.slug: SectionPage.objects.get(pk=s.pk) for s in section_pages},
        "articles": articles,
        "authors": authors,
        "tags": list(TAGS),
        "images": images,
        "issue_index": IssueIndexPage.objects.get(pk=issue_index.pk),
        "issue": PrintIssuePage.objects.get(pk=issue.pk),
        "settings": settings,
        "translations": {},
    }
    for code in translate_to:
        if articles:
            article = translate_page(articles[0], code, title=URDU_TITLES["article"] if code == "ur" else None)
            result["translations"][code] = {
                "article": article,
                "section": article.get_parent().specific,
                "home": article.get_parent().get_parent().specific,
            }
        else:
            result["translations"][code] = {"home": translate_page(home, code)}
    return result


def translate_page(page, language_code, title=None):
    """Copy `page` (and any untranslated ancestors) into `language_code` with Wagtail's
    copy_for_translation, publish the copies, and return the translated page.

    A translation keeps the original's fields (authors, tags, body) until a translator edits
    them; `title` replaces the headline so tests can tell the two apart."""
    locale = Locale.objects.get(language_code=language_code)
    page = page.specific
    existing = page.get_translation_or_none(locale)
    translated = existing.specific if existing else page.copy_for_translation(locale, copy_parents=True).specific
    if title:
        translated.title = title
    _publish(translated)
    # copy_parents creates the missing ancestors as drafts; readers need them live to reach the page.
    for ancestor in translated.get_ancestors().filter(depth__gt=1, live=False).specific():
        _publish(ancestor)
    return type(translated).objects.get(pk=translated.pk)
