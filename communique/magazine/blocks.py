"""The article body: the one structured form every writer (web, EPUB, PDF, KDP, translation) reads."""
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2")

    class Meta:
        icon = "title"
        template = "magazine/blocks/heading.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "magazine/blocks/pull_quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False, max_length=140, help_text="Describe the image for readers who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=400)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "magazine/blocks/image.html"


class EmbedBlock(blocks.StructBlock):
    """A link card, not an iframe: readers' pages make no third-party requests."""

    url = blocks.URLBlock()
    title = blocks.CharBlock(max_length=255)
    provider = blocks.CharBlock(required=False, max_length=80)
    caption = blocks.CharBlock(required=False, max_length=400)

    class Meta:
        icon = "media"
        template = "magazine/blocks/embed.html"


class FootnoteBlock(blocks.StructBlock):
    """Referenced in the text as [^label]."""

    label = blocks.CharBlock(max_length=20, help_text="Referenced in paragraphs as [^label].")
    text = blocks.RichTextBlock(features=INLINE_FEATURES)


class FootnotesBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(FootnoteBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        template = "magazine/blocks/footnotes.html"


class TranslatableTableBlock(TableBlock):
    """A TableBlock whose caption and non-empty cells are translatable strings: wagtail-localize
    skips block types it does not know, which left tables in the source language. Each cell is one
    plain-text segment addressed by its row and column, so a translation comes back to its cell."""

    def get_translatable_segments(self, value):
        from wagtail_localize.segments import StringSegmentValue

        if not value:
            return []
        out = []
        if (value.get("table_caption") or "").strip():
            out.append(StringSegmentValue("table_caption", value["table_caption"]))
        for r, row in enumerate(value.get("data") or []):
            for c, cell in enumerate(row or []):
                if isinstance(cell, str) and cell.strip():
                    out.append(StringSegmentValue(f"data.{r}.{c}", cell))
        return out

    def restore_translated_segments(self, value, segments):
        import copy

        value = copy.deepcopy(value) if value else {}
        for segment in segments:
            text = segment.render_text()
            if segment.path == "table_caption":
                value["table_caption"] = text
                continue
            kind, r, c = segment.path.split(".")
            if kind == "data":
                value["data"][int(r)][int(c)] = text
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=INLINE_FEATURES + ["ol", "ul"], template="magazine/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    pull_quote = PullQuoteBlock()
    image = ImageBlock()
    table = TranslatableTableBlock(template="magazine/blocks/table.html")
    embed = EmbedBlock()
    footnotes = FootnotesBlock()
