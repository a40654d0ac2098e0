"""Words for the archive generator (bench/archive.py): vocabularies drawn with a Zipf-like skew, so
that some query words match tens of thousands of articles and others a handful, as in a real
magazine's archive."""
import itertools
import random

EN = """the of and to in a is that for on as with by at from be this are it was which an has have
not their its or more but will been were also they can than other after into between over about
who one new two would could said its all these there such most first when year years only government
minister foreign policy country countries region regional security trade talks peace dialogue
border economic economy energy water climate agreement relations cooperation dispute conflict
diplomacy diplomatic diplomats ambassador embassy summit ministers leaders president prime parliament
election elections democracy rights human refugees migration aid development investment corridor
infrastructure railway pipeline port gas oil electricity grid renewable solar hydropower river rivers
basin treaty treaties negotiation negotiations negotiators sanctions tariffs exports imports markets
growth inflation currency debt lending bank banks finance budget defence military army troops
ceasefire mediation mediators envoy envoys council assembly united nations organisation alliance
partnership strategic strategy neighbours neighbourhood connectivity transit route routes highway
shipping maritime ocean coast coastal islands mountains valley province provinces capital city cities
rural farmers agriculture harvest drought floods monsoon glaciers heat emissions carbon adaptation
resilience health vaccines hospitals schools education students universities scholars research
science technology digital internet cyber data artificial intelligence media press journalists
newspaper magazine readers public opinion civil society women youth labour workers unions industry
manufacturing textiles steel cement mining minerals lithium copper gold wheat rice cotton tea
tourism culture heritage language languages literature poetry film music festival museum history
historians archive archives memory colonial independence partition constitution court courts judges
law laws justice reform reforms corruption accountability transparency governance institutions
bureaucracy ministry ministries cabinet coalition opposition party parties vote voters campaign
protest protests police prisons terrorism extremism militants insurgency stability instability
crisis crises recovery reconstruction humanitarian famine shelter displaced camps return returnees
kabul islamabad delhi dhaka tehran ankara beijing moscow washington brussels geneva doha riyadh
cairo baku tashkent almaty colombo kathmandu thimphu male yangon jakarta tokyo seoul london paris
berlin madrid rome vienna oslo stockholm helsinki warsaw kyiv tbilisi yerevan amman beirut baghdad
listening listen listened speaking spoke heard quietly slowly patience patient trust mistrust
confidence building bridges shared common future past present generations families villages
""".split()

FR = """le la les de des du et à en un une est que pour sur dans par avec plus pas au aux ce cette
ces qui se sont ont été être leur leurs mais comme entre après avant sans sous paix dialogue
politique étrangère ministre ministres gouvernement pays région régionale sécurité commerce accord
accords coopération conflit diplomatie diplomatique ambassadeur sommet frontière économie énergie
eau climat fleuve fleuves traité négociations sanctions investissement développement réfugiés droits
démocratie élections parlement président alliance partenariat stratégie voisins transit route port
gaz pétrole électricité réseau solaire agriculture sécheresse inondations santé éducation écoles
universités recherche numérique médias presse journalistes opinion société femmes jeunesse travail
industrie culture patrimoine langue histoire mémoire indépendance constitution justice réforme
corruption gouvernance institutions crise reconstruction humanitaire confiance avenir écoute écouter
""".split()

ES = """el la los las de del y a en un una es que para por con más no al lo como entre después
antes sin sobre paz diálogo política exterior ministro ministros gobierno país países región regional
seguridad comercio acuerdo acuerdos cooperación conflicto diplomacia diplomático embajador cumbre
frontera economía energía agua clima río ríos tratado negociaciones sanciones inversión desarrollo
refugiados derechos democracia elecciones parlamento presidente alianza estrategia vecinos tránsito
ruta puerto gas petróleo electricidad red solar agricultura sequía inundaciones salud educación
escuelas universidades investigación digital medios prensa periodistas opinión sociedad mujeres
juventud trabajo industria cultura patrimonio lengua historia memoria independencia constitución
justicia reforma corrupción gobernanza instituciones crisis reconstrucción humanitaria confianza
futuro escuchar escucha
""".split()

UR = """اور کے کی میں سے کو ہے ہیں کہ پر نے یہ وہ ایک بھی تھا تھی گیا کیا لیے ساتھ بعد پہلے امن
مذاکرات سیاست خارجہ وزیر حکومت ملک علاقہ سلامتی تجارت معاہدہ تعاون تنازع سفارت کاری سفیر سرحد
معیشت توانائی پانی موسم دریا پناہ گزین حقوق جمہوریت انتخابات پارلیمان صدر شراکت حکمت عملی پڑوسی
راستہ بندرگاہ گیس بجلی زراعت خشک سالی سیلاب صحت تعلیم اسکول جامعہ تحقیق میڈیا صحافی رائے معاشرہ
خواتین نوجوان محنت صنعت ثقافت ورثہ زبان تاریخ آزادی آئین انصاف اصلاحات بدعنوانی ادارے بحران
تعمیر نو اعتماد مستقبل سننا
""".split()

VOCABULARY = {"en": EN, "fr": FR, "es": ES, "ur": UR}


class Writer:
    """Sentences in one language; word i is drawn with weight 1/(i+1) (Zipf)."""

    def __init__(self, language, rng):
        words = VOCABULARY[language]
        self.words = words
        # Cumulative once here: random.choices would otherwise add the weights up on every call.
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(words))))
        self.rng = rng
        self.language = language

    def words_(self, n):
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def sentence(self, low=8, high=22):
        words = self.words_(self.rng.randint(low, high))
        text = " ".join(words)
        return (text[0].upper() + text[1:] + ".") if self.language != "ur" else text + "۔"

    def paragraph(self, sentences=None):
        return " ".join(self.sentence() for _ in range(sentences or self.rng.randint(3, 5)))

    def title(self):
        # Titles use the less common words (past the first 40), as headlines do.
        words = self.rng.sample(self.words[40:], self.rng.randint(4, 8))
        text = " ".join(words)
        return text[0].upper() + text[1:]


def rng(seed):
    return random.Random(seed)
