"""Issue 8, break 13: malformed uploads answered 500 instead of a clear error: bad CRC,
encrypted or unsupported ZIP entries, over-long paths or names, 3,000 nested emphasis markers."""
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

MD = b"---\ntitle: T\n---\n\n# One\n\nSome words in a chapter.\n"


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Malformed")


def _zip(files, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return bytearray(buf.getvalue())


def _patch_headers(data: bytearray, *, flag=None, method=None) -> bytes:
    """Set the flag bits or compression method of every entry, in local and central headers."""
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (i := data.find(sig, start)) >= 0:
            if flag is not None:
                struct.pack_into("<H", data, i + flag_at, struct.unpack_from("<H", data, i + flag_at)[0] | flag)
            if method is not None:
                struct.pack_into("<H", data, i + method_at, method)
            start = i + 4
    return bytes(data)


def _bad_crc(files) -> bytes:
    data = _zip(files)
    i = data.find(b"Some words")
    data[i] ^= 0x20  # the stored bytes change; the recorded CRC does not
    return bytes(data)


def _docx_parts():
    return {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body>" + MD + b"</w:body></w:document>"}


CASES = {
    "bad-crc.zip": (lambda: _bad_crc({"b/book.md": MD}), "checksum"),
    "bad-crc.docx": (lambda: _bad_crc({**_docx_parts(), "word/x.xml": b"Some words"}), "checksum"),
    "encrypted.zip": (lambda: _patch_headers(_zip({"b/book.md": MD}), flag=0x1), "password"),
    "encrypted.docx": (lambda: _patch_headers(_zip(_docx_parts()), flag=0x1), "password"),
    "aes.zip": (lambda: _patch_headers(_zip({"b/book.md": MD}), method=99), "compression method"),
    "lzma.docx": (lambda: bytes(_zip(_docx_parts(), zipfile.ZIP_LZMA)), "compression method"),
    "long-name.zip": (lambda: bytes(_zip({"b/" + "n" * 300 + ".md": MD})), "too long"),
    "long-path.zip": (lambda: bytes(_zip({"/".join(["d" * 150] * 8) + "/book.md": MD})), "too long"),
    "nested.md": (lambda: b"# One\n\n" + b"*" * 3000 + b"x" + b"*" * 3000 + b"\n", "levels deep"),
    "nested-underscore.md": (lambda: b"# One\n\nok " + b"_" * 3000 + b"x" + b"_" * 3000 + b"\n", "levels deep"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_upload_gets_a_clear_error(client, author, book, name):
    from communique.books.models import Manuscript

    make, words = CASES[name]
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile(name, make())})
    assert response.status_code == 400, (name, response.status_code)
    errors = " ".join(response.context["form"].errors["file"])
    assert name in errors and words in errors, errors
    assert "/tmp" not in errors and "Traceback" not in errors
    assert not Manuscript.objects.exists()
