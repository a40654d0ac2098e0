"""The real DOCX files in ../shared/real-inputs/docx (mammoth, pandoc and python-docx fixtures,
see SOURCE.txt there) import without --section; lists in table cells survive; header rows are
found from Word's own signals."""
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

# shared/ sits beside the repository (here and in CI); /work/shared when run from a worktree.
REAL = Path(__file__).resolve().parents[4] / "shared" / "real-inputs" / "docx"
if not REAL.is_dir():
    REAL = Path("/work/shared/real-inputs/docx")
FILES = sorted(REAL.glob("*.docx")) if REAL.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"real DOCX files not found in {REAL}")


def _file(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is not there")
    return path


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_docx_imports_without_section(home, path, capsys):
    from communique.magazine.models import ArticlePage

    call_command("import", "docx", str(path))
    out = capsys.readouterr()
    page = ArticlePage.objects.get()
    assert page.get_parent().title == "News" and "filed under 'News'" in out.err
    assert page.body  # something of the document arrived
    page.body.stream_block.clean(page.body)


def test_list_in_a_table_cell_survives(home):
    from communique.magazine.models import ArticlePage

    call_command("import", "docx", str(_file("pandoc-table_with_list_cell.docx")), "--section", "Analysis")
    table = next(b.value for b in ArticlePage.objects.get().body if b.block_type == "table")
    cells = [c for row in table["data"] for c in row]
    assert "• Cell with\n• A\n• Bullet list" in cells, cells


def _tables(name):
    from communique.magazine.models import ArticlePage

    call_command("import", "docx", str(_file(name)), "--section", "Analysis")
    return [b.value for b in ArticlePage.objects.get().body if b.block_type == "table"]


def test_styled_header_row_is_detected(home):
    # pandoc-tables uses the "Light Shading" style with its Header Row option: a bold first row.
    tables = _tables("pandoc-tables.docx")
    assert tables and tables[0]["data"][0][:2] == ["Name", "Game"]
    assert tables[0]["first_row_is_table_header"]


def test_plain_grid_table_has_no_invented_header(home):
    # "Table Grid" has no first-row formatting: "Top left | Top right" is data, not a header.
    tables = _tables("mammoth-tables.docx")
    assert tables[0]["data"][0] == ["Top left", "Top right"] and not tables[0]["first_row_is_table_header"]


def test_repeat_header_row_and_bold_first_row(home, tmp_path):
    """Word's "Repeat as header row" (w:tblHeader) and a first row bolded by hand."""
    from communique.documents.readers.docx_props import header_rows

    src = _file("mammoth-tables.docx")
    for name, edit in {
        "repeat.docx": lambda x: x.replace('<w:tr w:rsidR="00503720" w:rsidTr="00503720"><w:tc>',
                 '<w:tr w:rsidR="00503720" w:rsidTr="00503720"><w:trPr><w:tblHeader/></w:trPr><w:tc>', 1),
        "bold.docx": lambda x: x.replace("<w:r><w:t>Top left", "<w:r><w:rPr><w:b/></w:rPr><w:t>Top left", 1)
        .replace("<w:r><w:t>Top right", "<w:r><w:rPr><w:b/></w:rPr><w:t>Top right", 1),
    }.items():
        out = tmp_path / name
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/document.xml":
                    data = edit(data.decode("utf-8")).encode("utf-8")
                zout.writestr(info, data)
        assert header_rows(out) == [True], name
        # The DOCX reader itself marks the row, for every caller (importer, books, editions).
        from communique.documents.model import Table
        from communique.documents.readers.docx import read_docx

        doc = read_docx(out, work_dir=tmp_path / f"work-{name}")
        tables = [b for d in doc.walk_divisions() for b in d.blocks if isinstance(b, Table)]
        assert [c.header for c in tables[0].rows[0]] == [True, True], name
        assert not any(c.header for c in tables[0].rows[1]), name
    assert header_rows(src) == [False]


def test_section_from_document_properties(home, tmp_path):
    from communique.magazine.models import ArticlePage

    src = _file("mammoth-simple-list.docx")
    out = tmp_path / "with-category.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = text.replace("</cp:coreProperties>", "<cp:category>Culture</cp:category></cp:coreProperties>")
                data = text.encode("utf-8")
            zout.writestr(info, data)
    from communique.documents.readers.docx import read_docx

    assert read_docx(out, work_dir=tmp_path / "w").meta.category == "Culture"  # the reader reads it
    assert read_docx(src, work_dir=tmp_path / "w2").meta.category == ""
    call_command("import", "docx", str(out))
    assert ArticlePage.objects.get().get_parent().title == "Culture"
