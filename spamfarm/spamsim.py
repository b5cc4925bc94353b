"""A web-spam simulator for the kinds of spam besides content farms (see :mod:`spamfarm.farm`).

Each kind turns one honest page into a spam page the way that kind of spam is made in the wild:

=====================  ===========================================================================
kind                   what it does
=====================  ===========================================================================
``keyword_stuffing``   repeats a keyword phrase (a commercial one, or words of the page's own title
                       in its own language and script) in the title, meta keywords, headings, image
                       alts and a paragraph, and appends a list of "<keyword> in <city>" terms; or
                       (two in five) swaps the article for a thin stuffed page in the site's own
                       frame: a few of its sentences with the phrase pushed in, under subheadings
                       made of the phrase
``hidden_text``        adds a block hidden by CSS (or ``<noscript>``, or ``hidden``) holding links
                       to other sites with commercial anchors, or keyword text, in the page's body
                       or inside its main text (where an injected post body puts it)
``doorway``            replaces the article with scraped search results (headline links to other
                       sites or through the scraper's own redirect, each with a snippet, often a
                       displayed address (on its own line, beside the headline or opening the
                       snippet) or a date line between, one result layout and one way of
                       cutting snippets per page), or with a city doorway: one of many templated
                       "<keyword> in <town>" pages, 6-14 of the page's own sentences, half to all
                       with the keyword and town pushed in, or (half the pages in English, German,
                       French, Spanish, Dutch, Polish and Italian) the network's own copy about a
                       local trade in the town, and links to its sibling pages; either on a bare
                       template or (about 40 %) in the frame of the original site
``word_salad``         spins the main text (a third of its words swapped for other words of the
                       page) or stitches paragraphs of unrelated articles together
``autoblog``           re-hosts the whole article on another site with its original byline, a
                       credit line linking the outlet ("Source:", "Originally published at"...),
                       ad blocks around it and its own site name after the title; half keep the
                       outlet's canonical
``machine_filler``     leaves chatbot phrases in the text ("As an AI language model, ...",
                       "Certainly! Here is the rewritten article:") and generic filler paragraphs
``hacked_injection``   puts gambling, pharma, adult or loan terms into the title and meta tags and a
                       hidden block of links (in the body or inside the main text), in the page's own
                       script (Chinese terms on a Chinese page)
``link_spam``          appends a footer or sidebar of commercial anchors to many unrelated domains
``sneaky_redirect``    adds a meta refresh or a script that sends the reader to another site
=====================  ===========================================================================

Deterministic for a given seed and page key; every domain and keyword phrase is generated.
"""

from __future__ import annotations

import html as htmlmod
import random
import re
from collections.abc import Sequence
from urllib.parse import quote

import lxml.etree
import lxml.html

from . import _page, _text
from .farm import _SYLLABLES, _TLDS, FarmPage, PoolPage, _relink, _repoint, _xml_safe

SPAM_KINDS = (
    "keyword_stuffing",
    "hidden_text",
    "doorway",
    "word_salad",
    "autoblog",
    "machine_filler",
    "hacked_injection",
    "link_spam",
    "sneaky_redirect",
)

_PRODUCTS = (
    "cheap flights", "best vpn", "payday loans", "car insurance", "weight loss pills", "seo services",
    "essay writing service", "buy instagram followers", "replica watches", "online casino", "cbd oil",
    "plumber near me", "locksmith", "crypto trading bot", "dating site", "cheap hotels", "forex signals",
    "roof repair", "personal injury lawyer", "garage doors", "water damage restoration", "movers",
)  # fmt: skip
_CITIES = (
    "London", "Paris", "Berlin", "Madrid", "Chicago", "Houston", "Phoenix", "Dallas", "Austin", "Boston",
    "Seattle", "Denver", "Miami", "Atlanta", "Toronto", "Sydney", "Dublin", "Manchester", "Leeds", "Lyon",
    "Munich", "Hamburg", "Warsaw", "Krakow", "Prague", "Vienna", "Milan", "Rome", "Lisbon", "Porto",
)  # fmt: skip
_CJK_RUN_RE = re.compile(f"{_text.CJK_RE.pattern}+")
#: Made-up place names for city doorways (besides :data:`_CITIES`): a doorway network has a page
#: for every town and suburb around.
_TOWN_ENDINGS = ("ton", "ville", "burg", "field", "ford", "dorf", "heim", "ia", "ow", "ice", "ona", "stad")
#: A local-service doorway network's own copy, per language: the trades it sells, and stock
#: sentences with the trade (``{kw}``) and the town (``{town}``) in their slots. Written for this
#: project; a network writes one set and stamps out a page per town.
_SERVICE_TRADES = {
    "en": ("locksmith", "emergency plumber", "roofer", "pest control", "dentist", "removals company",
           "electrician", "carpet cleaning", "boiler repair", "driving school"),
    "de": ("Schlüsseldienst", "Rohrreinigung", "Dachdecker", "Kammerjäger", "Zahnarzt", "Umzugsfirma",
           "Elektriker", "Teppichreinigung", "Heizungsnotdienst", "Fahrschule"),
    "fr": ("serrurier", "plombier", "couvreur", "dératisation", "dentiste", "déménageur", "électricien",
           "nettoyage de tapis", "dépannage chaudière", "auto-école"),
    "es": ("cerrajero", "fontanero", "reparación de tejados", "control de plagas", "dentista", "mudanzas",
           "electricista", "limpieza de alfombras", "reparación de calderas", "autoescuela"),
    "nl": ("slotenmaker", "loodgieter", "dakdekker", "ongediertebestrijding", "tandarts", "verhuisbedrijf",
           "elektricien", "tapijtreiniging", "cv-ketel reparatie", "rijschool"),
    "pl": ("ślusarz", "hydraulik", "dekarz", "deratyzacja", "dentysta", "przeprowadzki", "elektryk",
           "pranie dywanów", "serwis kotłów", "szkoła jazdy"),
    "it": ("fabbro", "idraulico", "riparazione tetti", "disinfestazione", "dentista", "traslochi",
           "elettricista", "pulizia tappeti", "assistenza caldaie", "autoscuola"),
}  # fmt: skip
_SERVICE_COPY = {
    "en": (
        "Looking for a reliable {kw} in {town}?",
        "Our {kw} {town} team is available 24 hours a day, 7 days a week.",
        "We cover all of {town} and the villages around {town}.",
        "Every {kw} we send in {town} is fully insured and checked.",
        "Call now for a free {kw} quote in {town}.",
        "Customers across {town} choose us because we are the best {kw} in {town}.",
        "No call-out charge anywhere in {town}.",
        "Whether you live in the centre of {town} or on the edge of {town}, our {kw} will be with you fast.",
        "Cheap {kw} {town} with fixed prices and no hidden fees.",
        "Need an urgent {kw} in {town} today?",
        "Our local {kw} knows {town} inside out.",
        "Book your {town} {kw} online in two minutes.",
        "We have been the trusted {kw} for {town} families and businesses for over 15 years.",
        "All our {kw} work in {town} comes with a 12-month guarantee.",
        "Our {town} {kw} prices are clear: you know the cost before we start.",
        "Landlords and letting agents in {town} use our {kw} every week.",
        "From small jobs to big projects, no {kw} job in {town} is too small for us.",
        "Read what our {town} customers say about our {kw} service.",
        "We are proud to be rated the number one {kw} in {town}.",
        "Our vans are stocked so most {kw} jobs in {town} are finished on the first visit.",
        "Pay by card, cash or bank transfer after your {kw} job in {town} is done.",
        "Get in touch with your local {kw} in {town} by phone, email or the form below.",
    ),
    "de": (
        "Sie suchen einen zuverlässigen {kw} in {town}?",
        "Unser {kw} {town} ist rund um die Uhr für Sie erreichbar.",
        "Wir sind in ganz {town} und im Umland von {town} im Einsatz.",
        "Jeder {kw} in {town} arbeitet bei uns zum Festpreis.",
        "Rufen Sie jetzt an und erhalten Sie ein kostenloses Angebot für {kw} in {town}.",
        "Kunden aus {town} vertrauen auf den günstigen {kw} {town}.",
        "Keine Anfahrtskosten in {town}.",
        "Ob in der Innenstadt von {town} oder am Stadtrand von {town}: Ihr {kw} ist in 30 Minuten da.",
        "Günstiger {kw} {town} ohne versteckte Kosten.",
        "Sie brauchen heute noch einen {kw} in {town}?",
        "Ihr {kw} aus {town} kennt jede Straße in {town}.",
        "{kw} {town}: schnell, sauber und fair.",
        "Seit über 15 Jahren ist unser {kw} für Familien und Betriebe in {town} da.",
        "Auf jede Arbeit unseres {kw} in {town} geben wir 12 Monate Garantie.",
        "Bei unserem {kw} in {town} kennen Sie den Preis vor dem Auftrag.",
        "Vermieter und Hausverwaltungen in {town} setzen jede Woche auf unseren {kw}.",
        "Kein Auftrag in {town} ist unserem {kw} zu klein.",
        "Lesen Sie, was Kunden aus {town} über unseren {kw} sagen.",
        "Wir sind stolz, der bestbewertete {kw} in {town} zu sein.",
        "Unsere Wagen sind so ausgestattet, dass Ihr {kw} in {town} meist beim ersten Besuch fertig wird.",
        "Bezahlen Sie Ihren {kw} in {town} bequem mit Karte, bar oder per Überweisung.",
        "Erreichen Sie Ihren {kw} in {town} per Telefon, E-Mail oder über das Formular.",
    ),
    "fr": (
        "Vous cherchez un {kw} fiable à {town} ?",
        "Notre {kw} {town} intervient 24h/24 et 7j/7.",
        "Nous couvrons tout {town} et les communes autour de {town}.",
        "Chaque {kw} à {town} travaille au prix fixe annoncé.",
        "Appelez maintenant pour un devis gratuit de {kw} à {town}.",
        "Les habitants de {town} choisissent le meilleur {kw} de {town}.",
        "Aucun frais de déplacement à {town}.",
        "Au centre de {town} comme en périphérie de {town}, votre {kw} arrive en 30 minutes.",
        "{kw} pas cher {town}, sans frais cachés.",
        "Besoin d'un {kw} à {town} aujourd'hui ?",
        "Votre {kw} de {town} connaît chaque rue de {town}.",
        "{kw} {town} : rapide, propre et honnête.",
    ),
    "es": (
        "¿Busca un {kw} de confianza en {town}?",
        "Nuestro servicio de {kw} en {town} atiende las 24 horas, los 7 días de la semana.",
        "Cubrimos todo {town} y los pueblos cercanos a {town}.",
        "Cada {kw} en {town} trabaja con precio cerrado.",
        "Llame ahora y pida presupuesto gratis de {kw} en {town}.",
        "Los vecinos de {town} eligen el mejor {kw} de {town}.",
        "Sin gastos de desplazamiento en {town}.",
        "Tanto en el centro de {town} como en las afueras de {town}, su {kw} llega en 30 minutos.",
        "{kw} barato en {town} sin costes ocultos.",
        "¿Necesita un {kw} en {town} hoy mismo?",
        "Su {kw} de {town} conoce cada calle de {town}.",
        "{kw} {town}: rápido, limpio y honrado.",
    ),
    "nl": (
        "Op zoek naar een betrouwbare {kw} in {town}?",
        "Onze {kw} {town} is dag en nacht bereikbaar.",
        "Wij werken in heel {town} en de dorpen rond {town}.",
        "Elke {kw} in {town} werkt bij ons voor een vaste prijs.",
        "Bel nu voor een gratis offerte voor {kw} in {town}.",
        "Klanten uit {town} kiezen voor de beste {kw} van {town}.",
        "Geen voorrijkosten in {town}.",
        "Of u nu in het centrum van {town} woont of aan de rand van {town}, uw {kw} is er binnen 30 minuten.",
        "Goedkope {kw} {town} zonder verborgen kosten.",
        "Vandaag nog een {kw} in {town} nodig?",
        "Uw {kw} uit {town} kent elke straat in {town}.",
        "{kw} {town}: snel, netjes en eerlijk.",
    ),
    "pl": (
        "Szukasz sprawdzonej firmy: {kw} {town}?",
        "Nasz serwis {kw} {town} działa całą dobę, 7 dni w tygodniu.",
        "Obsługujemy całe miasto {town} i okolice.",
        "Usługa {kw} w {town} zawsze w stałej cenie.",
        "Zadzwoń teraz po bezpłatną wycenę: {kw} {town}.",
        "Mieszkańcy {town} wybierają najlepszą usługę {kw} w {town}.",
        "Bez opłat za dojazd na terenie {town}.",
        "W centrum i na obrzeżach {town} nasz {kw} jest na miejscu w 30 minut.",
        "Tani {kw} {town} bez ukrytych kosztów.",
        "Potrzebujesz dziś usługi {kw} w {town}?",
        "{kw} {town}: szybko, czysto i uczciwie.",
    ),
    "it": (
        "Cerchi un {kw} affidabile a {town}?",
        "Il nostro servizio di {kw} a {town} è attivo 24 ore su 24.",
        "Copriamo tutta {town} e i comuni intorno a {town}.",
        "Ogni intervento di {kw} a {town} ha un prezzo fisso.",
        "Chiama ora per un preventivo gratuito di {kw} a {town}.",
        "Chi vive a {town} sceglie il miglior {kw} di {town}.",
        "Nessun costo di uscita a {town}.",
        "In centro a {town} come in periferia, il tuo {kw} arriva in 30 minuti.",
        "{kw} economico a {town} senza costi nascosti.",
        "Ti serve un {kw} a {town} oggi stesso?",
        "{kw} {town}: veloce, pulito e onesto.",
    ),
}
#: The jobs such a page lists, each with the town after it ("Lock changes {town} - ...").
_SERVICE_ITEMS = {
    "en": ("Emergency call-outs", "Same-day repairs", "Free quotes", "Weekend and night service",
           "Commercial jobs", "Domestic jobs", "Repairs and replacements", "Insurance work"),
    "de": ("Notdienst", "Reparatur am selben Tag", "Kostenloses Angebot", "Wochenend- und Nachtdienst",
           "Gewerbekunden", "Privatkunden", "Reparatur und Austausch", "Versicherungsschäden"),
    "fr": ("Dépannage urgent", "Réparation le jour même", "Devis gratuit", "Service de nuit et week-end",
           "Professionnels", "Particuliers", "Réparation et remplacement", "Sinistres assurance"),
    "es": ("Urgencias", "Reparación en el día", "Presupuesto gratis", "Servicio de noche y fin de semana",
           "Empresas", "Particulares", "Reparación y sustitución", "Siniestros de seguro"),
    "nl": ("Spoedservice", "Reparatie dezelfde dag", "Gratis offerte", "Nacht- en weekendservice",
           "Zakelijke klanten", "Particulieren", "Reparatie en vervanging", "Verzekeringsschade"),
    "pl": ("Pogotowie", "Naprawa tego samego dnia", "Darmowa wycena", "Serwis nocny i weekendowy",
           "Klienci biznesowi", "Klienci prywatni", "Naprawa i wymiana", "Szkody z ubezpieczenia"),
    "it": ("Pronto intervento", "Riparazione in giornata", "Preventivo gratuito", "Servizio notturno e festivo",
           "Aziende", "Privati", "Riparazione e sostituzione", "Sinistri assicurativi"),
}  # fmt: skip
#: Kinds made on the spammer's own site from a borrowed page (the others are an honest site
#: hacked at its own address, or an autoblog, which decides for itself).
_OWN_SITE_KINDS = frozenset({"keyword_stuffing", "doorway", "word_salad", "machine_filler"})


def _site_name(url: str) -> str:
    """The name a site's domain spells ("best-loans-now.com" -> "Best Loans Now")."""
    label = _text.registrable_domain(url).split(".")[0]
    return " ".join(w for w in re.split(r"[-_]", label) if w).title() or "News"


#: A search engine's tabs, and the questions of its "People also ask" box (after the query).
_TABS = ("All", "Images", "Videos", "News", "Shopping")
_ASK = ("worth it", "near me", "cost", "for beginners", "vs alternatives", "reviews", "how long does it last", "safe")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HIDE_STYLES = (
    "display:none",
    "display: none;",
    "visibility:hidden",
    "position:absolute;left:-9999px;top:-9999px",
    "font-size:0px",
    "text-indent:-5000px;overflow:hidden",
    "opacity:0;height:0;overflow:hidden",
)
_FILLER_EN = (
    "As an AI language model, I cannot browse the internet, but here is an article on this topic.",
    "Certainly! Here is the rewritten article:",
    "I hope this helps! Let me know if you need anything else.",
    "I'm sorry, but as an AI language model I cannot fulfill this request.",
    "Regenerate response",
    "As of my last knowledge update, this information may have changed.",
    "Here is a revised version of the text:",
)
_FILLER_LOCAL = {
    "de": "Als KI-Sprachmodell kann ich keine aktuellen Informationen abrufen.",
    "es": "Como modelo de lenguaje, no puedo acceder a información en tiempo real.",
    "fr": "En tant que modèle de langage, je ne peux pas accéder à Internet.",
    "pl": "Jako model językowy nie mam dostępu do internetu.",
    "zh": "作为一个人工智能语言模型，我无法访问互联网。",
    "ja": "AI言語モデルとして、私はインターネットにアクセスできません。",
}
_GENERIC = (
    "In conclusion, this topic is very important for everyone and there are many things to consider.",
    "There are many benefits and also some drawbacks, so it is important to do your research.",
    "Overall, it is clear that this is a fascinating subject with a lot of potential for the future.",
    "Whether you are a beginner or an expert, these tips will help you get the most out of it.",
)
_HACK_TERMS = {
    "en": ("online casino", "slot online", "baccarat", "sports betting", "buy viagra", "cialis online",
           "payday loans", "porn videos", "xxx", "jackpot", "roulette", "poker online"),
    "zh": ("百家乐", "娱乐城", "博彩", "六合彩", "时时彩", "体育投注", "真人视讯", "威尼斯人", "葡京", "赌场",
           "老虎机"),
    "ja": ("オンラインカジノ", "カジノ", "アダルト", "出会い系"),
    "id": ("slot gacor", "situs slot", "judi online", "togel", "judi bola"),
    "de": ("Online-Casino", "Sportwetten", "Glücksspiel", "Viagra kaufen"),
    "es": ("casino en línea", "apuestas deportivas", "tragamonedas"),
    "fr": ("casino en ligne", "paris sportifs"),
    "pl": ("kasyno", "zakłady bukmacherskie"),
    "ru": ("казино", "ставки на спорт", "займы онлайн"),
}  # fmt: skip


class SpamSimulator:
    """Make spam pages of the kinds in :data:`SPAM_KINDS` from honest pages. Deterministic per seed."""

    def __init__(self, pool: Sequence[PoolPage], *, seed: int = 0) -> None:
        if len(pool) < 20:
            raise ValueError("the simulator needs a pool of at least 20 pages to draw from")
        self.pool = list(pool)
        self.snippets = [p for p in self.pool if len(p.snippet) >= 120]
        self.seed = seed
        self._snippet_words: list[frozenset[str]] | None = None

    def _topical_results(self, rng: random.Random, n: int) -> tuple[str, list[PoolPage]]:
        """A query and n pool pages that answer it: a scrape copies one query's results, which share
        its words, not a random draw of headlines. The query is two or three long words of a seed
        page's headline; the results are picked among the 3n pages whose headline and snippet
        share the most words with the seed's."""
        if self._snippet_words is None:
            self._snippet_words = [
                frozenset(w.lower() for w in _text.words(f"{p.headline} {p.snippet}") if len(w) >= 4)
                for p in self.snippets
            ]
        words = self._snippet_words
        k = rng.randrange(len(self.snippets))
        near = sorted(range(len(self.snippets)), key=lambda i: (-len(words[k] & words[i]), rng.random()))[: 3 * n]
        picked = [self.snippets[i] for i in rng.sample(near, min(n, len(near)))]
        # Longest first; words of one length in the headline's order (a set's order would change
        # with the process's hash seed, and the page with it).
        heads = dict.fromkeys(w for w in _text.words(self.snippets[k].headline) if len(w) >= 4)
        long_words = sorted(heads, key=len, reverse=True)
        query = " ".join(long_words[: rng.randint(2, 3)]).lower() or self.keyword(rng)
        return query, picked

    def domain(self, rng: random.Random) -> str:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        return f"{w}{rng.choice(('', '-shop', '-online', '24', 'hub', '-best', 'pro'))}{rng.choice(_TLDS)}"

    def keyword(self, rng: random.Random) -> str:
        return rng.choice(_PRODUCTS)

    def page_keyword(self, page: _page.Page, rng: random.Random) -> str:
        """A keyword phrase of the page's own title, in its language and script: one or two
        neighbouring content words (lower-cased; German keeps its capitals and takes two), or two
        to four characters of CJK text; a commercial one when the title has none."""
        title = page.title or page.h1
        runs = [r for r in _CJK_RUN_RE.findall(title) if len(r) >= 2]
        if runs:
            run = rng.choice(runs)
            n = min(len(run), rng.randint(2, 4))
            start = rng.randrange(len(run) - n + 1)
            return run[start : start + n]
        stop = _text.stopwords(page.lang) or _text.stopwords("en")
        words = [w for w in _text.WORD_RE.findall(title) if len(w) >= 3 and w.lower() not in stop]
        if not words:
            return self.keyword(rng)
        k = rng.randrange(len(words))
        return " ".join(words[k : k + rng.randint(1, 2)]).lower() if page.lang != "de" else " ".join(words[k : k + 2])

    def _place_hidden(self, page: _page.Page, rng: random.Random, block: lxml.etree._Element) -> None:
        """Put a hidden block in the page: at the body's level, or inside the main text after one
        of its paragraphs (where a hack that edits the post's body puts it)."""
        els = self._main_elements(page)
        body = page.root.find("body")
        if els and rng.random() < 0.4:
            rng.choice(els).addnext(block)
        elif rng.random() < 0.5:
            body.append(block)
        else:
            body.insert(rng.randrange(len(body) + 1), block)

    def spam(self, html: str, *, url: str | None, key: str, kind: str | None = None) -> FarmPage | None:
        """A spam version of one honest page, or None when the page has too little main text."""
        rng = random.Random(f"{self.seed}/spam/{key}")
        kind = kind or rng.choice(SPAM_KINDS)
        if kind not in SPAM_KINDS:
            raise ValueError(f"unknown spam kind {kind!r}; known: {', '.join(SPAM_KINDS)}")
        page = _page.parse(html, url=url)
        if page.root is None or len(page.main) < 2 or page.root.find("body") is None:
            return None
        if not self._main_elements(page):  # main text only in <pre>, <section>...: nothing to edit
            return None
        spam_url = f"https://{self.domain(rng)}/{rng.choice(('p', 'page', 'post', 'a'))}/{rng.randint(100, 99999)}.html"
        page_url = url if kind in ("hidden_text", "hacked_injection", "link_spam", "sneaky_redirect") else spam_url
        if kind in _OWN_SITE_KINDS and rng.random() < 0.85:
            # Served from the spammer's own site, whose CMS names it and links its own pages; a
            # few keep the borrowed page's canonical, og:url, og:site_name and absolute links, as a
            # careless copy does.
            _repoint(page.root, spam_url, _site_name(spam_url))
            _relink(page.root, page.own_domain)
        out = getattr(self, f"_{kind}")(page, rng, page_url)
        if out is None:
            return None
        return FarmPage(out, page_url if rng.random() < 0.85 else None, 1, (kind,), "inplace", "")

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _html(root: lxml.etree._Element) -> str:
        return lxml.etree.tostring(root, method="html", encoding=str, doctype="<!DOCTYPE html>")

    @staticmethod
    def _head(root: lxml.etree._Element) -> lxml.etree._Element:
        head = root.find("head")
        if head is None:
            head = lxml.etree.Element("head")
            root.insert(0, head)
        return head

    @staticmethod
    def _set_meta(root: lxml.etree._Element, name: str, content: str) -> None:
        head = SpamSimulator._head(root)
        meta = next((m for m in head.iter("meta") if (m.get("name") or "").lower() == name), None)
        if meta is None:
            meta = lxml.etree.SubElement(head, "meta", {"name": name})
        meta.set("content", _xml_safe(content))

    @staticmethod
    def _set_title(root: lxml.etree._Element, text: str) -> None:
        head = SpamSimulator._head(root)
        title = head.find("title")
        if title is None:
            title = lxml.etree.SubElement(head, "title")
        title.text = _xml_safe(text)

    def _anchor_block(
        self, rng: random.Random, anchors: Sequence[str], n: int, tag: str = "div"
    ) -> lxml.etree._Element:
        box = lxml.etree.Element(tag)
        ul = lxml.etree.SubElement(box, "ul") if rng.random() < 0.6 else box
        for _ in range(n):
            li = lxml.etree.SubElement(ul, "li") if ul is not box else box
            a = lxml.etree.SubElement(li, "a", {"href": f"https://{self.domain(rng)}/"})
            a.text = _xml_safe(rng.choice(anchors))
            a.tail = " "
        return box

    @staticmethod
    def _in_chrome(page: _page.Page, title: str, h1: str, content: str) -> str | None:
        """The page's own header, navigation, sidebars and footer around new main content (and a
        new title and h1): scrapers and doorway networks run on ordinary CMS themes, not only on
        bare templates, so the page's frame must not tell them apart."""
        # Each main element's first place in reading order (several blocks may share one element).
        order = {b.el: i for i, b in reversed(list(enumerate(page.main))) if b.el is not None}
        main = {el for el in order if el.tag not in ("body", "html")}
        # The outermost main elements only: a paragraph inside a main <div> goes with it.
        els = sorted((el for el in main if not any(a in main for a in el.iterancestors())), key=order.__getitem__)
        if not els or els[0].getparent() is None:
            return None
        holder = lxml.html.fragment_fromstring(content, create_parent="div")
        holder.set("class", "content")
        els[0].addprevious(holder)
        for el in els:
            parent = el.getparent()
            if parent is not None:  # (the root of a page without <html>: it holds the rest)
                parent.remove(el)
        root = page.root
        SpamSimulator._set_title(root, title)
        old_h1 = next(root.iter("h1"), None)
        new_h1 = lxml.etree.Element("h1")
        new_h1.text = _xml_safe(h1)
        if old_h1 is not None and old_h1.getparent() is not None:
            old_h1.getparent().replace(old_h1, new_h1)
        else:
            holder.insert(0, new_h1)
        return SpamSimulator._html(root)

    @staticmethod
    def _main_elements(page: _page.Page) -> list[lxml.etree._Element]:
        return [b.el for b in page.main if b.tag in ("p", "div", "li", "blockquote", "td")]

    # --- kinds -----------------------------------------------------------------------------
    def _keyword_stuffing(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        root = page.root
        kw = self.page_keyword(page, rng) if rng.random() < 0.5 else self.keyword(rng)
        city = rng.choice(_CITIES)
        kw_t = kw.title()
        self._set_title(
            root,
            rng.choice(
                (
                    f"{kw_t} | Best {kw_t} {city} | Cheap {kw_t}",
                    f"{kw_t} {city} - {kw_t}",
                    f"Best {kw_t} in {city}: {kw_t} Deals, Cheap {kw_t}",
                    f"{kw_t}, {kw_t} {city}, {kw_t} Near Me",
                )
            ),
        )
        if rng.random() < 0.6:  # not every stuffer writes meta keywords, nor the same number
            cities = rng.sample(_CITIES, rng.randint(2, 20))
            variants = [f"{kw} {c}" for c in cities] + [f"best {kw}", f"cheap {kw}", f"{kw} near me"]
            self._set_meta(root, "keywords", ", ".join(variants))
        if rng.random() < 0.6:
            self._set_meta(root, "description", f"{kw_t} {city}. Best {kw} and cheap {kw}. {kw_t} near me.")
        for img in list(root.iter("img"))[:20]:
            img.set("alt", f"{kw} {city}")
        h1 = next(root.iter("h1"), None)
        if h1 is not None:
            for c in list(h1):
                h1.remove(c)
            h1.text = f"{kw_t} {city}"
        els = self._main_elements(page)
        if not els:
            return None
        if rng.random() < 0.45:
            thin = self._thin_stuffed(page, rng, kw, city)
            if thin is not None:
                return thin
        done = 0
        if rng.random() < 0.8:  # a paragraph that repeats the phrase
            p = lxml.etree.Element("p")
            p.text = " ".join(
                rng.choice((f"Looking for {kw} in {city}?", f"Our {kw} is the best {kw}.", f"Cheap {kw} {city}."))
                for _ in range(rng.randint(6, 14))
            )
            els[rng.randrange(len(els))].addnext(p)
            done += 1
        if rng.random() < 0.7 or not done:  # a bare list of terms
            p = lxml.etree.Element("p")
            p.text = ", ".join(f"{kw} {c}" for c in rng.sample(_CITIES, rng.randint(14, 26)))
            els[-1].addnext(p)
        for el in rng.sample(els, min(len(els), 4)):  # the phrase pushed into sentences
            if el.text and len(el.text) > 40:
                el.text = _xml_safe(el.text) + f" {kw_t} {city}."
        return self._html(root)

    def _thin_stuffed(self, page: _page.Page, rng: random.Random, kw: str, city: str) -> str | None:
        """A thin stuffed page instead of the article: a few of its sentences, the keyword
        phrase pushed into most of them (up to three times), subheadings made of the phrase and, on
        English pages, the stuffer's own stock sentences. The keyword ends up a tenth to a
        quarter of the words."""
        sents = [s for b in page.main[:40] for _, s in _text.sentences(b.text) if 30 <= len(s) <= 300]
        if len(sents) < 3:
            return None
        kw_t = kw.title()
        stock = (
            f"Looking for the best {kw} in {city}?",
            f"Our {kw} is the best {kw} you can find.",
            f"Cheap {kw} {city}: compare {kw} deals today.",
            f"Why choose our {kw}? Because {kw} is all we do.",
            f"Get {kw} near me now.",
        )
        english = page.lang in ("en", "und")
        esc = htmlmod.escape
        parts = []
        for _ in range(rng.randint(3, 6)):
            if rng.random() < 0.7:
                parts.append(f"<h2>{esc(rng.choice((kw_t, f'Best {kw_t}', f'{kw_t} {city}', f'Cheap {kw_t}')))}</h2>")
            lines = []
            for sent in rng.sample(sents, min(len(sents), rng.randint(2, 4))):
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    sent = f"{kw_t}: {sent}" if rng.random() < 0.5 else f"{sent.rstrip('.')} {kw}."
                lines.append(sent)
            if english:
                lines.extend(rng.sample(stock, rng.randint(1, 3)))
            rng.shuffle(lines)
            parts.append(f"<p>{esc(' '.join(lines))}</p>")
        title = next(page.root.iter("title"), None)
        return self._in_chrome(
            page, (title.text or kw_t) if title is not None else kw_t, f"{kw_t} {city}", "".join(parts)
        )

    def _hidden_text(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        root = page.root
        kw = self.keyword(rng)
        anchors = [f"{rng.choice(('buy', 'cheap', 'best', 'top'))} {self.keyword(rng)}" for _ in range(8)]
        if rng.random() < 0.7:
            block = self._anchor_block(rng, anchors, rng.randint(5, 40))
        else:
            block = lxml.etree.Element("div")
            p = lxml.etree.SubElement(block, "p")
            p.text = " ".join(f"{kw} {c}" for c in rng.sample(_CITIES, rng.randint(10, 25)))
        how = rng.random()
        if how < 0.15:
            holder = lxml.etree.Element("noscript")
            holder.append(block)
            block = holder
        elif how < 0.3:
            block.set("hidden", "")
        else:
            block.set("style", rng.choice(_HIDE_STYLES))
        self._place_hidden(page, rng, block)
        return self._html(root)

    def _doorway(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        if rng.random() < 0.5:
            return self._city_doorway(page, rng)
        return self._result_scrape(page, rng)

    def _result_scrape(self, page: _page.Page, rng: random.Random) -> str | None:
        """Scraped search results: each a headline link to another site (or through the scraper's
        own redirect), often a displayed address and a date, then a snippet, in one of several
        result layouts, on a bare template or in the frame of an ordinary site."""
        if len(self.snippets) < 10:
            return None
        kw, picked = self._topical_results(rng, rng.randint(8, 20))
        city = rng.choice(_CITIES)
        esc = htmlmod.escape
        head_tag = rng.choice(("h3", "h2", "div", "span"))
        box_tag = rng.choice(("div", "li", "article"))
        # One scraper, one template: the link form and the snippet cut are the same on every result.
        link_form = rng.choices(("direct", "go", "out"), weights=(6, 2, 2))[0]
        show_url = link_form == "go" or rng.random() < 0.6
        # Where the address shows: on its own line under the headline, beside the headline on one
        # line (after a rank: "#3"), or opening the snippet.
        url_at = rng.choices(("below", "beside", "snippet"), weights=(2, 1, 1))[0]
        rank_form = rng.choice(("", "#{} ", "{}. "))
        show_date = rng.random() < 0.3
        cut = rng.random()
        tail_mark = rng.choice(("...", "…", " ..."))
        # How a redirect carries its target: as written, percent-encoded, or without the scheme.
        target_form = rng.choice(("plain", "encoded", "bare"))
        kw_in_snippet = rng.choice((0.3, 0.6, 0.8))
        results = []
        for n, p in enumerate(picked):
            words = p.snippet.split()
            start = rng.randrange(max(1, len(words) - 40))
            snip_words = words[start : start + rng.randint(18, 45)]
            # A search engine answers with pages and passages that hold the query's words.
            headline = p.headline
            if rng.random() < 0.7:
                headline = rng.choice(
                    (f"{kw.title()}: {headline}", f"{headline} - {kw.title()}", f"{kw.title()} {headline}")
                )
            if rng.random() < kw_in_snippet:
                snip_words.insert(rng.randrange(len(snip_words) + 1), kw)
            snip = " ".join(snip_words)
            path = rng.choice((str(rng.randint(1000, 99999)), "-".join(w.lower() for w in p.headline.split()[:5])))
            target = f"https://{p.domain}/{path}"
            if link_form == "go":
                href = f"/{rng.choice(('go', 'out', 'visit'))}/{rng.randint(100, 99999) + n}"
            elif link_form == "out":
                forms = {"plain": target, "encoded": quote(target, safe=""), "bare": f"{p.domain}/{path}"}
                param = rng.choice(("url", "u", "to"))
                href = f"/{rng.choice(('out', 'r', 'redirect', 'go'))}?{param}={forms[target_form]}"
            else:
                href = target
            shown = rng.choice((f"{p.domain} › {path[:40]}", f"https://www.{p.domain}", f"www.{p.domain}", p.domain))
            if url_at == "snippet" and shown == p.domain:  # a bare domain opening a sentence is no address
                shown = f"www.{p.domain}"
            beside = f' <span class="url">{esc(shown)}</span>' if show_url and url_at == "beside" else ""
            rank = f'<span class="rank">{rank_form.format(n + 1)}</span>' if beside and rank_form else ""
            parts = [f'<{head_tag} class="title">{rank}<a href="{esc(href)}">{esc(headline)}</a>{beside}</{head_tag}>']
            if show_url and url_at == "below":
                parts.append(f'<div class="url">{esc(shown)}</div>')
            if show_date:
                day = f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(2015, 2025)}"
                parts.append(f'<div class="date">{day}</div>')
            if cut < 0.7:  # the search engine's cut snippets, kept as they came
                lead, tail = ("... " if rng.random() < 0.3 else ""), tail_mark
            elif cut < 0.85:
                lead, tail = "", ""
            else:
                lead, tail = rng.choice(("", "... ", "… ")), rng.choice(("...", "…", ""))
            opening = f'<span class="url">{esc(shown)}</span> ' if show_url and url_at == "snippet" else ""
            parts.append(f"<p>{opening}{lead}{esc(snip)}{tail}</p>")
            results.append(f'<{box_tag} class="result">{"".join(parts)}</{box_tag}>')
        shown_tail = tail_mark if cut < 0.7 else ""  # the ad and the answers are cut as the results are
        if rng.random() < 0.3:  # the engine's ad on top, scraped with the rest
            ad = rng.choice(self.snippets)
            ad_title = f"{kw.title()} {rng.choice(('- Official Site', 'Deals Today', 'From $19', '- Up to 60% Off'))}"
            ad_html = (
                f'<{box_tag} class="result ad">'
                f'<span class="label">{rng.choice(("Sponsored", "Ad"))} · {esc(ad.domain)}</span>'
                f'<{head_tag} class="title"><a href="https://{esc(ad.domain)}/?ref=ads">{esc(ad_title)}</a></{head_tag}>'
                f"<p>{esc(' '.join(ad.snippet.split()[:20]))}{shown_tail}</p></{box_tag}>"
            )
            results.insert(0, ad_html)
        if rng.random() < 0.4 and len(results) > 4:  # "People also ask": questions with cut answers
            qs = "".join(
                f'<div class="question"><div class="q">{esc(kw.capitalize())} {esc(q)}?</div>'
                f"<p>{esc(' '.join(a.snippet.split()[: rng.randint(12, 25)]))}{shown_tail}</p>"
                f'<div class="src">{esc(a.domain)}</div></div>'
                for q, a in zip(rng.sample(_ASK, rng.randint(2, 4)), rng.sample(self.snippets, 4), strict=False)
            )
            results.insert(rng.randint(2, 4), f'<div class="ask"><h3>People also ask</h3>{qs}</div>')
        wrap = "ol" if box_tag == "li" else "div"
        related = ""
        if rng.random() < 0.4:
            links = "".join(
                f'<a href="/search?q={esc(kw.replace(" ", "+"))}+{esc(c.lower())}">{esc(kw)} {esc(c)}</a> '
                for c in rng.sample(_CITIES, rng.randint(4, 8))
            )
            related = f'<div class="related"><h4>Related searches</h4>{links}</div>'
        title = rng.choice(
            (f"{kw.title()} - Top Results", f"{kw} | Search", f"Best {kw} {city}", f"{kw} {city}", f"{kw.title()} 2025")
        )
        h1 = rng.choice((kw.title(), f"{kw.title()} in {city}", f"Results for {kw}"))
        top = ""
        if rng.random() < 0.4:  # the engine's tabs and result count, scraped with the rest
            tabs = " ".join(f'<a href="/{t.lower()}?q={esc(kw.replace(" ", "+"))}">{t}</a>' for t in _TABS)
            count = f"{rng.randint(10, 9999):,},{rng.randint(100, 999)}"
            stats = f"About {count} results ({rng.randint(20, 90) / 100} seconds)"
            top = f'<div class="tabs">{tabs}</div><div class="stats">{stats}</div>'
        content = f'{top}<{wrap} class="results">{"".join(results)}</{wrap}>{related}'
        if rng.random() < 0.5:
            framed = self._in_chrome(page, title, h1, content)
            if framed is not None:
                return framed
        return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="description" content="{esc(kw)} {esc(city)}"></head><body>
<div class="top"><a href="/">Home</a> <a href="/search">Search</a></div>
<h1>{esc(h1)}</h1>{content}
<div class="footer"><a href="/{esc(kw.replace(" ", "-"))}-{esc(rng.choice(_CITIES).lower())}">{esc(kw)} nearby</a></div>
</body></html>"""

    def _town(self, rng: random.Random) -> str:
        if rng.random() < 0.4:
            return rng.choice(_CITIES)
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 2)))
        return (stem + rng.choice(_TOWN_ENDINGS)).title()

    def _city_doorway(self, page: _page.Page, rng: random.Random) -> str | None:
        """One of a network's templated "<keyword> in <town>" pages: 6-14 of the page's own
        sentences, half to all of them with the keyword and town pushed in (some pages also head
        each paragraph with them), or (half the pages in a language it has copy for) the network's
        own copy about a local trade in the town (:data:`_SERVICE_COPY`); and links to the sibling
        pages; on a bare template or in the frame of an ordinary site."""
        sents = [s for b in page.main[:40] for _, s in _text.sentences(b.text) if 40 <= len(s) <= 300]
        if len(sents) < 4:
            return None
        copy = _SERVICE_COPY.get(page.lang)
        if copy is not None and rng.random() < 0.5:  # a local trade's network, in its own words
            kw = rng.choice(_SERVICE_TRADES[page.lang])
        else:
            copy = None
            kw = self.page_keyword(page, rng) if rng.random() < 0.5 else self.keyword(rng)
        town = self._town(rng)
        esc = htmlmod.escape
        slug = re.sub(r"\W+", "-", kw.lower()).strip("-") or "service"
        lines = []
        job_list = ""
        if copy is not None:
            # The network's copy about the trade in the town, with a few borrowed sentences or none.
            for line in rng.sample(copy, rng.randint(7, len(copy))):
                line = line.format(kw=kw, town=town)
                lines.append(line[0].upper() + line[1:])
            for sent in rng.sample(sents, rng.choice((0, 0, 1, 2))):
                lines.insert(rng.randrange(len(lines) + 1), sent)
            # and the jobs it lists, each with the town and, on some pages, the trade
            jobs = rng.sample(_SERVICE_ITEMS[page.lang], rng.randint(4, 8))
            sep = rng.choice((" – ", " - ", ": "))
            job_list = "".join(
                f"<li>{esc(job)} {esc(town)}{esc(sep + kw) if rng.random() < 0.5 else ''}</li>" for job in jobs
            )
            picked: list[str] = []
        else:
            # A doorway's text is as long as an ordinary page's, but it names the keyword and the
            # town in sentence after sentence: the template's slots. How often differs between
            # networks.
            picked = rng.sample(sents, min(len(sents), rng.randint(6, 14)))
        slot_rate = rng.uniform(0.5, 1.0)
        for sent in picked:
            if rng.random() < slot_rate:
                for _ in range(rng.choice((1, 1, 2))):
                    slot = rng.choice((f"{kw} {town}", f"{kw} in {town}", f"{town} {kw}"))
                    sent = f"{slot}: {sent}" if rng.random() < 0.5 else f"{sent} {slot}."
            lines.append(sent)
        if copy is None and page.lang in ("en", "und") and rng.random() < 0.5:  # the network's stock lines
            stock = (
                f"Need {kw} in {town}? We are the {town} {kw} people trust.",
                f"Our {kw} team covers {town} and every street around {town}.",
                f"Call today for fast {kw} in {town}.",
                f"Looking for affordable {kw} near {town}?",
            )
            for line in rng.sample(stock, rng.randint(2, 4)):
                lines.insert(rng.randrange(len(lines) + 1), line)
        cuts = sorted(rng.sample(range(1, len(lines)), min(len(lines) - 1, rng.randint(2, 4))))
        headed = rng.random() < 0.35
        paras = []
        for a, b in zip([0, *cuts], [*cuts, len(lines)], strict=True):
            if headed:
                paras.append(f"<h2>{esc(rng.choice((f'{kw} {town}', f'{kw} in {town}', f'{town} {kw}')))}</h2>")
            paras.append(f"<p>{esc(' '.join(lines[a:b]))}</p>")
        towns = list(dict.fromkeys(self._town(rng) for _ in range(rng.randint(20, 60))))
        links = []
        for t in towns:
            anchor = rng.choice((f"{kw} {t}", f"{kw} in {t}")) if rng.random() < 0.8 else t
            href = f"/{slug}-{re.sub(r'[^a-z0-9]+', '-', t.lower())}/"
            links.append(f'<li><a href="{esc(href)}">{esc(anchor)}</a></li>')
        heading = rng.choice(("Areas we serve", "Nearby", "Other locations", "Service areas", "", town))
        head_html = f"<h3>{esc(heading)}</h3>" if heading else ""
        title = rng.choice((f"{kw} {town}", f"{kw} in {town} | {kw} {town}", f"{town} {kw} - {kw} near {town}"))
        areas = f'<div class="areas">{head_html}<ul>{"".join(links)}</ul></div>'
        if copy is not None:
            paras.insert(rng.randint(1, len(paras)), f"<ul>{job_list}</ul>")
        if rng.random() < 0.4:
            framed = self._in_chrome(page, title, f"{kw} {town}", "".join(paras) + areas)
            if framed is not None:
                return framed
        lang = page.lang if page.lang != "und" else "en"
        return f"""<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="description" content="{esc(kw)} {esc(town)}"></head><body>
<div class="top"><a href="/">Home</a> <a href="/contact">Contact</a></div>
<h1>{esc(kw)} {esc(town)}</h1>{"".join(paras)}
{areas}
<div class="footer">&copy; {esc(kw)}</div>
</body></html>"""

    def _word_salad(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        els = self._main_elements(page)
        if len(els) < 2:
            return None
        if rng.random() < 0.5 and len(self.snippets) >= 10:  # stitched paragraphs of unrelated articles
            for el in els:
                for c in list(el):
                    el.remove(c)
                el.text = _xml_safe(rng.choice(self.snippets).snippet)
        else:  # spun: a third of the words swapped for other words of the same page
            vocab = [w for w in _text.words(page.main_text[:50_000]) if len(w) >= 4]
            if len(vocab) < 50:
                return None
            for el in els:
                for node, attr in [(el, "text")] + [(c, "tail") for c in el]:
                    text = getattr(node, attr)
                    if not text:
                        continue
                    toks = text.split(" ")
                    for i, t in enumerate(toks):
                        if len(t) >= 4 and t.isalpha() and rng.random() < 0.35:
                            toks[i] = rng.choice(vocab).lower()
                    setattr(node, attr, _xml_safe(" ".join(toks)))
        return self._html(page.root)

    def _autoblog(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        """The whole article re-hosted by an autoblog: a credit line to the outlet it came from,
        ad blocks, and the autoblog's own name after the title (the name its domain spells, as
        any site's). Half keep the outlet's canonical and og:url, as a careless copy does; the
        others point them at the copy, as autoblog plugins do."""
        root = page.root
        body = root.find("body")
        els = self._main_elements(page)
        source = page.own_domain or rng.choice(self.pool).domain
        line = lxml.etree.Element("p", {"class": rng.choice(("source", "srcnote", "via", "credit"))})
        line.text = rng.choice(("Source: ", "Originally published at ", "This article first appeared on ", "Via "))
        a = lxml.etree.SubElement(line, "a", {"href": f"https://{source}/"})
        a.text = source
        els[-1].addnext(line)
        for i in range(rng.randint(2, 5)):
            ad = lxml.etree.Element("div", {"class": rng.choice(("ads", "adsbygoogle", "ad-slot", "sponsored"))})
            lxml.etree.SubElement(ad, "a", {"href": f"https://{self.domain(rng)}/?ref={i}"}).text = "Sponsored"
            body.insert(rng.randrange(len(body) + 1), ad)
        site = _site_name(url)
        title = next(root.iter("title"), None)
        if title is not None and title.text:
            title.text = _xml_safe(title.text) + rng.choice((" - ", " | ", " – ")) + site
        if rng.random() < 0.5:
            _repoint(root, url, site)
        return self._html(root)

    def _machine_filler(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        els = self._main_elements(page)
        lines = list(rng.sample(_FILLER_EN, rng.randint(1, 2)))
        if page.lang in _FILLER_LOCAL and rng.random() < 0.6:
            lines = [_FILLER_LOCAL[page.lang]]
        first = lxml.etree.Element("p")
        first.text = lines[0]
        els[0].addprevious(first)
        for extra in lines[1:]:
            p = lxml.etree.Element("p")
            p.text = extra
            els[-1].addnext(p)
        if rng.random() < 0.6:
            p = lxml.etree.Element("p")
            p.text = " ".join(rng.sample(_GENERIC, rng.randint(2, 4)))
            els[-1].addnext(p)
        return self._html(page.root)

    def _hacked_injection(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        root = page.root
        lang = page.lang if page.lang in _HACK_TERMS else "en"
        terms = rng.sample(_HACK_TERMS[lang], min(len(_HACK_TERMS[lang]), rng.randint(2, 5)))
        title = next(root.iter("title"), None)
        old = _xml_safe(title.text or "") if title is not None else ""
        sep = rng.choice(("", " ", "-", "|", "_", "，"))
        self._set_title(root, f"{sep.join(terms[:2])}{sep or ' '}{old}" if rng.random() < 0.6 else sep.join(terms))
        if rng.random() < 0.7:
            self._set_meta(root, "keywords", ",".join(terms))
        if rng.random() < 0.6:
            self._set_meta(root, "description", " ".join(terms) + " " + rng.choice(terms))
        if rng.random() < 0.7:
            block = self._anchor_block(rng, terms, rng.randint(5, 30))
            block.set("style", rng.choice(_HIDE_STYLES))
            self._place_hidden(page, rng, block)
        return self._html(root)

    def _link_spam(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        anchors = [f"{rng.choice(('buy', 'cheap', 'best', 'top', ''))} {self.keyword(rng)}".strip() for _ in range(12)]
        block = self._anchor_block(rng, anchors, rng.randint(8, 40), tag=rng.choice(("div", "footer", "aside")))
        block.set("class", rng.choice(("footer-links", "partners", "friends", "sidebar", "links", "blogroll")))
        if rng.random() < 0.5:
            head = lxml.etree.Element("h4")
            head.text = rng.choice(("Partners", "Friends", "Useful links", "Sponsors", "Links"))
            block.insert(0, head)
        root = page.root
        root.find("body").append(block)
        return self._html(root)

    def _sneaky_redirect(self, page: _page.Page, rng: random.Random, url: str) -> str | None:
        root = page.root
        target = f"https://{self.domain(rng)}/{rng.choice(('', 'go', 'offer', 'lp'))}"
        if rng.random() < 0.5:
            head = self._head(root)
            meta = lxml.etree.SubElement(head, "meta", {"http-equiv": rng.choice(("refresh", "Refresh"))})
            meta.set("content", f"{rng.choice((0, 0, 1, 2, 3))}; url={target}")
        else:
            script = lxml.etree.Element("script")
            script.text = rng.choice(
                (
                    f'window.location.href = "{target}";',
                    f"location.replace('{target}');",
                    f'if (document.referrer.indexOf("google") > -1) {{ window.location = "{target}"; }}',
                    f'setTimeout(function(){{ location.href="{target}"; }}, 1500);',
                )
            )
            holder = root.find("head") if rng.random() < 0.5 else root.find("body")
            (holder if holder is not None else root).append(script)
        return self._html(root)
