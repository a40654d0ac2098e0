"""Readers turn a source (Markdown, DOCX, an HTML page, scraped text, a WXR item, Wagtail pages)
into one Document. `read(source)` (readers/registry.py) recognises the source by its content and
picks the reader; use it rather than a reader function chosen by file name.

Each reader module imports its own third-party parser, so importing this package stays cheap."""
from __future__ import annotations


class ReaderError(Exception):
    """A source could not be read; the message names the file and the problem."""


def read_markdown(path_or_text, base_dir=None):
    from .markdown import read_markdown as _read

    return _read(path_or_text, base_dir=base_dir)


def read_docx(path):
    from .docx import read_docx as _read

    return _read(path)


def read_article(article_page):
    from .wagtail import read_article as _read

    return _read(article_page)


def read_issue(print_issue_page):
    from .wagtail import read_issue as _read

    return _read(print_issue_page)


def read(source, kind=None, **options):
    """Any source → Document, its reader chosen by content (see readers/registry.py)."""
    from .registry import read as _read

    return _read(source, kind, **options)


def detect(source) -> str:
    from .registry import detect as _detect

    return _detect(source)
