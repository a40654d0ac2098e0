"""Time and peak memory of reading manuscripts at the portal's limits (issue 8, break 4).

Run: .venv/bin/python bench/manuscript_limits.py   (a minute or two; writes nothing but stdout)
Each input is read the way the portal reads it: in the limited child process (books.parsing)."""
import io
import os
import re
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.test")
import django  # noqa: E402

django.setup()

from communique.books import parsing, services  # noqa: E402
from communique.documents.tests import builders  # noqa: E402


def docx(paragraphs: int, tmp: Path) -> Path:
    base = builders.make_docx(tmp / "base.docx")
    with zipfile.ZipFile(base) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    body = "".join(f"<w:p><w:r><w:t>Paragraph {i} with a few words in it.</w:t></w:r></w:p>" for i in range(paragraphs))
    parts["word/document.xml"] = re.sub(r"<w:body>.*</w:body>", f"<w:body>{body}</w:body>", xml, flags=re.S).encode()
    out = tmp / f"p{paragraphs}.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def markdown(size: int, tmp: Path) -> Path:
    chunk = "Some words in a paragraph, *with emphasis* and a [link](https://example.org).\n\n"
    text = "---\ntitle: Big\n---\n\n" + "".join(f"# Chapter {i}\n\n" + chunk * 40 for i in range(size // (len(chunk) * 40) + 1))
    out = tmp / f"m{size}.md"
    out.write_text(text[:size], encoding="utf-8")
    return out


def measure(path: Path, kind: str):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    try:
        services.read_report(path, path.name, kind)
        outcome = "read"
    except services.ManuscriptError as exc:
        outcome = "refused: " + exc.messages[0][:70]
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"| {path.name} ({path.stat().st_size / 1024:,.0f} KB) | {seconds:.1f} s | "
          f"{max(peak, before) / 1024:,.0f} MB | {outcome} |", flush=True)


if __name__ == "__main__":
    print(f"limits: {parsing.MAX_PARAGRAPHS:,} paragraphs, {parsing.MAX_MARKDOWN_BYTES // 1048576} MB Markdown, "
          f"{parsing.PARSE_SECONDS} s, {parsing.PARSE_MEMORY_BYTES // 1048576} MB")
    print("| input | wall time | peak RSS of reader children so far | outcome |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in (parsing.MAX_PARAGRAPHS, 200_000):
            measure(docx(n, tmp), "docx")
        for size in (1 << 20, parsing.MAX_MARKDOWN_BYTES):
            measure(markdown(size, tmp), "markdown")
