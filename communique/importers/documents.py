"""`communique import markdown|docx FILE`: one article through the document readers
(communique.documents.readers) and to_wagtail.save_document."""
from __future__ import annotations

import importlib
import tempfile
import zipfile
from pathlib import Path

from communique.documents import model as dm

from .base import ImportFailed, ImportSession, decode_text, read_bytes

MAX_DOCX_UNPACKED = 300_000_000  # an article with its images; a zip bomb is far larger


def check_markdown(path: Path, warn) -> tuple[dict, str | None]:
    """Checks the bytes and the encoding; the front matter is parsed once, by the reader
    (communique.documents.frontmatter). Returns {} and, for a file that is not UTF-8, its decoded text."""
    data = read_bytes(path, "markdown")
    text = decode_text(data, path.name, "markdown", warn)
    try:
        data.decode("utf-8")
        fallback = None
    except UnicodeDecodeError:
        fallback = text
    return {}, fallback


def front_matter_failure(path: Path, exc) -> ImportFailed:
    if exc.unclosed:
        return ImportFailed(f"markdown: '{path.name}' has front matter that is never closed (no second '---' line)")
    at = f" at line {exc.line}" if exc.line else ""
    return ImportFailed(f"markdown: '{path.name}' has broken front matter{at}: it {exc.problem}")


def check_docx(path: Path) -> None:
    read_bytes(path, "docx")
    if not zipfile.is_zipfile(path):
        raise ImportFailed(f"docx: '{path.name}' is not a DOCX file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_DOCX_UNPACKED:
                raise ImportFailed(
                    f"docx: '{path.name}' would unpack to {unpacked // 1_000_000} MB "
                    f"(limit {MAX_DOCX_UNPACKED // 1_000_000} MB); refusing it as a possible zip bomb"
                )
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(f"docx: '{path.name}' is a damaged zip archive: {exc}") from exc
    if bad:
        raise ImportFailed(f"docx: '{path.name}' is damaged (entry '{bad}' fails its checksum)")
    if "word/document.xml" not in names:
        raise ImportFailed(f"docx: '{path.name}' is not a DOCX file (a zip without word/document.xml)")


def _reader(kind: str):
    module = f"communique.documents.readers.{kind}"
    try:
        mod = importlib.import_module(module)
        return getattr(mod, f"read_{kind}")
    except (ImportError, AttributeError) as exc:
        raise ImportFailed(f"{kind}: the {kind} reader ({module}.read_{kind}) is not available: {exc}") from exc


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.append(v.get("name", "") if isinstance(v, dict) else str(v))
        return [v.strip() for v in out if v.strip()]
    return [str(value)]


def apply_front_matter(doc: dm.Document, fm: dict) -> None:
    """Fill what the reader left empty from the front matter (title, section, authors, date, tags,
    standfirst) so the article does not depend on how much of it the reader maps."""
    if fm.get("title") and not doc.meta.title:
        doc.meta.title = str(fm["title"])
    if fm.get("standfirst") and not doc.meta.description:
        doc.meta.description = str(fm["standfirst"]).strip()
    if fm.get("date") and not doc.meta.date:
        doc.meta.date = str(fm["date"])
    tags = _as_list(fm.get("tags"))
    if tags and not doc.meta.subjects:
        doc.meta.subjects = tags
    names = _as_list(fm.get("authors") or fm.get("author"))
    if names and not doc.meta.authors and not any(d.contributors for d in doc.walk_divisions()):
        doc.meta.contributors.extend(dm.Contributor(n) for n in names)
    if fm.get("section") and not any(d.section_label for d in doc.walk_divisions()):
        if not doc.divisions:
            doc.divisions.append(dm.Division(kind="article", title=doc.meta.title))
        doc.divisions[0].section_label = str(fm["section"])


def import_document_file(kind: str, path: Path, session: ImportSession, *, section: str = "", home=None):
    from .to_wagtail import save_document

    path = Path(path)
    fm, text = {}, None
    if kind == "markdown":
        fm, text = check_markdown(path, session.warn)
    elif kind == "docx":
        check_docx(path)
    else:
        raise ImportFailed(f"unknown document kind {kind!r}")
    from communique.documents.frontmatter import FrontMatterError
    from communique.documents.readers import ReaderError, read

    # DOCX images are unpacked here and copied into storage by save_document; then they go.
    with tempfile.TemporaryDirectory(prefix=f"communique-import-{kind}-") as work:
        try:
            if kind == "docx":
                doc = read(path, "docx", work_dir=work)
            else:
                doc = read(text, "markdown", base_dir=path.parent) if text is not None else read(path, "markdown")
        except FrontMatterError as exc:
            raise front_matter_failure(path, exc) from exc
        except ReaderError as exc:
            raise ImportFailed(f"{kind}: {exc}") from exc
        except Exception as exc:
            raise ImportFailed(f"{kind}: '{path.name}' could not be read: {exc.__class__.__name__}: {exc}") from exc
        apply_front_matter(doc, doc.front_matter or fm)
        if not doc.meta.title:
            raise ImportFailed(f"{kind}: '{path.name}' has no title (front matter 'title' or a first heading)")
        if not any(d.blocks for d in doc.walk_divisions()):
            raise ImportFailed(f"{kind}: '{path.name}' has no text")
        section = section or _default_section(kind, path, doc, session)
        return save_document(
            doc, session, section_name=section, source=kind, key=str(path.resolve()), home=home, kind=kind,
        )


def _default_section(kind: str, path: Path, doc: dm.Document, session: ImportSession) -> str:
    """Without --section: the section the document names (DOCX Category or Subject property, the
    Markdown front matter's `section`), else the magazine's default section, said out loud."""
    from django.conf import settings

    from .to_wagtail import document_section

    named = doc.meta.category or document_section(doc)
    if named:
        return named
    default = getattr(settings, "COMMUNIQUE_IMPORT_SECTION", "News")
    session.warn(f"{kind}: '{path.name}' names no section (no --section, no Category or Subject property); "
                 f"filed under '{default}'")
    return default
