"""One document holding every node type of the model, each with its own marker word, for the
golden tests of every writer (EPUB, PDF, DOCX, HTML, Wagtail): a writer that drops a node loses
its word, and the test says which."""
from __future__ import annotations

from pathlib import Path

from communique.documents import model as dm

LONG_LABEL = "a-very-long-footnote-label-beyond-twenty"

# marker word → the node type that carries it
MARKERS = {
    "Emphasised": "Emph", "Strongword": "Strong", "Superword": "Superscript", "Subword": "Subscript",
    "Struckword": "Strikeout", "Smallcapsword": "SmallCaps", "Citedtitle": "Cite", "codeword": "Code",
    "Weblinkword": "Link", "Mailword": "Link", "Phoneword": "Link", "Relativeword": "Link",
    "Internalword": "Link", "Headingword": "Heading", "Quotedword": "BlockQuote", "Pullword": "PullQuote",
    "Captionword": "Image", "Cellword": "Table", "Headerword": "Table", "Bulletword": "ListBlock",
    "Numberword": "ListBlock", "Nestedword": "ListBlock", "codeblockword": "CodeBlock", "Afterbreak": "ThematicBreak",
    "Shortnoteword": "NoteRef", "Longnoteword": "NoteRef", "Linebreakafter": "LineBreak",
}


def png(path: Path, size=(120, 80)) -> Path:
    from PIL import Image as PILImage

    PILImage.new("RGB", size, (30, 90, 160)).save(path, "PNG")
    return path


def every_node_document(directory: Path) -> dm.Document:
    T = dm.Text
    image = png(Path(directory) / "figure.png")
    meta = dm.Metadata(title="Every Node", subtitle="A golden book", language="en",
                       contributors=[dm.Contributor("Amina Khan")], publisher="Communiqué", date="2024-05-06",
                       identifiers={"uuid": "7d2d9a3e-4f55-4a6b-9c55-3c9b1a2b3c4d"})
    intro = dm.Paragraph([
        T("Plain "), dm.Emph([T("Emphasised")]), T(" "), dm.Strong([T("Strongword")]), T(" x"),
        dm.Superscript([T("Superword")]), T(" H"), dm.Subscript([T("Subword")]), T(" "),
        dm.Strikeout([T("Struckword")]), T(" "), dm.SmallCaps([T("Smallcapsword")]), T(" "),
        dm.Cite([T("Citedtitle")]), T(" "), dm.Code("codeword"), T("."),
        dm.NoteRef("n1"), T(" More"), dm.NoteRef(LONG_LABEL), T(" text."), dm.LineBreak(), T("Linebreakafter"),
    ])
    links = dm.Paragraph([
        dm.Link("https://example.org/page", [T("Weblinkword")]), T(", "),
        dm.Link("mailto:desk@example.org", [T("Mailword")]), T(", "),
        dm.Link("tel:+924212345678", [T("Phoneword")]), T(", "),
        dm.Link("../archive/2023.html", [T("Relativeword")]), T(", "),
        dm.Link("#findings", [T("Internalword")]), T("."),
    ])
    table = dm.Table(rows=[[dm.TableCell([T("Headerword")], header=True), dm.TableCell([T("Count")], header=True)],
                           [dm.TableCell([T("Cellword")]), dm.TableCell([T("3")])]], caption="Tablecaption")
    lists = [
        dm.ListBlock(False, [[dm.Paragraph([T("Bulletword one")])],
                             [dm.Paragraph([T("Bullet two")]),
                              dm.ListBlock(False, [[dm.Paragraph([T("Nestedword")])]])]]),
        dm.ListBlock(True, [[dm.Paragraph([T("Numberword first")])], [dm.Paragraph([T("Second")])]]),
    ]
    chapter = dm.Division(kind="chapter", title="Chapter One", id="chapter-one", blocks=[
        intro, links,
        dm.Heading(1, [T("Headingword findings")], id="findings"),
        dm.BlockQuote([dm.Paragraph([T("Quotedword in a quotation.")])]),
        dm.PullQuote("Pullword says it all.", "An envoy"),
        dm.Image(image, alt="A blue rectangle", caption="Captionword", credit="Photo: Desk"),
        table, *lists,
        dm.CodeBlock("codeblockword = 1\nsecond line"),
        dm.ThematicBreak(),
        dm.Paragraph([T("Afterbreak paragraph.")]),
    ])
    notes = {"n1": [dm.Paragraph([T("Shortnoteword is a note.")])],
             LONG_LABEL: [dm.Paragraph([T("Longnoteword with a "), dm.Emph([T("long")]), T(" label.")])]}
    return dm.Document(meta=meta, divisions=[chapter], notes=notes)
