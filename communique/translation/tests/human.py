"""A short book and people's translations of it into Urdu, Arabic, Chinese, Hindi and Spanish, keyed
by the PO msgid (codes as {1}…{/1}, {2/}), for tests that need real target-language text."""

SOURCE = """---
title: Dialogue Across Borders
subtitle: Essays on Neighbours
language: en
uuid: 5b0e7c3a-8d7e-4a57-9d0c-7b3c2f4e9a10
contributors:
  - name: Amina Rahman
    role: author
publisher: Communiqué Books
---

# The First Meeting

Diplomacy begins with *listening*. Every conversation needs patience.[^n1]

The two ministers met in **Islamabad** in the spring. They spoke about water, trade and the future of their children.

# Open Roads

Trade between the neighbours grew every year. Families crossed the border to visit one another, and old friendships returned.

Peace is built slowly, one road and one school at a time.

[^n1]: Patience is the first virtue of a diplomat.
"""

KEYS = [
    "Dialogue Across Borders",
    "Essays on Neighbours",
    "The First Meeting",
    "Diplomacy begins with {1}listening{/1}.",
    "Every conversation needs patience.{2/}",
    "The two ministers met in {1}Islamabad{/1} in the spring.",
    "They spoke about water, trade and the future of their children.",
    "Open Roads",
    "Trade between the neighbours grew every year.",
    "Families crossed the border to visit one another, and old friendships returned.",
    "Peace is built slowly, one road and one school at a time.",
    "Patience is the first virtue of a diplomat.",
]

_TEXT = {
    "ur": [
        "سرحدوں کے آر پار مکالمہ",
        "ہمسایوں پر مضامین",
        "پہلی ملاقات",
        "سفارت کاری {1}سننے{/1} سے شروع ہوتی ہے۔",
        "ہر گفتگو کو صبر کی ضرورت ہوتی ہے۔{2/}",
        "دونوں وزرا موسمِ بہار میں {1}اسلام آباد{/1} میں ملے۔",
        "انہوں نے پانی، تجارت اور اپنے بچوں کے مستقبل پر بات کی۔",
        "کھلی سڑکیں",
        "ہمسایوں کے درمیان تجارت ہر سال بڑھتی گئی۔",
        "خاندان ایک دوسرے سے ملنے کے لیے سرحد پار کرتے رہے، اور پرانی دوستیاں لوٹ آئیں۔",
        "امن آہستہ آہستہ بنتا ہے، ایک سڑک اور ایک اسکول کے ساتھ۔",
        "صبر سفارت کار کی پہلی خوبی ہے۔",
    ],
    "ar": [
        "حوار عبر الحدود",
        "مقالات عن الجيران",
        "اللقاء الأول",
        "تبدأ الدبلوماسية {1}بالإصغاء{/1}.",
        "كل حوار يحتاج إلى الصبر.{2/}",
        "التقى الوزيران في {1}إسلام آباد{/1} في الربيع.",
        "تحدثا عن الماء والتجارة ومستقبل أطفالهما.",
        "طرق مفتوحة",
        "نمت التجارة بين الجيران كل عام.",
        "عبرت العائلات الحدود لزيارة بعضها بعضًا، وعادت الصداقات القديمة.",
        "يُبنى السلام ببطء، طريقًا بعد طريق ومدرسةً بعد مدرسة.",
        "الصبر أول فضائل الدبلوماسي.",
    ],
    "zh-Hans": [
        "跨越边界的对话",
        "关于邻国的随笔",
        "第一次会面",
        "外交始于{1}倾听{/1}。",
        "每一次对话都需要耐心。{2/}",
        "两位部长于春天在{1}伊斯兰堡{/1}会面。",
        "他们谈到了水、贸易和孩子们的未来。",
        "开放的道路",
        "邻国之间的贸易逐年增长。",
        "家庭跨越边界互相探望，旧日的友谊又回来了。",
        "和平是慢慢建成的，一条路、一所学校地建设。",
        "耐心是外交官的第一美德。",
    ],
    "hi": [
        "सरहदों के पार संवाद",
        "पड़ोसियों पर निबंध",
        "पहली मुलाक़ात",
        "कूटनीति {1}सुनने{/1} से शुरू होती है।",
        "हर बातचीत को धैर्य की ज़रूरत होती है।{2/}",
        "दोनों मंत्री वसंत में {1}इस्लामाबाद{/1} में मिले।",
        "उन्होंने पानी, व्यापार और अपने बच्चों के भविष्य के बारे में बात की।",
        "खुली सड़कें",
        "पड़ोसियों के बीच व्यापार हर साल बढ़ता गया।",
        "परिवार एक-दूसरे से मिलने के लिए सरहद पार करते रहे, और पुरानी दोस्तियाँ लौट आईं।",
        "शांति धीरे-धीरे बनती है, एक सड़क और एक स्कूल के साथ।",
        "धैर्य एक राजनयिक का पहला गुण है।",
    ],
    "es": [
        "Diálogo a través de las fronteras",
        "Ensayos sobre los vecinos",
        "El primer encuentro",
        "La diplomacia empieza por {1}escuchar{/1}.",
        "Toda conversación necesita paciencia.{2/}",
        "Los dos ministros se reunieron en {1}Islamabad{/1} en primavera.",
        "Hablaron del agua, del comercio y del futuro de sus hijos.",
        "Caminos abiertos",
        "El comercio entre los vecinos creció cada año.",
        "Las familias cruzaban la frontera para visitarse, y las viejas amistades volvieron.",
        "La paz se construye despacio, un camino y una escuela a la vez.",
        "La paciencia es la primera virtud de un diplomático.",
    ],
}

TRANSLATIONS = {lang: dict(zip(KEYS, texts, strict=True)) for lang, texts in _TEXT.items()}


def fill_po(data: bytes, lang: str) -> bytes:
    """The translator's work: every entry of an exported PO file given its translation."""
    import polib

    po = polib.pofile(data.decode("utf-8"))
    for entry in po:
        entry.msgstr = TRANSLATIONS[lang][entry.msgid]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return str(po).encode("utf-8")
