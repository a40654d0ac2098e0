import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from communique.books.models import Book, KitBuild, Manuscript

SMALL_MD = """---
title: A Small Test Book
contributors:
  - name: Test Author
    role: author
language: en
---

# First Chapter

Some words in the first chapter, with a note.[^a]

## A section

More words here.

# Second Chapter

| a | b |
| --- | --- |
| 1 | 2 |

[^a]: The note.
"""


@pytest.fixture
def alice(django_user_model):
    user = django_user_model.objects.create_user("alice", password="pw-alice-123")
    user.groups.add(Group.objects.get_or_create(name="Authors")[0])
    return user


@pytest.fixture
def bob(django_user_model):
    user = django_user_model.objects.create_user("bob", password="pw-bob-123")
    user.groups.add(Group.objects.get_or_create(name="Authors")[0])
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("edna", password="pw-edna-123")
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return user


@pytest.fixture
def md_upload():
    def make(text=SMALL_MD, name="book.md"):
        return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")
    return make


@pytest.fixture
def book_of(settings):
    def make(user, title="Book", **kw):
        return Book.objects.create(owner=user, title=title, **kw)
    return make


@pytest.fixture
def built(settings):
    """A finished KitBuild whose folder holds a stand-in file: enough to test who may download it."""
    def make(book):
        ms = Manuscript(book=book, original_name="m.md", kind="markdown", size=3)
        from django.core.files.base import ContentFile

        ms.file.save("m.md", ContentFile(b"# A\n"), save=True)
        build = KitBuild.objects.create(book=book, manuscript=ms, state=KitBuild.State.DONE,
                                        files=["metadata.json"])
        build.folder = f"books/{book.public_id}/kits/{build.public_id}"
        build.save()
        build.folder_path.mkdir(parents=True, exist_ok=True)
        (build.folder_path / "metadata.json").write_text('{"title": "secret"}')
        return build
    return make


def docx_bytes_without_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("hello.txt", "not a word document")
    return buf.getvalue()
