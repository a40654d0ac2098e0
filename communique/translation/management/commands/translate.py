"""`communique translate MANUSCRIPT --to es[,ur,…] --engine apertium|ct2|none --out DIR [--pdf]`,
`communique translate export MANUSCRIPT --to ur --format xliff|po -o FILE` and
`communique translate import FILE --source MANUSCRIPT --out DIR [--pdf]`;
for articles (a page id or URL path such as /en/oped/slug/):
`communique translate article PAGE --to es[,ur,…] --engine apertium`,
`communique translate export --article PAGE --to ur --format xliff|po -o FILE` and
`communique translate import FILE --article PAGE`.

Per language it writes the translated manuscript (Markdown the other commands read), its EPUB (and
print PDF with --pdf) and a QA report. Machine output is a draft: the report says how many segments
still need a person. Nothing is written for any language when a language or engine is unusable.
An article's translation is stored through wagtail-localize and saved as a draft page in the target
language: an editor reviews and publishes it."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ("run", "export", "import", "article")


class Command(BaseCommand):
    help = "Translate a manuscript (machine draft + EPUB/PDF + QA report), or exchange XLIFF/PO files."

    def run_from_argv(self, argv):
        # `translate MANUSCRIPT …` is the default action; `translate export|import …` name theirs.
        argv = list(argv)
        if len(argv) > 2 and argv[2] not in ACTIONS and argv[2] not in ("-h", "--help"):
            argv.insert(2, "run")
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{MANUSCRIPT,export,import}")
        r = sub.add_parser("run", help="Translate a manuscript (the default: `translate MANUSCRIPT --to es`).")
        r.add_argument("manuscript", type=Path)
        r.add_argument("--to", required=True, help="target languages, comma-separated: es,ur,ar")
        r.add_argument("--engine", default=None, help="apertium, ct2 or none (default: the one configured per pair)")
        r.add_argument("--model", type=Path, help="ct2: the model folder (CTranslate2 model + SentencePiece)")
        r.add_argument("--out", type=Path, required=True, help="output folder (one sub-folder per language)")
        r.add_argument("--pdf", action="store_true", help="also write the print PDF")
        r.add_argument("--no-glossary", action="store_true", help="do not protect or check glossary terms")
        a = sub.add_parser("article", help="Pre-translate an article (memory, then machine) into draft pages.")
        a.add_argument("page", help="page id or URL path (/en/section/slug/)")
        a.add_argument("--to", required=True, help="target languages, comma-separated: es,ur,ar")
        a.add_argument("--engine", default=None, help="apertium, ct2, localize or none")
        a.add_argument("--model", type=Path, help="ct2: the model folder")
        a.add_argument("--no-memory", action="store_true", help="do not pre-fill from the translation memory")
        e = sub.add_parser("export", help="Write an XLIFF 2.0 or PO file for a translator.")
        e.add_argument("manuscript", type=Path, nargs="?")
        e.add_argument("--article", help="an article's page id or URL path instead of a manuscript")
        e.add_argument("--to", required=True, help="one target language")
        e.add_argument("--format", choices=["xliff", "po"], default="xliff")
        e.add_argument("--engine", default="none", help="pre-fill with a machine draft (default: none)")
        e.add_argument("--model", type=Path)
        e.add_argument("-o", "--output", type=Path, required=True)
        i = sub.add_parser("import", help="Read a translated XLIFF/PO file; write the manuscript and EPUB.")
        i.add_argument("file", type=Path)
        i.add_argument("--source", type=Path, help="the source manuscript the file was made from")
        i.add_argument("--article", help="or: the article's page id or URL path (saved as a draft translation)")
        i.add_argument("--out", type=Path, help="output folder (manuscripts)")
        i.add_argument("--pdf", action="store_true")

    def handle(self, *args, action, **o):
        from communique.translation.adapter import ManuscriptError
        from communique.translation.articles import ArticleError
        from communique.translation.engines import EngineError
        from communique.translation.languages import UnknownTargetLanguage
        from communique.translation.xliff import ExchangeError

        try:
            return getattr(self, f"do_{action}")(o)
        except (ManuscriptError, EngineError, UnknownTargetLanguage, ExchangeError, ArticleError) as exc:
            raise CommandError(str(exc)) from None

    # ---------------------------------------------------------------------------------------
    def _engine(self, name, model, source, target):
        from communique.translation.engines import get_engine

        options = {"model": str(model)} if model else {}
        engine = get_engine(name, source, target, **options)
        check = getattr(engine, "check", None)
        if check:
            check(source, target)
        return engine

    def _languages(self, value):
        from communique.translation.languages import canonical

        langs = [canonical(x) for x in value.split(",") if x.strip()]
        if not langs:
            raise CommandError("--to names no language")
        return list(dict.fromkeys(langs))

    def _out(self, folder: Path):
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder}: exists and is not a folder")
        if not folder.parent.is_dir():
            raise CommandError(f"{folder.parent}: the output folder's parent does not exist")
        folder.mkdir(exist_ok=True)

    def do_run(self, o):
        from communique.translation import pipeline
        from communique.translation.glossary import seeded
        from communique.translation.adapter import read_manuscript

        doc = read_manuscript(o["manuscript"])
        langs = self._languages(o["to"])
        source = (doc.meta.language or "en").split("-")[0]
        engines = {lang: self._engine(o["engine"], o.get("model"), source, lang) for lang in langs}
        self._out(o["out"])
        for lang in langs:
            glossary = None if o["no_glossary"] else seeded(source, lang)
            tr = pipeline.machine_translate(pipeline.start(doc, lang), engines[lang], glossary=glossary)
            self._write_outputs(tr, o["manuscript"], o["out"], o["pdf"], glossary)

    def do_article(self, o):
        _django()
        from communique.translation import articles

        page = articles.find_page(o["page"])
        langs = self._languages(o["to"])
        source = page.locale.language_code
        engines = {lang: self._engine(o["engine"], o.get("model"), source, lang) for lang in langs}
        for lang in langs:
            outcome = articles.translate(page, lang, engines[lang], memory=not o["no_memory"])
            self.stdout.write(f"“{page.title}” (page {page.pk}) → " + outcome.summary())
            for f in outcome.flagged:
                self.stdout.write(f"  flagged {f['unit']}: {'; '.join(f['flags'])}")
            self.stdout.write(f"  {outcome.translated_page.url_path} (draft)")

    def _article_export(self, o):
        _django()
        from communique.translation import articles

        page = articles.find_page(o["article"])
        [lang] = self._languages(o["to"])[:1]
        if not o["output"].parent.is_dir():
            raise CommandError(f"{o['output'].parent}: the output folder does not exist")
        _atomic_write(o["output"], articles.export(page, lang, o["format"]))
        self.stdout.write(f"{o['format']}: “{page.title}” (page {page.pk}) into {lang}")
        self.stdout.write(str(o["output"]))

    def do_export(self, o):
        from communique.translation import pipeline, po, xliff
        from communique.translation.adapter import read_manuscript

        if o.get("article"):
            return self._article_export(o)
        if o["manuscript"] is None:
            raise CommandError("name a MANUSCRIPT or --article PAGE")
        doc = read_manuscript(o["manuscript"])
        [lang] = self._languages(o["to"])[:1]
        if not o["output"].parent.is_dir():
            raise CommandError(f"{o['output'].parent}: the output folder does not exist")
        tr = pipeline.start(doc, lang)
        if o["engine"] != "none":
            pipeline.machine_translate(tr, self._engine(o["engine"], o.get("model"), tr.source, lang))
        data = xliff.export_xliff(tr) if o["format"] == "xliff" else po.export_po(tr)
        _atomic_write(o["output"], data)
        self.stdout.write(f"{o['format']}: {sum(len(u.segments) for u in tr.units)} segments in {len(tr.units)} units, "
                          f"source version {tr.version}")
        self.stdout.write(str(o["output"]))

    def do_import(self, o):
        from communique.translation import pipeline, po, xliff
        from communique.translation.adapter import read_manuscript

        path: Path = o["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        if o.get("article"):
            _django()
            from communique.translation import articles

            page = articles.find_page(o["article"])
            outcome = articles.import_file(page, data, str(path))
            self.stdout.write(f"“{page.title}” (page {page.pk}) → " + outcome.summary())
            self.stdout.write(f"  {outcome.translated_page.url_path} (draft)")
            return
        if o["source"] is None or o["out"] is None:
            raise CommandError("import needs --source MANUSCRIPT and --out DIR (or --article PAGE)")
        doc = read_manuscript(o["source"])
        lang = _file_language(data, path)
        tr = pipeline.start(doc, lang)
        is_xml = data.lstrip()[:1] == b"<"
        tr = xliff.import_xliff(data, tr, str(path)) if is_xml else po.import_po(data, tr, str(path))
        self._out(o["out"])
        from communique.translation.glossary import seeded

        self._write_outputs(tr, o["source"], o["out"], o["pdf"], seeded(tr.source, lang))

    # ---------------------------------------------------------------------------------------
    def _write_outputs(self, tr, manuscript: Path, out: Path, pdf: bool, glossary=None):
        from communique.translation.adapter import write
        from communique.translation.manuscript import write_markdown

        report = tr.check(glossary)
        folder = out / tr.target
        folder.mkdir(exist_ok=True)
        stem = Path(manuscript).stem
        document = tr.translated_document()
        written = [folder / f"{stem}.{tr.target}.md"]
        losses = write_markdown(document, written[0])
        builds = [("epub", folder / f"{stem}.{tr.target}.epub")] + ([("pdf", folder / f"{stem}.{tr.target}.pdf")] if pdf else [])
        warnings = []
        for fmt, target in builds:
            try:
                build = write(fmt, document, target)
            except ValueError as exc:
                raise CommandError(f"{tr.target}: the {fmt} was not written: {exc}") from None
            warnings += [str(w) for w in build.warnings]
            written.append(target)
        drafts = sum(1 for u in tr.units for s in u.segments if s.state not in ("approved",))
        summary = report.as_dict()
        summary.update(version=tr.version, drafts=drafts, manuscript_losses=losses, writer_warnings=warnings,
                       flagged=[{"segment": s.id, "flags": s.flags} for u in tr.units for s in u.segments if s.flags])
        qa_path = folder / f"{stem}.{tr.target}.qa.json"
        _atomic_write(qa_path, json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
        written.append(qa_path)
        self.stdout.write(
            f"{tr.target}: {report.translated}/{report.segments} segments translated, {drafts} not yet approved "
            f"(draft), {len(report.errors)} QA error(s), {len(report.issues) - len(report.errors)} warning(s), "
            f"{len(summary['flagged'])} flagged")
        for p in written:
            self.stdout.write(f"  {p}")


def _django():
    """Articles live in the database: `communique translate` starts without the app registry
    (the manuscript commands need none), so load it when a page is named."""
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def _file_language(data: bytes, path: Path) -> str:
    import re

    from communique.translation.xliff import ExchangeError

    head = data[:4096].decode("utf-8", "replace")
    m = re.search(r'trgLang="([^"]+)"', head) or re.search(r'"Language: ([^\\"]+)\\n"', head)
    if not m:
        raise ExchangeError(f"{path}: names no target language (XLIFF trgLang or PO 'Language' header)")
    from communique.translation.languages import canonical

    return canonical(m.group(1))


def _atomic_write(path: Path, data: bytes):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as `communique translate`")
