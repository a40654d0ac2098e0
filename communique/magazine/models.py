from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .blocks import ArticleBodyBlock
from .body_facts import body_facts
from .queries import reader_page_manager

# wagtail-localize: a translated page keeps the original's address and dates; only words are
# translated. Dates, numbers, images and links are synchronised by wagtail-localize anyway; the
# slug would otherwise be a translatable string (and machine-translated into a different URL).
SYNCHRONISED = [SynchronizedField("slug", overridable=False)]


@register_snippet
class Author(TranslatableMixin, index.Indexed, models.Model):
    """A byline. Translatable (wagtail-localize): a translation has its own name, role and bio and
    the same slug, portrait and links as the original; the sign-in account stays with the original."""
    name = models.CharField(max_length=200)
    # The same slug in every language (synchronised), so unique per language only.
    slug = models.SlugField(max_length=200)
    role_line = models.CharField(
        max_length=255,
        blank=True,
        help_text='Shown under the byline, e.g. "President, Institute of Peace and Diplomatic Studies".',
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    portrait = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.URLField(blank=True)
    x_handle = models.CharField("X handle", max_length=60, blank=True)
    linkedin = models.URLField(blank=True)
    user = models.OneToOneField(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The sign-in account of this author, for the author portal.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role_line"),
        FieldPanel("bio"),
        FieldPanel("portrait"),
        MultiFieldPanel([FieldPanel("website"), FieldPanel("x_handle"), FieldPanel("linkedin")], "Links"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("role_line"), index.AutocompleteField("name"),
                     index.FilterField("locale_id")]
    # Listed in full so that `user` is neither translated nor copied: a person has one account, and
    # it belongs to the original byline (a OneToOne field could not be copied anyway).
    exclude_fields_in_copy = ["user"]
    translatable_fields = [
        TranslatableField("name"), TranslatableField("role_line"), TranslatableField("bio"),
        SynchronizedField("slug", overridable=False), SynchronizedField("portrait"), SynchronizedField("website"),
        SynchronizedField("x_handle"), SynchronizedField("linkedin"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="author_slug_per_locale")]

    def __str__(self):
        return self.name

    @classmethod
    def for_locale(cls, authors, locale_id) -> list:
        """Each author in `locale_id` when translated there, else as given: one query, none when
        every author is already in that locale."""
        authors = list(authors)
        keys = {a.translation_key for a in authors if a.locale_id != locale_id}
        if not keys or locale_id is None:
            return authors
        found = {a.translation_key: a for a in cls.objects.filter(translation_key__in=keys, locale_id=locale_id)}
        return [a if a.locale_id == locale_id else found.get(a.translation_key, a) for a in authors]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("magazine:author", args=[self.slug])


class HomePage(Page):
    """The front page. Editors choose the lead story, the featured slots and which sections
    show a grid (and how many cards); whatever is left unchosen falls back to the latest."""
    override_translatable_fields = SYNCHRONISED
    objects = reader_page_manager()  # public() without a query per list (magazine.queries)

    intro = models.CharField(max_length=255, blank=True)
    lead_story = models.ForeignKey(
        "magazine.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The big story at the top. Empty: the latest article.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        PageChooserPanel("lead_story", "magazine.ArticlePage"),
        InlinePanel("featured_links", label="Featured stories (under the lead)", max_num=6),
        InlinePanel("section_grids", label="Section grids (empty: every section, four stories each)"),
    ]
    subpage_types = ["magazine.SectionPage", "magazine.IssueIndexPage", "magazine.ContentPage"]
    max_count_per_parent = 1

    def sections(self):
        return SectionPage.objects.child_of(self).live().specific().order_by("path")

    def latest_issue(self):
        """The newest live print issue under this home page, for the home page's cover card."""
        return PrintIssuePage.objects.descendant_of(self).live().public().select_related("cover_image").order_by("-issue_date").first()

    def get_context(self, request, *args, **kwargs):
        from .queries import home_context

        from .queries import lazy_values

        context = super().get_context(request, *args, **kwargs)
        # Lazy: only read when the home page's fragment is not in the cache.
        context.update(lazy_values(lambda: home_context(self), ("lead_story", "featured", "section_blocks")))
        return context


class SectionPage(Page):
    """OpEd, Analysis, News, Interviews, Books: a list of articles with pagination."""
    override_translatable_fields = SYNCHRONISED
    objects = reader_page_manager()  # public() without a query per list (magazine.queries)

    intro = models.CharField(max_length=255, blank=True)
    is_opinion = models.BooleanField(
        default=False, help_text="Articles here are opinion (schema.org OpinionNewsArticle)."
    )
    per_page = 10

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("is_opinion")]
    parent_page_types = ["magazine.HomePage"]
    subpage_types = ["magazine.ArticlePage"]

    def articles(self):
        return (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .prefetch_related("article_authors__author")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .queries import section_paginator

        paginator = section_paginator(self, self.per_page)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["articles"] = context["page_obj"].object_list
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("magazine.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticlePage(Page):
    override_translatable_fields = SYNCHRONISED
    objects = reader_page_manager()  # public() without a query per list (magazine.queries)

    standfirst = models.TextField(blank=True, help_text="One or two sentences under the headline.")
    date = models.DateTimeField("publication date", default=timezone.now, db_index=True)
    updated = models.DateTimeField(
        "updated", null=True, blank=True,
        help_text="When the article was last revised in substance; shown as \u201cUpdated \u2026\u201d.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_alt = models.CharField(max_length=140, blank=True)
    lead_image_caption = models.CharField(max_length=400, blank=True)
    lead_image_credit = models.CharField(max_length=200, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    is_sample = models.BooleanField(
        default=False, help_text="Demo content written for Communiqué, not a real article."
    )
    # Kept from the body on every save (body_facts), so that a list of cards reads neither the
    # body's JSON nor its paragraphs for the reading time and the opening line.
    word_count = models.PositiveIntegerField(default=0, editable=False)
    opening = models.TextField(blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Authors", min_num=0),
        FieldPanel("date"),
        FieldPanel("updated"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            "Lead image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields("article_authors", [index.RelatedFields("author", [index.SearchField("name")])]),
        index.SearchField("search_stems"),
        index.FilterField("date"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["magazine.SectionPage"]
    subpage_types = []

    class Meta:
        ordering = ["-date"]

    @cached_property
    def tag_list(self):
        """The tags, asked for once for the head, related articles and the footer (a preview's
        unsaved tags come from memory the same way)."""
        return list(self.tags.all())

    @cached_property
    def authors(self):
        # .all() so that a prefetch_related("article_authors__author") on the list is used. An article
        # translated by a copy (not through wagtail-localize) still links the original bylines: the
        # page's language's translation of each is shown when there is one.
        return Author.for_locale([link.author for link in self.article_authors.all()], self.locale_id)

    @cached_property
    def _body_facts(self):
        return body_facts(self.body.raw_data)

    @cached_property
    def body_text(self):
        """The body's paragraphs and headings as plain text (reading time, descriptions, snippets)."""
        return self._body_facts[0]

    @cached_property
    def first_paragraph(self):
        """The opening paragraph as plain text: the description of an article with no standfirst.
        Read from the stored copy when the body was not loaded (cards defer it)."""
        if "body" not in self.__dict__:
            return self.opening
        return self._body_facts[1]

    def search_stems(self):
        """Stems (SQLite) or folded Arabic-script words, indexed beside the text: see magazine.search."""
        from .search import extra_index_text

        code = self.locale.language_code if self.locale_id else "en"
        return extra_index_text(" ".join((self.title, self.standfirst, self.body_text)), code)

    @property
    def description(self):
        return self.search_description or self.standfirst or self.first_paragraph

    @cached_property
    def reading_minutes(self):
        # About 230 words a minute for the magazine's prose; at least one minute. A preview's body
        # is counted as it stands; a card, whose body is deferred, reads the stored count.
        words = self.word_count if "body" not in self.__dict__ else len(self.body_text.split())
        return max(1, round(words / 230))

    @property
    def shows_updated(self):
        return self.updated is not None and self.updated.date() > self.date.date()

    @cached_property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def get_context(self, request, *args, **kwargs):
        from .queries import related_articles

        from django.utils.functional import SimpleLazyObject

        context = super().get_context(request, *args, **kwargs)
        # Lazy: only read when the related-articles fragment is not in the cache.
        context["related"] = SimpleLazyObject(lambda: related_articles(self))
        # Shared by every paragraph so a footnote cited twice gets two distinct ids.
        context["footnote_registry"] = {}
        return context

    # A save that touches none of these leaves the article's place in its lists alone.
    LISTED_FIELDS = frozenset({"live", "date", "path", "locale", "article_authors", "tagged_items", "tags"})

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if "body" in self.__dict__ and (fields is None or "body" in fields):
            for stale in ("_body_facts", "body_text", "first_paragraph", "reading_minutes"):
                self.__dict__.pop(stale, None)
            self.opening = self.first_paragraph
            self.word_count = len(self.body_text.split())
            if fields is not None:
                kwargs["update_fields"] = fields = {*fields, "word_count", "opening"}
        # After super().save(): its bylines and tags are stored by then (modelcluster commits them
        # after the page's own row).
        result = super().save(*args, **kwargs)
        if fields is None or self.LISTED_FIELDS.intersection(fields):
            from .listings import refresh

            refresh([self.pk])
        return result

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Read by the view counter, which sits outside the page cache, so cached hits count too.
        response["X-Communique-Page"] = str(self.pk)
        return response


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, related_name="article_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, related_name="article_links", on_delete=models.CASCADE)

    panels = [FieldPanel("author")]


class HomeFeatured(Orderable):
    page = ParentalKey(HomePage, related_name="featured_links", on_delete=models.CASCADE)
    article = models.ForeignKey("magazine.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("article", "magazine.ArticlePage")]


class HomeSectionGrid(Orderable):
    page = ParentalKey(HomePage, related_name="section_grids", on_delete=models.CASCADE)
    section = models.ForeignKey("magazine.SectionPage", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=4, help_text="How many stories (1 to 12).")

    panels = [PageChooserPanel("section", "magazine.SectionPage"), FieldPanel("count")]

    def clean(self):
        from django.core.exceptions import ValidationError

        if not 1 <= (self.count or 0) <= 12:
            raise ValidationError({"count": "Between 1 and 12 stories."})


@register_setting(icon="list-ul")
class Navigation(ClusterableModel, BaseSiteSetting):
    """The main menu. Empty: the sections, the print issues and search, in tree order."""

    panels = [InlinePanel("menu_items", label="Menu items")]

    class Meta:
        verbose_name = "navigation menu"


class MenuItem(Orderable):
    navigation = ParentalKey(Navigation, related_name="menu_items", on_delete=models.CASCADE)
    label = models.CharField(max_length=60, blank=True, help_text="Empty: the page's title.")
    link_page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    link_url = models.CharField("or address", max_length=300, blank=True, help_text="e.g. /publish/ or https://…")

    panels = [FieldPanel("label"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError("Choose a page or type an address (one of the two).")


class ContentPageTag(TaggedItemBase):
    content_object = ParentalKey("magazine.ContentPage", related_name="tagged_items", on_delete=models.CASCADE)


class ContentPage(Page):
    """A page that is not an article: "About us", "Contact", "Masthead", a policy. It sits under
    home or under another content page (an imported WordPress page keeps its parent), has no
    byline or section, and is not listed with the articles."""
    override_translatable_fields = SYNCHRONISED

    body = StreamField(ArticleBodyBlock(), blank=True)
    updated = models.DateTimeField("last updated", null=True, blank=True)
    # Kept for editors and search (an imported WordPress page's tags and categories); tag pages list
    # articles only.
    tags = ClusterTaggableManager(through=ContentPageTag, blank=True)

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("updated"), FieldPanel("tags")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["magazine.HomePage", "magazine.ContentPage"]
    subpage_types = ["magazine.ContentPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["footnote_registry"] = {}  # the body's paragraph blocks number footnotes through it
        return context


class IssueIndexPage(Page):
    """The print magazine's archive of issues."""
    override_translatable_fields = SYNCHRONISED
    objects = reader_page_manager()  # public() without a query per list (magazine.queries)

    intro = models.CharField(max_length=255, blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["magazine.HomePage"]
    subpage_types = ["magazine.PrintIssuePage"]

    def issues(self):
        return PrintIssuePage.objects.child_of(self).live().order_by("-issue_date")


class PrintIssuePage(Page):
    override_translatable_fields = SYNCHRONISED
    objects = reader_page_manager()  # public() without a query per list (magazine.queries)

    volume = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    issue_date = models.DateField()
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editorial = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("volume"),
        FieldPanel("number"),
        FieldPanel("issue_date"),
        FieldPanel("cover_image"),
        FieldPanel("editorial"),
        InlinePanel("issue_articles", label="Articles, in print order"),
    ]
    parent_page_types = ["magazine.IssueIndexPage"]
    subpage_types = []

    def articles(self):
        # Only live, unrestricted articles: this list feeds the public issue page and the issue's
        # EPUB/PDF, which readers download, so a draft or private article must not appear in it.
        links = list(self.issue_articles.select_related("article"))
        readable = set(
            ArticlePage.objects.live().public().filter(pk__in=[link.article_id for link in links]).values_list("pk", flat=True)
        )
        return [link.article for link in links if link.article_id in readable]


class IssueArticle(Orderable):
    issue = ParentalKey(PrintIssuePage, related_name="issue_articles", on_delete=models.CASCADE)
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="issue_links")

    panels = [FieldPanel("article")]


from .popularity.models import *  # noqa


from .listings import ListingEntry  # noqa: E402,F401  (the model lives beside its upkeep)
from .search_vectors import ArticleVector  # noqa: E402,F401  (PostgreSQL's copy for the search walk)
