"""What lists and descriptions need of an article's body, read from its stored JSON blocks.

ArticlePage keeps the word count and the opening paragraph in columns of its own (set on every
save; migration 0013 filled them for articles saved before), so that a list of cards defers the
body. Reading the raw blocks rather than the StreamValue skips building every block's value."""
import re

from django.utils.html import strip_tags

_SPACE = re.compile(r"\s+")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]")


def body_facts(raw_blocks):
    """(plain text of the paragraphs and headings, the first non-empty paragraph as plain text
    without footnote markers) of a body given as its raw blocks ({"type", "value"} dicts)."""
    parts, opening = [], ""
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            text = strip_tags(value)
            parts.append(text)
            if not opening:
                opening = _FOOTNOTE_MARK.sub("", _SPACE.sub(" ", text).strip())
        elif kind == "heading" and isinstance(value, dict):
            parts.append(str(value.get("text") or ""))
    return _SPACE.sub(" ", " ".join(parts)).strip(), opening


def refill(article_model, batch=1000, connection=None):
    """Set every article's stored word count and opening from its body (migration 0013, and
    bulk loads that bypass ArticlePage.save); `article_model` may be a migration's historical one.
    Plain SQL over the stored JSON: building each body's StreamValue and Django's bulk_update
    made 100,000 articles take minutes."""
    import json

    if connection is None:
        from django.db import connection

    meta = article_model._meta
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as reader, connection.cursor() as writer:
        reader.execute(f"SELECT {pk}, body FROM {table} ORDER BY {pk}")
        while rows := reader.fetchmany(batch):
            updates = []
            for key, body in rows:
                blocks = json.loads(body) if isinstance(body, (str, bytes)) else body
                text, opening = body_facts(blocks if isinstance(blocks, list) else [])
                updates.append((len(text.split()), opening, key))
            writer.executemany(f"UPDATE {table} SET word_count = %s, opening = %s WHERE {pk} = %s", updates)
