"""Books, their contributors, manuscripts and kit builds.

Every object an author can reach by URL is addressed by a random UUID (public_id), never by the
integer primary key, so ids cannot be counted up into somebody else's book."""
from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from communique.documents.languages import portal_languages
from communique.kdp import facts
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from . import validators as v


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT. They have no URL: the portal's permission-checked views stream
    them, so a template that asks for `.url` fails loudly instead of linking past the checks."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through the author portal's views.")


def private_storage():
    # A callable so tests (and deployments) that move PRIVATE_ROOT are honoured.
    return PrivateStorage(location=settings.PRIVATE_ROOT)


def _trim_choice(width, height):
    value = f"{width.normalize():f}x{height.normalize():f}"
    label = f"{width.normalize():f} × {height.normalize():f} in"
    return value, ("A4 (" + label + ")" if value == "8.27x11.69" else label)


# KDP's standard trims, from facts.py (every KDP figure lives there).
TRIM_CHOICES = [_trim_choice(w, h) for w, h in facts.STANDARD_TRIMS.value]
PAPER_CHOICES = [
    ("white", "Black ink on white paper"),
    ("cream", "Black ink on cream paper"),
    ("color", "Premium colour on white paper"),
]
# The magazine's languages plus the European set KDP supports; whether KDP supports a language
# for a format is decided by the preflight, which reports it, rather than hidden from the picker.
LANGUAGE_CHOICES = [(entry.code, entry.english_name) for entry in portal_languages()]
# Every currency a KDP store sells in, except the US dollar the rates are counted in.
EXCHANGE_CURRENCIES = [(c, c) for c in sorted(facts.EXCHANGE_RATES) if c != "USD"]


# The eBook price field's limits are KDP's widest USD band (35% plan, smallest file: facts.py).
_EBOOK_USD = facts.EBOOK_BANDS_35["USD"][0].value
# KDP's maximum paperback price outside Japan is a gap in the facts sheet (§3.1); this cap is
# Communiqué's own sanity limit on the form, not a KDP figure.
PAPERBACK_USD_CAP = Decimal("250")


def default_publisher() -> str:
    """The publication's own name from its settings (issue 12, defect 2), never the software's."""
    from communique.core.publication import publication_name

    return publication_name()


class BookQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides who sees which book; every portal view starts here."""
        if not user.is_authenticated:
            return self.none()
        if is_editor(user):
            return self
        return self.filter(owner=user)


def is_editor(user) -> bool:
    from communique.core.roles import is_editor as _is_editor  # the one definition of "editor"

    return _is_editor(user)


class Book(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="books")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=199, blank=True)
    series = models.CharField(max_length=200, blank=True)
    series_number = models.PositiveSmallIntegerField(null=True, blank=True)
    edition = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty for a first edition.")
    description = models.TextField(blank=True, help_text="KDP keeps only <p> <br> <b> <i> <em> <u> <h4>–<h6> <ul> <ol> <li>; "
                                   "everything else is removed. At most 4,000 characters, tags included.")
    keywords = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    reading_age_min = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(18)])
    reading_age_max = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(18)])
    publication_date = models.DateField(null=True, blank=True)
    publisher = models.CharField(max_length=200, blank=True, default=default_publisher)
    isbn_ebook = models.CharField("eBook ISBN", max_length=17, blank=True, validators=[v.validate_isbn13],
                                  help_text="Optional: Amazon gives every eBook an ASIN.")
    isbn_paperback = models.CharField("paperback ISBN", max_length=17, blank=True, validators=[v.validate_isbn13])
    public_domain = models.BooleanField(default=False, help_text="Public-domain works earn only the 35% eBook royalty.")
    rights = models.CharField(max_length=300, blank=True, help_text="Copyright line, e.g. “© 2026 Jane Doe”.")

    trim = models.CharField(max_length=12, choices=TRIM_CHOICES, default="6x9")
    paper = models.CharField(max_length=8, choices=PAPER_CHOICES, default="white")
    bleed = models.BooleanField(default=False)
    price_usd = models.DecimalField("eBook list price (USD)", max_digits=6, decimal_places=2, default=Decimal("4.99"),
                                    validators=[MinValueValidator(_EBOOK_USD.low), MaxValueValidator(_EBOOK_USD.high)])
    paperback_price_usd = models.DecimalField("paperback list price (USD)", max_digits=6, decimal_places=2,
                                              default=Decimal("12.99"),
                                              validators=[MinValueValidator(_EBOOK_USD.low), MaxValueValidator(PAPERBACK_USD_CAP)])

    # The author's own price for a store, in its currency: {"ebook": {"UK": "3.99"}, "paperback": {...}};
    # every store not named is converted from the USD price with the editors' exchange rates.
    price_overrides = models.JSONField(default=dict, blank=True)
    # A finished cover the kit uses instead of drawing one: a front-only JPEG/PNG, or a designer's
    # full-wrap PDF (books/covers.py checks it; the kit checks the wrap against the page count).
    finished_cover = models.FileField(upload_to="unused", storage=private_storage, max_length=300, blank=True)
    finished_cover_name = models.CharField(max_length=255, blank=True)
    finished_cover_kind = models.CharField(max_length=8, blank=True,
                                           choices=[("front", "Front cover image"), ("wrap", "Full-wrap PDF")])

    # Front and back matter the kit adds around the manuscript's chapters when the manuscript has none.
    dedication = models.TextField(blank=True)
    foreword = models.TextField(blank=True)
    about_the_author = models.TextField(blank=True)
    acknowledgements = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        try:
            v.validate_title_length(self.title, self.subtitle)
        except ValidationError as e:
            errors["subtitle"] = e.messages
        try:
            self.description = v.validate_description(self.description)
        except ValidationError as e:
            errors["description"] = e.messages
        self.keywords = v.split_list(self.keywords)
        self.categories = v.split_list(self.categories)
        for field, check in (("keywords", v.validate_keywords), ("categories", v.validate_categories)):
            try:
                check(getattr(self, field))
            except ValidationError as e:
                errors[field] = e.messages
        self.isbn_ebook = v.normalize_isbn(self.isbn_ebook)
        self.isbn_paperback = v.normalize_isbn(self.isbn_paperback)
        if self.isbn_ebook and self.isbn_ebook == self.isbn_paperback:
            errors["isbn_paperback"] = ["The eBook and the paperback need different ISBNs; KDP never lets two formats share one."]
        if self.reading_age_min and self.reading_age_max and self.reading_age_min > self.reading_age_max:
            errors["reading_age_max"] = ["The maximum reading age is below the minimum."]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Sanitise on every save, not just in forms, so the CLI and admin cannot store stray HTML.
        self.description = v.sanitize_description(self.description)
        super().save(*args, **kwargs)

    @property
    def full_title(self):
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    def approve(self, user):
        if not is_editor(user):
            raise PermissionError("Only editors approve books.")
        self.status = self.Status.APPROVED
        self.approved_by = user
        self.approved_at = timezone.now()
        self.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])

    @property
    def latest_manuscript(self):
        return self.manuscripts.filter(state=Manuscript.State.READY).order_by("-uploaded_at").first()

    @property
    def latest_build(self):
        return self.builds.order_by("-created_at").first()


class BookContributor(models.Model):
    ROLE_CHOICES = [
        ("author", "Author"), ("editor", "Editor"), ("foreword", "Foreword"), ("introduction", "Introduction"),
        ("preface", "Preface"), ("translator", "Translator"), ("illustrator", "Illustrator"),
        ("photographer", "Photographer"), ("narrator", "Narrator"),
    ]
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default="author")
    # Amazon shows contributors in the order entered.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


def manuscript_path(instance, filename):
    suffix = Path(filename).suffix.lower()
    return f"books/{instance.book.public_id}/manuscripts/{instance.public_id}{suffix}"


class Manuscript(models.Model):
    KIND_CHOICES = [("markdown", "Markdown"), ("docx", "Word (DOCX)")]
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="manuscripts")
    file = models.FileField(upload_to=manuscript_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # What came in (chapters, words, footnotes, images, tables) and what was dropped and why.
    report = models.JSONField(default=dict, blank=True)

    class State(models.TextChoices):
        # An upload is stored, then read by a background job (issue 8, break 4): only a
        # manuscript the reader accepted ("ready") can be built.
        PENDING = "pending", "Being read"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be read"

    state = models.CharField(max_length=8, choices=State.choices, default=State.READY)
    error = models.TextField(blank=True)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def path(self) -> Path:
        return Path(self.file.path)


class KitBuild(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="builds")
    manuscript = models.ForeignKey(Manuscript, on_delete=models.CASCADE, related_name="builds")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    # Relative to PRIVATE_ROOT; the kit folder is renamed into place only when complete.
    folder = models.CharField(max_length=300, blank=True)
    files = models.JSONField(default=list, blank=True)
    preflight_summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def state_label(self, job=None) -> str:
        """The word the kit page shows: while the job runs, the job's state wins over the row's
        (the row says "Queued" until the worker's first write; issue 12, defect 10)."""
        if job is not None and self.state in (self.State.QUEUED, self.State.RUNNING):
            if job.status == job.RUNNING or (job.progress and not job.done):
                return self.State.RUNNING.label
        return self.get_state_display()

    def job_visible_to(self, user) -> bool:
        """The build's job progress is for whoever may see the book, not only who pressed Build."""
        return Book.objects.visible_to(user).filter(pk=self.book_id).exists()

    def __str__(self):
        # Shown in the admin's job list (the job's target): the book, not "KitBuild object (1)".
        return f"Kit for “{self.book.title}” ({self.get_state_display().lower()})"

    @property
    def folder_path(self) -> Path | None:
        return Path(settings.PRIVATE_ROOT) / self.folder if self.folder else None


class ExchangeRate(models.Model):
    """Units of a currency per 1 US dollar, typed in by an editor with the date they are from.
    No rate is fetched from the network; a currency without a row uses the dated table in
    kdp/facts.py. The portal and every price report say how old the rates are."""

    currency = models.CharField(max_length=3, unique=True, choices=EXCHANGE_CURRENCIES)
    per_usd = models.DecimalField("units per 1 USD", max_digits=12, decimal_places=4,
                                  validators=[MinValueValidator(Decimal("0.0001"))])
    as_of = models.DateField("rate as of", help_text="The date the rate is from, not today's date if it is older.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency"]

    def __str__(self):
        return f"1 USD = {self.per_usd.normalize():f} {self.currency} (as of {self.as_of:%d %b %Y})"

    def clean(self):
        if self.as_of and self.as_of > timezone.localdate():
            raise ValidationError({"as_of": "A rate cannot be from the future."})


class AuthorInvitation(models.Model):
    """An editor's invitation to an author: a signed link, good once, until it expires."""

    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    nonce = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
