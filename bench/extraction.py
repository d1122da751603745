"""Benchmark: extraction speed and peak memory on a generated French corpus (one process, one core).

    .venv/bin/python bench/extraction.py [--articles 5000] [--seed 7] [--deal-share 0.3]

Generates varied articles of about 3 000 characters in wire copy, tech site, financial press and machine-
translated styles (many companies, chips, number formats, dates, filler vocabulary), where --deal-share of
the sentences report a deal with figures (0.3 by default: in the dev set 64 of 215 sentences hold a figure
or an event), then times segmentation + the whole extraction pipeline. Target: >= 300 articles/s.
A benchmark, not a test: nothing here fails a build.
"""

import argparse
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.extraction.pipeline import extract  # noqa: E402
from articles.extraction.types import Gazetteer, GazetteerEntry  # noqa: E402

COMPANIES = {
    "ByteDance": ("Bytedance", "ByTedance", "propriétaire de TikTok"),
    "Alibaba": ("Alibaba Group", "Alibaba Cloud"),
    "Tencent": ("Tencent Holdings",),
    "Baidu": (),
    "DeepSeek": (),
    "Huawei": (),
    "Nvidia": ("NVIDIA",),
    "AMD": (),
    "SMIC": (),
    "TSMC": (),
}
CHIPS = {
    "A800": ("puces A8",), "H800": (), "H20": (), "H200": (), "H100": (), "B30A": (), "RTX 4090 D": (),
    "Ascend 910B": ("910B",), "MI308": (),
}  # fmt: skip
GAZETTEER = Gazetteer(
    companies=tuple(GazetteerEntry(name, aliases) for name, aliases in COMPANIES.items()),
    chips=tuple(GazetteerEntry(name, aliases, maker="Nvidia") for name, aliases in CHIPS.items()),
)

BUYERS = [
    "ByteDance",
    "Alibaba",
    "Tencent",
    "Baidu",
    "DeepSeek",
    "le propriétaire de TikTok",
    "Alibaba Cloud",
]
SELLERS = ["Nvidia", "NVIDIA", "AMD", "Huawei"]
CHIP_NAMES = ["A800", "H800", "H20", "H200", "H100", "B30A", "RTX 4090 D", "Ascend 910B", "MI308"]
AMOUNTS = [
    "1 milliard de dollars", "700 millions de dollars", "2 milliards de yuans", "13,7 milliards de dollars",
    "1,2 Md$", "300 M€", "environ 5 milliards de dollars", "plus de 16 milliards de dollars américains",
    "quelque 12 milliards de dollars", "entre 12 000 et 13 000 dollars", "US$ 5 milliards", "4.5 milliards $",
]  # fmt: skip
QUANTITIES = [
    "100 000 puces", "plus de 400 000 puces", "environ 70 000 processeurs", "1.600 cartes graphiques",
    "au moins 10 000 GPU", "deux millions de puces", "420,000 GPU", "quelque 5 000 serveurs",
]  # fmt: skip
PERIODS = ["l'année prochaine", "au premier trimestre", "en 2024", "en décembre dernier", "cette année", ""]
TEMPLATES = [
    "{buyer} a commandé {quantity} {chip} auprès de {seller} pour {amount}, {period}.",
    "Selon le FT, {buyer} aurait acquis {quantity} {chip} de {seller}, d'une valeur de {amount}.",
    "Les autorités chinoises ont autorisé {buyer} à acheter des puces {chip} de {seller} {period}.",
    "{buyer} avait déjà stocké {amount} de puces {chip}, selon un rapport de Caijing.",
    "Washington a restreint les exportations de {chip} vers la Chine {period}.",
    "Les commandes de {buyer} dépassent {amount} {period}, indique une source proche du dossier.",
    "Une usine aurait démonté {quantity} {chip} {period} pour en récupérer les composants.",
    "{seller} prévoit de livrer {quantity} {chip} à ses clients chinois {period}.",
    "Le prix de la {chip} a grimpé de plus de {percent} %, selon un distributeur.",
]
WORDS = [
    "marché", "croissance", "semi-conducteurs", "restrictions", "exportation", "intelligence", "artificielle",
    "centres", "données", "modèles", "langage", "investisseurs", "régulateurs", "concurrence", "fabrication",
    "approvisionnement", "stratégie", "souveraineté", "technologique", "calcul", "infrastructure",
    "analystes", "demande", "offre", "licences", "sanctions", "capacité", "entreprises", "nationales",
    "chaîne", "valeur", "recherche", "développement", "entraînement", "inférence", "serveurs",
]  # fmt: skip
HEADINGS = [
    "Une demande qui explose",
    "Pékin hésite",
    "Ce qu'il faut retenir",
    "Le contexte",
    "Et maintenant ?",
]


def filler(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 16))
    return f"{words[0].capitalize()} {' '.join(words[1:])}, estiment les observateurs du secteur."


def article(rng: random.Random, deal_share: float = 0.3) -> str:
    paragraphs = []
    while sum(len(p) for p in paragraphs) < 2900:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < deal_share:
                sentences.append(
                    rng.choice(TEMPLATES).format(
                        buyer=rng.choice(BUYERS),
                        seller=rng.choice(SELLERS),
                        chip=rng.choice(CHIP_NAMES),
                        amount=rng.choice(AMOUNTS),
                        quantity=rng.choice(QUANTITIES),
                        period=rng.choice(PERIODS),
                        percent=rng.randint(5, 80),
                    )  # fmt: skip
                )
            else:
                sentences.append(filler(rng))
        paragraphs.append(" ".join(sentences))
        if rng.random() < 0.2:
            paragraphs.append(rng.choice(HEADINGS))
    return rng.choice(HEADINGS) + "\n\n" + "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--deal-share", type=float, default=0.3,
        help="share of sentences that report a deal with figures (0.3 is the dev set's share)",
    )  # fmt: skip
    options = parser.parse_args()
    rng = random.Random(options.seed)
    corpus = [article(rng, options.deal_share) for _ in range(options.articles)]
    extract(corpus[0], gazetteer=GAZETTEER)  # compile the patterns outside the timing
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    figures = events = 0
    for body in corpus:
        result = extract(body, gazetteer=GAZETTEER, published=date(2024, 6, 1), precision="month")
        figures += len(result.figures)
        events += len(result.events)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(body) for body in corpus) / len(corpus)
    print(f"articles            {len(corpus)} (mean {chars:.0f} characters, deal share {options.deal_share})")
    print(f"figures / events    {figures} / {events}")
    print(f"time                {elapsed:.2f} s")
    print(f"articles per second {len(corpus) / elapsed:.0f}  (target >= 300)")
    print(
        f"peak memory (RSS)   {peak_mib:.0f} MiB (corpus and interpreter included; "
        f"{rss_before / 1024:.0f} before timing)"
    )


if __name__ == "__main__":
    main()
