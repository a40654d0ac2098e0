"""Confirmed names feed the translation glossary (communique/translation: GlossaryTerm).

For each confirmed authority record and each of the magazine's languages other than English:
- a rendering an editor gave (an EntityName of kind "translation" in that language) becomes the
  approved rendering of the record's name and of its aliases, acronyms and former names;
- with no rendering, a target written in Latin script keeps the name as written (keep=True:
  "Shah Mahmood Qureshi" stays so in Spanish); a target in another script gets no term, since a
  transliteration must be approved by a person, not guessed.

Terms the desk wrote carry origin "research:<entity id>" and are rewritten whenever the record
changes (confirmed, rejected, merged, split, names edited); terms from anyone else (an editor's
own, pycountry's seed) are never touched, and win over the desk's for the same words."""
from __future__ import annotations

from django.db import transaction

SOURCE_LANGUAGE = "en"
ORIGIN = "research:"


def _targets() -> list:
    from communique.documents.languages import magazine_languages

    return [lang for lang in magazine_languages() if lang.code != SOURCE_LANGUAGE]


def terms_for(entity) -> list[dict]:
    """The glossary terms a confirmed record stands for: one per (target language, name)."""
    if entity.status != "confirmed":
        return []
    names = [entity.name] + [n.name for n in entity.aliases.all() if n.name_kind != "translation" and n.name != entity.name]
    renderings: dict[str, list[str]] = {}
    for n in entity.aliases.all():
        if n.name_kind == "translation" and n.language:
            renderings.setdefault(_canonical(n.language), []).append(n.name)
    out = []
    for lang in _targets():
        approved = renderings.get(lang.code, [])
        if not approved and lang.script != "Latn":
            continue
        for name in dict.fromkeys(names):
            out.append({"target_language": lang.code, "source": name, "renderings": approved,
                        "keep": not approved})
    return out


def _canonical(code: str) -> str:
    from communique.documents.languages import UnknownLanguage, code_for

    try:
        return code_for(code)
    except UnknownLanguage:
        return code


@transaction.atomic
def sync(entity_ids) -> int:
    """Rewrite the desk's glossary terms of these records (deleted records lose theirs). Returns the
    number of terms the records now have."""
    from communique.translation.models import GlossaryTerm

    from .models import Entity

    ids = sorted({int(i) for i in entity_ids})
    if not ids:
        return 0
    GlossaryTerm.objects.filter(origin__in=[f"{ORIGIN}{i}" for i in ids]).delete()
    written = 0
    for entity in Entity.objects.filter(pk__in=ids).prefetch_related("aliases"):
        for t in terms_for(entity):
            if len(t["source"]) > 200:
                continue
            taken = GlossaryTerm.objects.filter(source_language=SOURCE_LANGUAGE, target_language=t["target_language"],
                                                source=t["source"]).exists()
            if taken:  # an editor's term, pycountry's, or another record's with the same name
                continue
            GlossaryTerm.objects.create(source_language=SOURCE_LANGUAGE, origin=f"{ORIGIN}{entity.pk}", **t)
            written += 1
    return written


def sync_all() -> int:
    from .models import Entity

    from communique.translation.models import GlossaryTerm

    stale = [int(o[len(ORIGIN):]) for o in GlossaryTerm.objects.filter(origin__startswith=ORIGIN)
             .values_list("origin", flat=True).distinct() if o[len(ORIGIN):].isdigit()]
    return sync(set(stale) | set(Entity.objects.filter(status="confirmed").values_list("pk", flat=True)))
