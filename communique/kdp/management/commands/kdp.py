"""`communique kdp build MANUSCRIPT --out DIR [...]` and `communique kdp preflight DIR`."""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build a Kindle Direct Publishing kit from a manuscript, or re-check an existing kit folder."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{build,preflight}")
        b = sub.add_parser("build", help="Build the kit folder from a Markdown or DOCX manuscript.")
        b.add_argument("manuscript", type=Path, help="A .md (with YAML front matter) or .docx file.")
        b.add_argument("--out", type=Path, required=True, help="The kit folder (replaced when the build succeeds).")
        b.add_argument("--title")
        b.add_argument("--subtitle")
        b.add_argument("--author", help="Author name, when the manuscript does not say.")
        b.add_argument("--language", help="Language code or name, e.g. en, French.")
        b.add_argument("--trim", help="Trim size such as 6x9 or 5.5x8.5 (inches).")
        b.add_argument("--paper", choices=["white", "cream", "color", "premium_color", "standard_color"])
        b.add_argument("--bleed", action="store_true", default=None, help="Interior images run to the page edge.")
        b.add_argument("--price-usd", dest="price_usd", help="eBook list price in USD, e.g. 4.99.")
        b.add_argument("--paperback-price-usd", dest="paperback_price_usd", help="Paperback list price in USD.")
        b.add_argument("--isbn-ebook", dest="isbn_ebook")
        b.add_argument("--isbn-paperback", dest="isbn_paperback")
        b.add_argument("--cover-art", dest="cover_art", type=Path, help="An image for the front cover.")
        b.add_argument("--quiet", action="store_true", help="Do not print progress.")
        p = sub.add_parser("preflight", help="Re-check a kit folder and print the report; exit 1 if a rule fails.")
        p.add_argument("folder", type=Path)
        p.add_argument("--json", action="store_true", help="Print the report as JSON.")
        p.add_argument("--write", action="store_true", help="Also rewrite preflight.json and preflight.html.")

    def handle(self, *args, **options):
        if options["action"] == "build":
            return self.build(options)
        return self.preflight(options)

    def build(self, o):
        from communique.kdp import kit

        if not o["manuscript"].is_file():
            raise CommandError(f"No manuscript at {o['manuscript']}.")
        overrides = {k: o.get(k) for k in ("title", "subtitle", "language", "trim", "paper", "price_usd",
                                           "paperback_price_usd", "isbn_ebook", "isbn_paperback", "bleed")}
        if o.get("author"):
            overrides["author"] = o["author"]

        def progress(percent, message):
            if not o["quiet"]:
                self.stderr.write(f"[{percent:3d}%] {message}")

        try:
            result = kit.build_kit(o["manuscript"], None, o["out"], progress, overrides=overrides,
                                   cover_art=o.get("cover_art"))
        except (kit.KitError, ValueError, OSError) as exc:
            # Bad input (a missing image, a wrong trim, unreadable DOCX) is a message, not a traceback.
            raise CommandError(f"The kit was not built: {exc}") from None
        self.stdout.write(f"Kit written to {result.out_dir} ({result.pages} pages, {result.seconds:.1f} s):")
        for name in result.files:
            self.stdout.write(f"  {name}")
        self.stdout.write(result.report.to_text())
        if not result.ok:
            sys.exit(1)

    def preflight(self, o):
        from communique.kdp import kit

        folder = o["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        report = kit.check_kit(folder)
        if o["write"]:
            (folder / kit.PREFLIGHT_JSON).write_text(report.to_json(), encoding="utf-8")
            (folder / kit.PREFLIGHT_HTML).write_text(report.to_html(), encoding="utf-8")
        self.stdout.write(report.to_json() if o["json"] else report.to_text())
        if report.failures():
            sys.exit(1)
