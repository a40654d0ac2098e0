"""Merging a book's metadata: manuscript front matter, the document's own metadata and the
portal's or CLI's overrides become one BookMetadata; BookMetadata goes back onto a Document for
each format (one ISBN per format). The conversions at the edges of the one metadata shape."""
from __future__ import annotations

import copy
import dataclasses
from typing import Any

from communique.documents import model as dm

from .kit_layout import KitError
from .metadata import BookMetadata, MetadataError


def metadata_for(document: dm.Document, front_matter: dict | None = None,
                 overrides: dict | None = None) -> BookMetadata:
    """Front matter supplies the defaults, the document's own metadata fills gaps, and
    `overrides` (CLI flags, the portal's Book form) win."""
    data: dict[str, Any] = {}
    meta = document.meta
    data["title"] = meta.title
    if meta.subtitle:
        data["subtitle"] = meta.subtitle
    if meta.contributors:
        data["contributors"] = [{"name": c.name, "role": c.role} for c in meta.contributors]
    for key, value in (("language", meta.language), ("publisher", meta.publisher),
                       ("description", meta.description), ("series", meta.series),
                       ("series_number", meta.series_number), ("edition", meta.edition)):
        if value:
            data[key] = value
    if meta.date:
        data["publication_date"] = str(meta.date)[:10]
    data.update({k: v for k, v in (front_matter or {}).items() if v not in (None, "")})
    if "author" in data and "contributors" in data:
        data.pop("author")  # the contributor list already names the author, in order
    data.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    try:
        return BookMetadata.from_front_matter(data)
    except MetadataError as exc:
        raise KitError(f"Metadata: {exc}") from None


def apply_metadata(document: dm.Document, md: BookMetadata, *, isbn: str | None, rights: str = "") -> dm.Document:
    """A shallow copy of the document whose metadata is the kit's (one ISBN per format)."""
    doc = copy.copy(document)
    identifiers = dict(document.meta.identifiers)
    identifiers.pop("isbn", None)
    if isbn:
        identifiers["isbn"] = isbn
    doc.meta = dataclasses.replace(
        document.meta,
        title=md.title,
        subtitle=md.subtitle,
        contributors=[dm.Contributor(name=c.name, role=c.role.lower()) for c in md.contributors]
        or document.meta.contributors,
        language=md.language,
        identifiers=identifiers,
        publisher=md.publisher or document.meta.publisher,
        date=md.publication_date.isoformat() if md.publication_date else document.meta.date,
        rights=rights or document.meta.rights,
        subjects=list(md.categories) or document.meta.subjects,
        description=md.description_html or document.meta.description,
        series=md.series,
        series_number=str(md.series_number or ""),
        edition=str(md.edition or ""),
    )
    return doc


def add_matter(document: dm.Document, matter: dict[str, str]) -> dm.Document:
    """The portal's front and back matter texts on a document: the document engine's matter
    transform (communique.documents.transforms.matter), the one place matter is made."""
    from communique.documents import transforms

    return transforms.run(document, ["matter"], {"matter": {"texts": dict(matter or {})}})
