"""Benchmark: the Whoosh search index against SQLite FTS5 on the same generated French corpus.

    .venv/bin/python bench/search.py --articles 10000 [--articles 100000] [--procs 2] [--seed 7]
                                     [--queries 200]

For each corpus size: generates varied French articles (a Zipf-distributed vocabulary of real and
syllable-built words, 1 000-6 000 characters, dates over 2019-2026, publications, companies, chips and
French-formatted figures), builds the project's Whoosh index through `articles.search.index.build_index`
and runs one-word, two-word, phrase and filtered (company or chip + a word) queries through the project's
search function (20 results, highlighted sentences and facets, warm searcher). Then loads the same corpus
into SQLite FTS5 (`unicode61 remove_diacritics 2`) and runs the same queries (bm25, LIMIT 20, snippet(),
plus the total and the facet counts). Prints one table per corpus size with the Whoosh / FTS5 ratios.
Method: ../shared/research/whoosh.md section 5. Targets (issue 4): indexing >= 300 articles/s; p95 <= 30 ms
at 10 000 articles and <= 100 ms at 100 000. A benchmark, not a test: nothing here fails a build.
Documents are streamed (generated again for each pass), never held in memory all at once.
"""

import argparse
import math
import os
import platform
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# No Django settings and no database: these modules take plain data (see articles/search/index.py).
from articles.search.analysis import fold  # noqa: E402
from articles.search.documents import make_documents  # noqa: E402
from articles.search.index import build_index  # noqa: E402
from articles.search.query import Lookup, SearchRequest, search_index  # noqa: E402

PUBLICATIONS = [
    "Le Monde", "Les Echos", "Le Figaro", "Libération", "La Tribune", "Challenges", "L'Usine Nouvelle",
    "Le Monde Informatique", "LeMagIT", "01net", "Numerama", "Frandroid", "Clubic", "Les Numériques",
    "Journal du Net", "Siècle Digital", "ZDNet France", "Next", "Tom's Hardware France", "BFM Business",
    "Le Point", "L'Express", "Courrier international", "AFP", "Reuters France", "L'Informé",
]  # fmt: skip
COMPANIES = [
    "Nvidia", "Huawei", "ByteDance", "Alibaba", "Tencent", "Baidu", "DeepSeek", "AMD", "SMIC", "TSMC",
    "Intel", "Samsung", "SK Hynix", "Micron", "ASML", "Cambricon", "Biren", "Moore Threads", "Hygon",
    "Inspur", "Lenovo", "Xiaomi", "Qualcomm", "Broadcom", "Arm", "Apple", "Google", "Microsoft", "Meta",
    "Amazon", "OpenAI", "Anthropic", "Mistral AI", "Supermicro", "Dell", "Foxconn", "Wistron", "Quanta",
    "CXMT", "YMTC", "Hua Hong", "Naura", "AMEC", "Moonshot AI", "Zhipu", "iFlytek", "SenseTime", "Kuaishou",
    "Meituan", "JD.com", "China Mobile", "China Telecom", "Oracle", "CoreWeave", "Tokyo Electron",
    "Applied Materials", "Lam Research", "Horizon Robotics",
]  # fmt: skip
CHIPS = [
    "H20", "H100", "H200", "H800", "A800", "A100", "B200", "B30A", "GB200", "L20", "L40S", "RTX 4090 D",
    "RTX 5090 D", "Ascend 910B", "Ascend 910C", "Ascend 920", "MI308", "MI300X", "Kunlun P800", "Gaudi 3",
]  # fmt: skip
EVENT_TYPES = [
    "order", "purchase", "stockpile", "resale", "authorization", "restriction", "smuggling", "production",
    "dismantling",
]  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    "le la les des du de un une et à en pour dans sur avec par qui que au aux ce cette son sa ses leur "
    "leurs plus selon depuis entre sans sous après avant contre vers mais ou où dont ne pas se il elle ils "
    "elles on nous est sont a ont été être avoir fait très aussi tout tous même"
)
STOP = frozenset(FUNCTION_WORDS)
# A few hundred real words at the head of the Zipf ranking; thousands of syllable-built words form the tail.
REAL_WORDS = _words(
    "marché croissance semi-conducteurs restrictions exportation intelligence artificielle centres données "
    "modèles langage investisseurs régulateurs concurrence fabrication approvisionnement stratégie "
    "souveraineté technologique calcul infrastructure analystes demande offre licences sanctions capacité "
    "entreprises nationales chaîne valeur recherche développement entraînement inférence serveurs puces "
    "processeurs cartes graphiques usine usines gouvernement ministère commerce douanes contrebande "
    "autorités chinoises américaines européennes géants géant fournisseur fournisseurs clients commandes "
    "commande commandé commandées livraisons livré livrer stock stocks stockage revente prix hausse baisse "
    "trimestre semestre année annonce annoncé rapport source sources proche dossier accord contrat milliards "
    "millions dollars yuans euros budget dépenses bénéfice chiffre affaires résultats action bourse cotation "
    "valorisation levée fonds startup jeune pousse laboratoire université chercheurs ingénieurs talents "
    "réseau électricité énergie consommation refroidissement datacenter grappe nœud mémoire bande passante "
    "gravure nanomètres lithographie machine machines équipement équipements outil outils logiciel pilotes "
    "plateforme écosystème cloud location louer heures performances puissance efficacité rendement tests "
    "version variante bridée interdite autorisée contournement règle règles seuil seuils plafond "
    "washington pékin shanghai shenzhen hangzhou taïwan corée japon europe bruxelles paris frontière "
    "tensions guerre commerciale négociations sommet président ministre secrétaire département "
    "administration congrès sénateurs loi décret enquête amende procès juge tribunal plainte accusation "
    "importations droits tarifs taxe subventions aides plan national souverain autonomie indépendance "
    "production productivité rendements défauts tranches plaquettes wafers fonderie assemblage emballage "
    "test qualité sécurité vulnérabilité espionnage traçabilité localisation vérification contrôle "
    "surveillance détection inspection conformité utilisateurs usages applications assistant agents "
    "robots voitures autonomes téléphones smartphones ordinateurs portables consoles jeux vidéo joueurs "
    "communauté développeurs chercheuse directrice directeur patron fondateur dirigeants conseil "
    "administration actionnaires employés salariés recrutement licenciements grève syndicat été hiver "
    "printemps automne semaine mois jours heures prochaine dernier dernière premier première nouvelle "
    "nouveau nouveaux nouvelles grand grande grands grandes petit petite importants importante majeur "
    "majeure rapide rapidement fortement nettement largement probablement officiellement discrètement"
)
ONSETS = _words("b c d f g j l m n p r s t v ch br cr dr fr gr pl pr tr gn qu vr bl cl")
VOWELS = _words("a e i o u é è ou ai au eu oi an on in en ia")
SUFFIXES = _words("_ _ _ r l s tion ment eur ique ité age ais ée ier oire ance isme ette ard eux ine iste")
AMOUNTS = [
    "1 milliard de dollars", "700 millions de dollars", "2 milliards de yuans", "13,7 milliards de dollars",
    "300 millions d'euros", "environ 5 milliards de dollars", "12 000 dollars", "3,5 milliards d'euros",
]  # fmt: skip
QUANTITIES = [
    "100 000 puces", "400 000 puces", "70 000 processeurs", "1 600 cartes", "10 000 GPU", "5 000 serveurs",
]  # fmt: skip
TEMPLATES = [
    "{company} a commandé {quantity} {chip} auprès de {other} pour {amount}, selon {publication}.",
    "Selon une source proche du dossier, {company} aurait acquis {quantity} {chip} d'une valeur de {amount}.",
    "Les autorités ont autorisé {company} à acheter des puces {chip} de {other} en {year}.",
    "{company} avait déjà stocké pour {amount} de puces {chip}, d'après {publication}.",
    "Washington a restreint les exportations de {chip} vers la Chine en {year}.",
    "Le prix de la {chip} a grimpé de {percent} % en {year}, indique un distributeur.",
    "{other} prévoit de livrer {quantity} {chip} à {company} au {quarter} trimestre {year}.",
    "Les ventes de {company} ont progressé de {percent},{digit} % sur un an, à {amount}.",
]
QUARTERS = ["premier", "deuxième", "troisième", "quatrième"]


def syllable_words(rng: random.Random, count: int) -> list[str]:
    """Distinct French-looking words made of syllables and French suffixes."""
    words: set[str] = set(REAL_WORDS)
    made: list[str] = []
    while len(made) < count:
        stem = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 3)))
        word = stem + rng.choice(SUFFIXES).strip("_")
        if len(word) >= 4 and word not in words:
            words.add(word)
            made.append(word)
    return made


@dataclass
class Article:
    number: int
    title: str
    body: str
    publication: str
    published: date
    companies: list[str]
    chips: list[str]
    event_types: list[str]
    sentences: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text) in body


class Corpus:
    """A reproducible stream of varied French articles: iterate it as often as needed, same articles."""

    def __init__(self, size: int, seed: int):
        self.size, self.seed = size, seed
        rng = random.Random(seed)
        # The vocabulary grows with the archive (Heaps' law): about 25 000 types at 10 000 articles.
        made = syllable_words(rng, int(100 * size**0.6))
        head = REAL_WORDS + made[:150]
        rng.shuffle(head)  # real words dominate the frequent ranks; built words fill the long tail
        self.words = head + made[150:]
        # Zipf-Mandelbrot: no single content word takes more than about 1 % of the running text
        self.cumulative = list(_accumulate(1 / (rank + 20) ** 1.1 for rank in range(len(self.words))))
        self.company_weights = list(_accumulate(1 / (rank + 1) for rank in range(len(COMPANIES))))
        self.chip_weights = list(_accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(CHIPS))))

    def __iter__(self) -> Iterator[Article]:
        rng = random.Random(self.seed * 1_000_003 + 1)
        for number in range(self.size):
            yield self.article(rng, number)

    def article(self, rng: random.Random, number: int) -> Article:
        companies = _distinct(rng.choices(COMPANIES, cum_weights=self.company_weights, k=rng.randint(1, 4)))
        chips = _distinct(rng.choices(CHIPS, cum_weights=self.chip_weights, k=rng.randint(0, 3)))
        events = _distinct(rng.choices(EVENT_TYPES, k=rng.randint(0, 2)))
        topic = rng.sample(self.words, 6)  # what this article is about: repeated words, as in real copy
        published = date(2019, 1, 1) + timedelta(days=rng.randrange(8 * 365 + 2))
        target = rng.randint(1000, 6000)
        body, sentences, paragraph = "", [], 0
        while len(body) < target:
            if paragraph and rng.random() < 0.15:
                heading = self.words_line(rng, rng.randint(2, 5))
                sentences.append((len(body), len(body) + len(heading), heading))
                body += heading + "\n\n"
            for _ in range(rng.randint(2, 5)):
                text = self.sentence(rng, companies, chips, topic, published.year)
                start = len(body)
                body += text + " "
                sentences.append((start, start + len(text), text))
            body = body.rstrip() + "\n\n"
            paragraph += 1
        title = self.title(rng, companies, chips)
        publication = rng.choice(PUBLICATIONS)
        body = body.rstrip()
        return Article(number, title, body, publication, published, companies, chips, events, sentences)

    def content_words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def words_line(self, rng: random.Random, count: int) -> str:
        line = " ".join(self.content_words(rng, count))
        return line[0].upper() + line[1:]

    def title(self, rng: random.Random, companies: list[str], chips: list[str]) -> str:
        words = self.content_words(rng, rng.randint(3, 8))
        shape = rng.random()
        if shape < 0.4:
            return f"{companies[0]} : {' '.join(words)}"
        if shape < 0.6 and chips:
            return f"{' '.join(words).capitalize()} : les puces {chips[0]} en question"
        return " ".join(words).capitalize()

    def sentence(self, rng: random.Random, companies, chips, topic: list[str], year: int) -> str:
        if rng.random() < 0.2:
            return rng.choice(TEMPLATES).format(
                company=rng.choice(companies), other=rng.choice(COMPANIES), chip=rng.choice(chips or CHIPS),
                quantity=rng.choice(QUANTITIES), amount=rng.choice(AMOUNTS),
                publication=rng.choice(PUBLICATIONS),
                year=rng.randint(year - 2, year), percent=rng.randint(2, 90), digit=rng.randint(0, 9),
                quarter=rng.choice(QUARTERS),
            )  # fmt: skip
        length = rng.randint(8, 24)
        content = iter(self.content_words(rng, length))
        tokens = [
            rng.choice(FUNCTION_WORDS) if draw < 0.38 else rng.choice(topic) if draw < 0.46 else next(content)
            for draw in (rng.random() for _ in range(length))
        ]
        if rng.random() < 0.25:
            tokens.insert(rng.randrange(len(tokens)), f"{rng.randint(2, 999)} {rng.randint(0, 999):03d}")
        if rng.random() < 0.15:
            tokens.insert(rng.randrange(len(tokens)), rng.choice(companies))
        if rng.random() < 0.1:
            tokens.append(f"en {rng.randint(2015, 2026)}")
        text = " ".join(tokens)
        return text[0].upper() + text[1:] + rng.choice(".....!?")


def _accumulate(values) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _distinct(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Query:
    kind: str
    q: str  # what a reader types
    match: str  # the same query in FTS5 syntax
    company: str | None = None
    chip: str | None = None


KINDS = ("1 word", "2 words", "phrase", "filtered")
WORD = re.compile(r"[^\W\d_]{3,}")


def sample_queries(corpus: Corpus, per_kind: int, seed: int) -> tuple[dict[str, list[Query]], dict]:
    """One pass over the corpus: queries drawn from random articles' words, and the corpus statistics."""
    rng = random.Random(seed + 17)
    donors: dict[int, list[str]] = {}
    for kind in KINDS:
        for _ in range(per_kind + 5):  # 5 per kind for the warm-up
            donors.setdefault(rng.randrange(corpus.size), []).append(kind)
    queries: dict[str, list[Query]] = {kind: [] for kind in KINDS}
    types: set[str] = set()
    characters = sentences = 0
    for article in corpus:
        characters += len(article.body)
        sentences += len(article.sentences) + 1
        types.update(WORD.findall(article.body.lower()))
        for kind in donors.get(article.number, ()):
            queries[kind].append(make_query(rng, kind, article))
    stats = {
        "characters": characters / corpus.size,
        "types": len(types),
        "sentences": sentences / corpus.size,
    }
    return queries, stats


def make_query(rng: random.Random, kind: str, article: Article) -> Query:
    words = [word for word in WORD.findall(article.body) if word.lower() not in STOP]
    if kind == "1 word":
        word = rng.choice(words)
        return Query(kind, word, f'"{word}"')
    if kind == "2 words":
        first = rng.choice(words)
        second = rng.choice([word for word in words if word.lower() != first.lower()] or words)
        return Query(kind, f"{first} {second}", f'"{first}" "{second}"')
    if kind == "phrase":
        for _ in range(200):
            tokens = rng.choice(article.sentences)[2].split()
            size = rng.choice((2, 3))
            start = rng.randrange(max(1, len(tokens) - size + 1))
            chunk = tokens[start : start + size]
            if (
                len(chunk) == size
                and all(WORD.fullmatch(token) or token.lower() in STOP for token in chunk)
                and chunk[0].lower() not in STOP
                and chunk[-1].lower() not in STOP
            ):
                phrase = " ".join(chunk)
                return Query(kind, f'"{phrase}"', f'"{phrase}"')
        phrase = " ".join(rng.sample(words, 2))  # no clean run of words: very rare
        return Query(kind, f'"{phrase}"', f'"{phrase}"')
    word = rng.choice(words)
    if article.chips and rng.random() < 0.5:
        return Query(kind, word, f'"{word}"', chip=rng.choice(article.chips))
    return Query(kind, word, f'"{word}"', company=rng.choice(article.companies))


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)  # this process's CPU time per query
    hits: dict[str, list[int]] = field(default_factory=dict)

    def run(self, queries: dict[str, list[Query]], ask: Callable[[Query], int]) -> "Timings":
        for items in queries.values():
            for query in items[:5]:
                ask(query)  # warm-up: caches, searcher, page cache
        for kind, items in queries.items():
            for query in items[5:]:
                started, cpu = time.perf_counter(), time.process_time()
                found = ask(query)
                self.samples.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                self.cpu.setdefault(kind, []).append((time.process_time() - cpu) * 1000)
                self.hits.setdefault(kind, []).append(found)
        return self

    def percentile(self, kind: str, share: float, cpu: bool = False) -> float:
        values = sorted((self.cpu if cpu else self.samples)[kind])
        return values[max(0, math.ceil(share * len(values)) - 1)]


def folder_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


# ---------------------------------------------------------------------------------------------- SQLite FTS5

FTS_SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(title, body, companies, chips, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE article (id INTEGER PRIMARY KEY, publication TEXT, published TEXT);
CREATE TABLE article_company (article_id INTEGER, company TEXT);
CREATE TABLE article_chip (article_id INTEGER, chip TEXT);
CREATE TABLE article_event (article_id INTEGER, type TEXT);
"""
FTS_INDEXES = """
CREATE INDEX article_company_name ON article_company (company, article_id);
CREATE INDEX article_company_article ON article_company (article_id);
CREATE INDEX article_chip_name ON article_chip (chip, article_id);
CREATE INDEX article_chip_article ON article_chip (article_id);
CREATE INDEX article_event_article ON article_event (article_id);
"""


def fts_build(path: Path, corpus: Corpus) -> tuple[float, float]:
    """Load the corpus into FTS5 (with its own copy of the text, which snippet() needs).

    Returns (seconds, of which seconds spent generating the articles).
    """
    db = sqlite3.connect(path)
    clock = [0.0]
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + FTS_SCHEMA)
    # Filters are FTS5 column filters on one token per name (the idiomatic FTS5 way); the side tables hold
    # the same names for the facet counts.
    started = time.perf_counter()
    with db:
        for article in timed_iter(corpus, clock):
            row = article.number + 1
            companies, chips = (
                " ".join(map(entity_token, names)) for names in (article.companies, article.chips)
            )
            db.execute(
                "INSERT INTO fts (rowid, title, body, companies, chips) VALUES (?, ?, ?, ?, ?)",
                (row, article.title, article.body, companies, chips),
            )
            db.execute(
                "INSERT INTO article VALUES (?, ?, ?)", (row, article.publication, str(article.published))
            )
            db.executemany("INSERT INTO article_company VALUES (?, ?)", [(row, c) for c in article.companies])
            db.executemany("INSERT INTO article_chip VALUES (?, ?)", [(row, c) for c in article.chips])
            db.executemany("INSERT INTO article_event VALUES (?, ?)", [(row, t) for t in article.event_types])
        db.executescript(FTS_INDEXES)
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed, clock[0]


def entity_token(name: str) -> str:
    """One FTS5 token per company or chip name: "RTX 4090 D" → "rtx4090d", "JD.com" → "jdcom"."""
    return re.sub(r"\W", "", name.lower())


def fts_asker(path: Path, facets: bool) -> Callable[[Query], int]:
    """One results page (bm25, 20 rows, a snippet each); with facets, also the total and four facet counts."""
    db = sqlite3.connect(path, check_same_thread=False)

    def ask(query: Query) -> int:
        match = "{title body} : " + query.match
        if query.company:
            match += " AND companies : " + entity_token(query.company)
        if query.chip:
            match += " AND chips : " + entity_token(query.chip)
        where, params = "fts MATCH ?", [match]
        rows = db.execute(
            "SELECT fts.rowid, title, snippet(fts, 1, '<mark>', '</mark>', '…', 24), a.publication,"
            f" a.published FROM fts JOIN article a ON a.id = fts.rowid WHERE {where}"
            " ORDER BY bm25(fts, 2.0, 1.0, 0.0, 0.0) LIMIT 20",
            params,
        ).fetchall()
        if not facets:
            return len(rows)
        counts = db.execute(
            f"WITH m AS MATERIALIZED (SELECT fts.rowid AS id FROM fts WHERE {where})"
            " SELECT 'total', '', count(*) FROM m"
            " UNION ALL SELECT 'company', company, count(*) FROM article_company JOIN m ON article_id = m.id"
            " GROUP BY company"
            " UNION ALL SELECT 'chip', chip, count(*) FROM article_chip JOIN m ON article_id = m.id"
            " GROUP BY chip"
            " UNION ALL SELECT 'type', type, count(*) FROM article_event JOIN m ON article_id = m.id"
            " GROUP BY type"
            " UNION ALL SELECT 'publication', publication, count(*) FROM article JOIN m ON article.id = m.id"
            " GROUP BY publication",
            params,
        ).fetchall()
        return counts[0][2]

    return ask


# ---------------------------------------------------------------------------------------------- Whoosh


def timed_iter(items, clock: list[float]) -> Iterator:
    """Yield the items, adding the time spent producing them to clock[0]."""
    items = iter(items)
    while True:
        started = time.perf_counter()
        item = next(items, None)
        clock[0] += time.perf_counter() - started
        if item is None:
            return
        yield item


def whoosh_documents(corpus: Corpus, clock: list[float]) -> Iterator[dict]:
    """The index documents `make_documents` makes of each article; generating articles is timed in `clock`.

    `make_documents` itself is part of indexing, as in a rebuild.
    """
    for article in timed_iter(corpus, clock):
        yield from make_documents(
            article_id=article.number + 1,
            title=article.title,
            body=article.body,
            publication=slug(article.publication),
            published=article.published,
            companies=article.companies,
            chips=article.chips,
            event_types=article.event_types,
            sentences=[
                (0, article.title),
                *((i, text) for i, (_, _, text) in enumerate(article.sentences, 1)),
            ],
        )


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def whoosh_asker(path: Path) -> Callable[[Query], int]:
    """One results page through the project's search function: 20 hits, highlighted sentences, facets."""
    lookup = Lookup.from_names(companies=COMPANIES, chips=CHIPS)

    def ask(query: Query) -> int:
        request = SearchRequest(
            q=query.q,
            companies=(query.company,) if query.company else (),
            chips=(query.chip,) if query.chip else (),
            per_page=20,
        )
        return search_index(path, request, lookup=lookup).total

    return ask


# ---------------------------------------------------------------------------------------------- report


def measure(size: int, options: argparse.Namespace, machine: str) -> None:
    corpus = Corpus(size, options.seed)
    started = time.perf_counter()
    queries, stats = sample_queries(corpus, options.queries, options.seed)
    progress(size, f"corpus generated and queries sampled in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        index_path, fts_path = Path(folder) / "index", Path(folder) / "fts.sqlite3"
        clock = [0.0]
        started = time.perf_counter()
        build_index(index_path, whoosh_documents(corpus, clock), procs=options.procs)
        whoosh_build = (time.perf_counter() - started, clock[0])
        whoosh_size = folder_size(index_path)
        progress(size, f"Whoosh index built in {whoosh_build[0]:.0f} s")
        whoosh = Timings().run(queries, whoosh_asker(index_path))
        progress(size, "Whoosh queries done")
        fts_build_time = fts_build(fts_path, corpus)
        fts_size = sum(path.stat().st_size for path in Path(folder).glob("fts.sqlite3*"))
        fts = Timings().run(queries, fts_asker(fts_path, facets=True))
        fts_page = Timings().run(queries, fts_asker(fts_path, facets=False))
    report(
        size,
        options,
        machine,
        stats,
        (whoosh_build, whoosh_size, whoosh),
        (fts_build_time, fts_size, fts, fts_page),
    )


def report(size, options, machine, stats, whoosh_figures, fts_figures) -> None:
    (whoosh_time, whoosh_gen), whoosh_size, whoosh = whoosh_figures
    (fts_time, fts_gen), fts_size, fts, fts_page = fts_figures
    whoosh_net, fts_net = whoosh_time - whoosh_gen, fts_time - fts_gen
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    target = 30 if size <= 10_000 else 100
    print(f"\n## {spaced(size)} articles, seed {options.seed}, procs={options.procs}")
    print(f"machine: {machine}")
    print(
        f"corpus: mean {spaced(stats['characters'])} characters and {stats['sentences']:.0f} sentences per "
        f"article, {spaced(stats['types'])} word types; {options.queries} timed queries per type (+5 warm-up)"
    )
    print("\n| build | Whoosh | FTS5 | Whoosh / FTS5 |")
    print("|---|---|---|---|")
    ratio = f"{whoosh_net / fts_net:.1f}×"
    print(f"| time, generating the corpus excluded | {whoosh_net:.1f} s | {fts_net:.1f} s | {ratio} |")
    print(f"| articles/s (target ≥ 300) | {spaced(size / whoosh_net)} | {spaced(size / fts_net)} | |")
    sizes = f"{whoosh_size / 2**20:.1f} MiB | {fts_size / 2**20:.1f} MiB (text included)"
    print(f"| index size | {sizes} | {whoosh_size / fts_size:.2f}× |")
    print(f"| peak RSS, main / largest child | {peak:.0f} / {children:.0f} MiB | | |")
    print(
        f"\n| query, ms | Whoosh p50 | Whoosh p95 (≤ {target}) | Whoosh CPU p50 / p95 | FTS5 p50 | FTS5 p95 "
        "| ×p50 | ×p95 | FTS5 page only p50 / p95 | mean total Whoosh / FTS5 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kind in KINDS:
        w50, w95 = whoosh.percentile(kind, 0.5), whoosh.percentile(kind, 0.95)
        cpu = f"{whoosh.percentile(kind, 0.5, cpu=True):.1f} / {whoosh.percentile(kind, 0.95, cpu=True):.1f}"
        f50, f95 = fts.percentile(kind, 0.5), fts.percentile(kind, 0.95)
        page = f"{fts_page.percentile(kind, 0.5):.1f} / {fts_page.percentile(kind, 0.95):.1f}"
        totals = f"{spaced(mean(whoosh.hits[kind]))} / {spaced(mean(fts.hits[kind]))}"
        missed = "" if w95 <= target else " ✗"
        print(
            f"| {kind} | {w50:.1f} | {w95:.1f}{missed} | {cpu} | {f50:.1f} | {f95:.1f} "
            f"| {w50 / f50:.1f} | {w95 / f95:.1f} | {page} | {totals} |"
        )
    print(f"\nload average during the run (other processes share the cores): {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


def progress(size: int, message: str) -> None:
    print(f"[{size} articles] {message}", file=sys.stderr, flush=True)


def spaced(number: float) -> str:
    """French thousands grouping: 10 000."""
    return f"{number:,.0f}".replace(",", " ")


def mean(values: list[int]) -> float:
    return sum(values) / len(values)


def machine_line() -> str:
    import whoosh

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return (
        f"{os.cpu_count()} cores {model}, Python {platform.python_version()}, "
        f"whoosh {whoosh.versionstring()}, SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", help="corpus size; repeat for several")
    parser.add_argument("--procs", type=int, default=2, help="Whoosh writer processes (build_index procs)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200, help="timed queries per query type")
    options = parser.parse_args()
    machine = machine_line()
    for size in options.articles or [10_000]:
        measure(size, options, machine)


if __name__ == "__main__":
    main()
