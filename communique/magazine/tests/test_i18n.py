"""Interface text follows the page's language: an Urdu page reads "صفحۂ اول" and "سب سے زیادہ
پڑھے گئے", a French one "Accueil" and "Les plus lus", the English one stays English. The catalogs
are complete, the committed .mo files match their .po sources, and the pure-Python compiler
(for machines without GNU gettext) writes what msgfmt writes."""
import gettext
import importlib.util
import io
import re
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale

from communique.magazine.popularity import record_views
from communique.magazine.tests.factories import build_magazine

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "compile_translations.py"
NON_ENGLISH = [code for code, _ in settings.LANGUAGES if code != "en"]


def load_compiler():
    spec = importlib.util.spec_from_file_location("compile_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def breadcrumb(html):
    return re.search(r'aria-label="[^"]*">\s*<ol>(.*?)</ol>', html, re.S).group(1)


class ReaderPagesInEveryLanguageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        for code in ("ur", "fr"):
            Locale.objects.get_or_create(language_code=code)
        cls.mag = build_magazine(n_articles=3, translate_to=("ur", "fr"))
        cls.english = cls.mag["articles"][0]
        cls.urdu = cls.mag["translations"]["ur"]["article"]
        cls.french = cls.mag["translations"]["fr"]["article"]
        # Readings of a second article per language, so each page's Most Popular box (which lists
        # its own language only, and never the article being read) appears.
        from .factories import translate_page

        second = cls.mag["articles"][1]
        for page in (cls.english, cls.urdu, cls.french, second, translate_page(second, "ur"), translate_page(second, "fr")):
            record_views(page.pk, 3)

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_urdu_article_reads_in_urdu(self):
        html = self.get(self.urdu.url)
        self.assertIn('<html lang="ur" dir="rtl">', html)
        crumb = breadcrumb(html)
        self.assertIn('<a href="/ur/">صفحۂ اول</a>', crumb)
        self.assertNotIn(">Home<", crumb)
        self.assertIn('<h2 id="most-popular-title">سب سے زیادہ پڑھے گئے</h2>', html)
        self.assertIn('<span class="byline">تحریر: ', html)
        self.assertIn("ہمیں فالو کریں", html)
        self.assertIn("مواد پر جائیں", html)
        self.assertNotIn("Most popular", html)
        self.assertNotIn("Follow us", html)
        # The date in Urdu words: the month name is one of Django's Urdu months, not English.
        date_text = re.search(r"<time [^>]*>([^<]+)</time>", html).group(1)
        self.assertRegex(date_text, r"^\d{1,2} \S+ \d{4}$")
        with translation.override("ur"):
            self.assertIn(date_text.split()[1], [translation.gettext(m) for m in MONTHS])
        self.assertNotIn(date_text.split()[1], MONTHS)

    def test_french_article_reads_in_french(self):
        html = self.get(self.french.url)
        self.assertIn('<html lang="fr" dir="ltr">', html)
        self.assertIn('<a href="/fr/">Accueil</a>', breadcrumb(html))
        self.assertIn('<h2 id="most-popular-title">Les plus lus</h2>', html)
        self.assertIn('<span class="byline">Par ', html)
        self.assertIn("Suivez-nous", html)
        self.assertIn(">Partager</h2>", html)
        date_text = re.search(r"<time [^>]*>([^<]+)</time>", html).group(1)
        self.assertRegex(date_text, r"^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$")

    def test_english_article_is_unchanged(self):
        html = self.get(self.english.url)
        self.assertIn('<html lang="en" dir="ltr">', html)
        self.assertIn(">Home</a>", breadcrumb(html))
        self.assertIn('<h2 id="most-popular-title">Most popular</h2>', html)
        self.assertIn('<span class="byline">By ', html)
        self.assertIn("Follow us", html)
        self.assertIn("Skip to content", html)
        date_text = re.search(r"<time [^>]*>([^<]+)</time>", html).group(1)
        self.assertRegex(date_text, r"^\d{1,2} (%s) \d{4}$" % "|".join(MONTHS))
        self.assertNotIn("صفحۂ اول", html)
        self.assertNotIn("Accueil", html)

    def test_the_request_language_does_not_override_the_page_language(self):
        # A French reader's browser asking for the Urdu page still gets Urdu interface text.
        html = self.client.get(self.urdu.url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        self.assertIn("صفحۂ اول", html)
        self.assertNotIn("Accueil", html)

    def test_urdu_home_page(self):
        html = self.get(self.mag["translations"]["ur"]["home"].url)
        self.assertIn('<html lang="ur" dir="rtl">', html)
        self.assertIn("تلاش", html)
        self.assertIn('aria-label="حصے"', html)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


class CatalogTest(TestCase):
    def catalog(self, code):
        path = LOCALE_DIR / translation.to_locale(code) / "LC_MESSAGES" / "django.mo"
        self.assertTrue(path.exists(), f"{path} is missing: run scripts/compile_translations.py")
        with path.open("rb") as fh:
            return gettext.GNUTranslations(fh)

    def test_every_language_has_a_complete_catalog(self):
        compiler = load_compiler()
        english = None
        for code in NON_ENGLISH:
            po = LOCALE_DIR / translation.to_locale(code) / "LC_MESSAGES" / "django.po"
            text = po.read_text(encoding="utf-8")
            self.assertNotIn("#, fuzzy", text, f"{po}: fuzzy entries are not used; review them")
            # Every msgid, whether on one line or wrapped over several ("" then the pieces).
            ids = {"".join(re.findall(r'"(.*)"', block)) for block in re.findall(r'^msgid ((?:".*"\n)+)', text, re.M)}
            ids.discard("")  # the header
            english = english or ids
            self.assertEqual(ids, english, f"{po} has different messages from the other catalogs")
            parsed = compiler.parse_po(text, str(po))
            # parse_po leaves out untranslated entries, so a shortfall means a missing translation.
            self.assertEqual(len([k for k in parsed if k]), len(ids), f"{po}: some messages are untranslated")
            for key, value in parsed.items():
                for placeholder in re.findall(r"%\(\w+\)s", key):
                    if placeholder != "%(counter)s":
                        for form in value.split("\0"):
                            self.assertIn(placeholder, form, f"{po}: {key!r} loses {placeholder}")

    def test_committed_mo_files_match_their_po_files(self):
        compiler = load_compiler()
        for code in NON_ENGLISH:
            po = LOCALE_DIR / translation.to_locale(code) / "LC_MESSAGES" / "django.po"
            expected = compiler.parse_po(po.read_text(encoding="utf-8"), str(po))
            expected.pop("", None)
            committed = dict(self.catalog(code)._catalog)
            committed.pop("", None)
            # GNUTranslations keys plurals as (msgid, n); flatten to compare with the .po.
            flat = {}
            for key, value in committed.items():
                if isinstance(key, tuple):
                    flat.setdefault(key[0], {})[key[1]] = value
                else:
                    flat[key] = value
            self.assertEqual(len(flat), len(expected), f"{code}: .mo is stale; run scripts/compile_translations.py")
            for key, value in expected.items():
                msgid = key.split("\0")[0]
                got = flat.get(msgid)
                want = value.split("\0")
                self.assertEqual(
                    [got[i] for i in sorted(got)] if isinstance(got, dict) else [got], want,
                    f"{code}: .mo is stale for {msgid!r}; run scripts/compile_translations.py",
                )

    def test_every_language_translates_the_interface(self):
        for code in NON_ENGLISH:
            with translation.override(code):
                self.assertNotEqual(translation.gettext("Most popular"), "Most popular", code)
                self.assertNotEqual(translation.pgettext("byline", "By"), "By", code)
                self.assertNotEqual(translation.gettext("Home"), "Home", code)

    def test_plural_forms(self):
        with translation.override("ru"):
            forms = [translation.ngettext("%(counter)s result for “%(query)s”", "%(counter)s results for “%(query)s”", n)
                     % {"counter": n, "query": "мир"} for n in (1, 3, 5)]
        self.assertEqual(forms, ["1 результат по запросу «мир»", "3 результата по запросу «мир»",
                                 "5 результатов по запросу «мир»"])
        with translation.override("ar"):
            two = translation.ngettext("About the author", "About the authors", 2)
        self.assertEqual(two, "عن الكاتبَين")


class PythonCompilerTest(TestCase):
    def test_contexts_plurals_and_fuzzy_entries(self):
        compiler = load_compiler()
        po = "\n".join([
            'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', "",
            'msgctxt "byline"', 'msgid "By"', 'msgstr "Par"', "",
            'msgid "One"', 'msgid_plural "Many"', 'msgstr[0] "Un"', 'msgstr[1] "Plusieurs"', "",
            "#, fuzzy", 'msgid "Guess"', 'msgstr "Devinette"', "",
            'msgid "Long"', 'msgstr ""', '"Lo"', '"ng \\"quoted\\""', "",
            'msgid "Untranslated"', 'msgstr ""', "",
        ])
        catalog = gettext.GNUTranslations(io.BytesIO(compiler.mo_bytes(compiler.parse_po(po))))
        self.assertEqual(catalog.pgettext("byline", "By"), "Par")
        self.assertEqual(catalog.ngettext("One", "Many", 1), "Un")
        self.assertEqual(catalog.ngettext("One", "Many", 4), "Plusieurs")
        self.assertEqual(catalog.gettext("Guess"), "Guess")
        self.assertEqual(catalog.gettext("Long"), 'Long "quoted"')
        self.assertEqual(catalog.gettext("Untranslated"), "Untranslated")

    def test_unreadable_po_names_the_line(self):
        compiler = load_compiler()
        with self.assertRaisesRegex(compiler.PoError, r"broken.po:2"):
            compiler.parse_po('msgid "a"\nmsgstr oops\n', "broken.po")
