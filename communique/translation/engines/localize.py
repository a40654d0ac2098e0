"""wagtail-localize's machine translators (DeepL, Google Cloud, LibreTranslate, or any class with its
interface) as an engine, by configuration:

    COMMUNIQUE_TRANSLATION_ENGINES = {"en>fr": {"engine": "localize", "translator": "deepl",
                                                 "options": {"AUTH_KEY": "…"}}}

With no "translator" it uses WAGTAILLOCALIZE_MACHINE_TRANSLATOR, the one the page editor offers.
Codes travel as `<span id="c1">…</span>` and `<span id="p3"></span>`, which these services keep
as markup (DeepL's XML tag handling, Google's HTML mode); what comes back is checked like any engine's."""
from __future__ import annotations

from types import SimpleNamespace

from django.utils.module_loading import import_string
from lxml import etree, html

from ..segments import Content, Tag, merge_text
from . import EngineError, MTItem, MTResult

TRANSLATORS = {
    "deepl": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
    "google": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
    "libretranslate": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
    "dummy": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}


def to_html(content: Content) -> str:
    from django.utils.html import escape

    out = []
    for x in content:
        if isinstance(x, str):
            out.append(escape(x))
        elif x.kind == "open":
            out.append(f'<span id="c{x.id}">')
        elif x.kind == "close":
            out.append("</span>")
        else:
            out.append(f'<span id="p{x.id}"></span>')
    return "".join(out)


def from_html(data: str) -> Content:
    root = html.fragment_fromstring(data, create_parent="div")
    out: Content = []

    def walk(el):
        if el.text:
            out.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                ident = child.get("id") or ""
                if ident.startswith("p"):
                    out.append(Tag("ph", ident[1:]))
                elif ident.startswith("c"):
                    out.append(Tag("open", ident[1:]))
                    walk(child)
                    out.append(Tag("close", ident[1:]))
                else:
                    walk(child)  # markup the service added: keep its text only
            if child.tail:
                out.append(child.tail)
    walk(root)
    return merge_text(out)


class LocalizeEngine:
    name = "localize"

    def __init__(self, translator: str | None = None, options: dict | None = None, **_):
        from django.conf import settings

        if translator is None:
            config = getattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR", None)
            if not config:
                raise EngineError("no wagtail-localize translator configured: set 'translator' for the pair or "
                                  "WAGTAILLOCALIZE_MACHINE_TRANSLATOR")
            path, options = config["CLASS"], config.get("OPTIONS", {})
        else:
            path = TRANSLATORS.get(translator, translator)
        try:
            self.translator = import_string(path)(options or {})
        except ImportError as exc:
            raise EngineError(f"wagtail-localize translator {path!r} cannot be loaded ({exc})") from None
        self.name = f"localize:{translator or path.rsplit('.', 1)[-1]}"

    def translate(self, items: list[MTItem], source: str, target: str) -> list[MTResult]:
        from wagtail_localize.strings import StringValue

        src, tgt = SimpleNamespace(language_code=source), SimpleNamespace(language_code=target)
        if not self.translator.can_translate(src, tgt):
            raise EngineError(f"{self.name} cannot translate {source} into {target}")
        strings = [StringValue(to_html(it.content)) for it in items]
        try:
            result = self.translator.translate(src, tgt, list(dict.fromkeys(strings)))
        except Exception as exc:  # network and service errors surface as the engine's error, named
            raise EngineError(f"{self.name}: {type(exc).__name__}: {exc}") from None
        out = []
        for s in strings:
            value = result.get(s)
            out.append(MTResult(from_html(value.data) if value is not None else None))
        return out
