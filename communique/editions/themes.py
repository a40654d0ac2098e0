"""Interior themes an author picks (manuscript front matter `theme: elegant`), after Vellum's and
Atticus's styles: how a chapter opens (heading, label, its first line or letter) and how a scene
break looks. A theme is presentation only: the PDF and EPUB writers take it as the `theme`
option and add its CSS after their own, so the document and its transforms never see it.

Every theme keeps the first paragraph of a chapter, and the one after a section heading or a
scene break, flush (no indent), as book typography has it; the stylesheets' own rules do that and
a theme does not undo them.

Drop caps and small-caps first lines need letters with case: in Devanagari, CJK and Arabic-script
books the opening is plain (a drop cap there is not a convention, and a float would break the
shaping of a joined script)."""
from __future__ import annotations

from dataclasses import dataclass

from communique.documents.languages import get as get_language

CASED_SCRIPTS = {"Latn", "Cyrl", "Grek"}


@dataclass(frozen=True)
class Theme:
    name: str
    title: str
    description: str
    heading_align: str  # "center" | "start"
    heading: str  # CSS declarations for a chapter's title
    label: str  # CSS declarations for "Chapter 3" above it
    opening: str  # "small-caps" (first line) | "drop-cap" (first letter) | "none"
    ornament: str  # what a scene break shows; "" draws a short rule
    rule_under_heading: bool = False


THEMES: dict[str, Theme] = {t.name: t for t in (
    Theme("classic", "Classic", "Centred headings, the first line of each chapter in small caps, * * * between scenes.",
          "center", "font-weight: normal; font-size: 1.7em;",
          "font-size: 0.85em; letter-spacing: 0.1em; text-transform: uppercase;",
          "small-caps", "* * *"),
    Theme("modern", "Modern", "Headings set left in bold over a short rule, no ornaments, a plain rule between scenes.",
          "start", "font-weight: bold; font-size: 1.5em; letter-spacing: -0.01em;",
          "font-size: 0.8em; font-weight: bold; letter-spacing: 0.14em; text-transform: uppercase;",
          "none", "", rule_under_heading=True),
    Theme("elegant", "Elegant", "Large italic headings, a three-line drop cap opening each chapter, ⁂ between scenes.",
          "center", "font-weight: normal; font-style: italic; font-size: 2em;",
          "font-size: 0.9em; font-variant: small-caps; letter-spacing: 0.08em;",
          "drop-cap", "⁂"),
)}
DEFAULT = "classic"


class UnknownTheme(ValueError):
    pass


def get(name: str | None) -> Theme:
    key = (name or DEFAULT).strip().lower()
    try:
        return THEMES[key]
    except KeyError:
        raise UnknownTheme(f"no interior theme {name!r}; choose one of: {', '.join(THEMES)}") from None


def _opening(theme: Theme, language: str, first_paragraphs: str, initial: bool = False) -> str:
    """CSS for a chapter's first paragraph. With `initial`, the writer has put the paragraph's
    first letter in span.initial (WeasyPrint lays a floated ::first-letter over the first line
    instead of wrapping the line round it; a floated element it wraps properly)."""
    if get_language(language or "en").script not in CASED_SCRIPTS:
        return ""
    if theme.opening == "small-caps":
        return (",\n".join(f"{s}::first-line" for s in first_paragraphs.split(", "))
                + " { font-variant: small-caps; letter-spacing: 0.03em; }\n")
    if theme.opening == "drop-cap":
        selectors = first_paragraphs.split(", ")
        # What follows a first paragraph shorter than the cap starts below the cap, not beside it.
        letters = [f"{s} > span.initial:first-child" if initial else f"{s}::first-letter" for s in selectors]
        return (",\n".join(letters)
                + " { float: left; font-size: 3.3em; line-height: 0.85; margin: 0.06em 0.08em 0 0; }\n"
                + ", ".join(f"{s} ~ *" for s in selectors) + " { clear: left; }\n")
    return ""


def _ornament(theme: Theme, rule: str) -> str:
    if theme.ornament:
        return (f'{rule} {{ border: 0; text-align: center; margin: 0.9em auto; }}\n'
                f'{rule}::after {{ content: "{theme.ornament}"; letter-spacing: 0.2em; }}\n')
    return (f"{rule} {{ border: 0; border-top: 0.6pt solid #555; width: 18%; margin: 1em auto; }}\n"
            f'{rule}::after {{ content: none; }}\n')


def pdf_css(theme: Theme, language: str) -> str:
    """For a print book (editions/pdf/stylesheets/book.css's structure)."""
    align = "center" if theme.heading_align == "center" else "start"
    head = "section.chapter > header"
    out = [f"{head} {{ text-align: {align}; }}",
           f"{head} h1 {{ {theme.heading} }}",
           f"{head} .label {{ {theme.label} }}"]
    if theme.rule_under_heading:
        out.append(f"{head} h1::after {{ content: ''; display: block; width: 2.2em; margin-top: 0.35em; "
                   "border-bottom: 1.2pt solid black; }")
        if align == "center":
            out.append(f"{head} h1::after {{ margin-left: auto; margin-right: auto; }}")
    out.append(_opening(theme, language, f"{head} + p", initial=True))
    out.append(_ornament(theme, "hr"))
    return "\n".join(x for x in out if x)


def epub_css(theme: Theme, language: str) -> str:
    """For an EPUB (editions/epub/package.py's stylesheet): chapters are sections with the
    doc-chapter role, their title an h1, or a header holding the label and the h1."""
    align = "center" if theme.heading_align == "center" else "left"
    chapter = 'section[role="doc-chapter"]'
    headings = f"{chapter} > h1, {chapter} > header h1"
    out = [f"{headings} {{ text-align: {align}; {theme.heading} }}",
           f"{chapter} .section-label {{ text-align: {align}; {theme.label} }}"]
    if theme.rule_under_heading:
        out.append(f"{headings} {{ border-bottom: 1px solid #000; padding-bottom: 0.3em; }}")
    out.append(_opening(theme, language, f"{chapter} > h1 + p, {chapter} > header + p"))
    out.append(_ornament(theme, "hr.break"))
    return "\n".join(x for x in out if x)
