"""One source of truth for a book's details (issue 12, defect 9).

The kit used to take ISBNs, series and date from the manuscript while the book page said "none",
and the form's defaults (paper, price, the owner as sole author) silently beat what the
manuscript said. Now, when a manuscript is imported, what it says is written into the Book row
wherever the author has not chosen otherwise (an empty field, or one still at the form's
default), and every case where the author's value wins is listed in the import report. The kit
is built from the Book row, so the book page shows what the kit will use.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

# Book fields a manuscript may supply, in the order the report lists them.
FIELDS = ("subtitle", "series", "series_number", "edition", "publisher", "publication_date", "isbn_ebook",
          "isbn_paperback", "language", "trim", "paper", "bleed", "price_usd", "paperback_price_usd",
          "reading_age_min", "reading_age_max", "keywords", "categories", "description", "rights",
          "dedication", "foreword", "acknowledgements", "about_the_author")
MATTER = ("dedication", "foreword", "acknowledgements", "about_the_author")

# Every front-matter key the readers or the kit use; anything else is reported as ignored.
KNOWN_KEYS = {
    "title", "subtitle", "series", "series_number", "series-number", "edition", "edition_number", "contributors",
    "author", "authors", "creator", "editor", "translator", "illustrator", "description", "description_html",
    "abstract", "keywords", "subjects", "subject", "categories", "language", "lang", "reading_age_min",
    "reading_age_max", "publication_date", "date", "modified", "publisher", "isbn", "isbn_ebook", "isbn_paperback",
    "uuid", "identifier", "public_domain", "publishing_rights", "own_copyright", "rights", "copyright", "trim",
    "paper", "bleed", "price", "price_usd", "paperback_price_usd", "primary_marketplace", "kdp_select",
    "cover_finish", "low_content", "sexually_explicit", "ai_content", "primary_audience", "cover", "cover-image",
    "cover_image", "accessibility_summary", "ebook_prices", "paperback_prices", "accessibility-summary", *MATTER,
    # read by the matter transform (documents/transforms/matter.py) and the interior themes
    "epigraph", "epigraph_source", "also_by", "theme",
}

LABELS = {"series_number": "series number", "publication_date": "publication date", "isbn_ebook": "eBook ISBN",
          "isbn_paperback": "paperback ISBN", "price_usd": "eBook price (USD)",
          "paperback_price_usd": "paperback price (USD)", "reading_age_min": "minimum reading age",
          "reading_age_max": "maximum reading age", "about_the_author": "about the author"}


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def ignored_keys(front_matter: dict) -> list[str]:
    return sorted(str(k) for k in (front_matter or {}) if str(k) not in KNOWN_KEYS)


def manuscript_values(document, front_matter: dict) -> tuple[dict, list[str]]:
    """What the manuscript says for each Book field, as JSON (run at import, in the reader's
    child process). Returns (values, problems); a value the kit would refuse is a problem."""
    from communique.kdp.kit import KitError, metadata_for

    problems = []
    try:
        md = metadata_for(document, front_matter or {}, {})
    except KitError as exc:
        return {}, [str(exc)]
    except Exception as exc:  # noqa: BLE001 - metadata the kit cannot read is reported, not fatal here
        return {}, [f"the front matter's book details could not be read ({type(exc).__name__})"]
    fm = front_matter or {}
    values = {}
    for field in FIELDS:
        if field in MATTER:
            value = fm.get(field)
        elif field == "rights":
            value = fm.get("rights") or fm.get("copyright")
        elif field == "description":
            value = md.description_html
        elif field == "trim":
            trim = md.trim
            value = f"{float(trim.width):g}x{float(trim.height):g}" if trim is not None and field in fm else None
        elif field in ("paper", "bleed", "language") and field not in fm and not (field == "language" and (
                fm.get("lang") or document.meta.language not in ("", "en"))):
            value = None  # the kit's own defaults are not the manuscript speaking
        else:
            value = getattr(md, field, None)
        if value in (None, "", [], {}):
            continue
        values[field] = value if isinstance(value, (str, int, bool, list)) else str(value)
    if md.contributors and (fm.get("contributors") or fm.get("author") or fm.get("authors")
                            or document.meta.contributors):
        values["contributors"] = [{"name": c.name, "role": str(c.role or "author").lower()} for c in md.contributors]
    return values, problems


def _default(field):
    from .models import Book

    f = Book._meta.get_field(field)
    return f.get_default() if f.has_default() else None


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except Exception:  # noqa: BLE001
            return False
    return str(a) == str(b) if not isinstance(a, list) else list(a) == list(b)


def merge_into_book(book, values: dict) -> list[dict]:
    """Write the manuscript's values into `book` where the author has not chosen otherwise;
    returns one note per field: filled from the manuscript, or kept (the book's value wins)."""
    from .models import Book, BookContributor

    notes, changed = [], []
    for field in FIELDS:
        if field not in values:
            continue
        mv = values[field]
        bv = getattr(book, field)
        model_field = Book._meta.get_field(field)
        try:
            clean = model_field.clean(mv, book)
        except ValidationError as exc:
            notes.append({"field": label(field), "action": "refused", "manuscript": str(mv),
                          "why": " ".join(exc.messages)})
            continue
        if bv in (None, "", []) or (_same(bv, _default(field)) and not _same(bv, clean)):
            if not _same(bv, clean):
                setattr(book, field, clean)
                changed.append(field)
                notes.append({"field": label(field), "action": "filled", "manuscript": str(clean),
                              "book": "" if bv in (None, "", []) else str(bv)})
        elif not _same(bv, clean):
            notes.append({"field": label(field), "action": "kept", "manuscript": str(clean), "book": str(bv)})
    if changed:
        book.save(update_fields=[*changed, "updated_at"])
    people = values.get("contributors") or []
    if people:
        existing = [(c.name, c.role) for c in book.contributors.all()]
        wanted = [(p["name"][:200], p["role"] if p["role"] in dict(BookContributor.ROLE_CHOICES) else "author")
                  for p in people]
        if not existing:
            for n, (name, role) in enumerate(wanted):
                BookContributor.objects.create(book=book, name=name, role=role, position=n)
            notes.append({"field": "contributors", "action": "filled",
                          "manuscript": ", ".join(name for name, _ in wanted), "book": ""})
        elif existing != wanted:
            notes.append({"field": "contributors", "action": "kept",
                          "manuscript": ", ".join(name for name, _ in wanted),
                          "book": ", ".join(name for name, _ in existing)})
    return notes
