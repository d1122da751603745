"""Tests for the event rules (articles.extraction.events and its lexicon), through the pipeline.

Sentences are written in the styles of several outlets: wire copy, tech sites, financial press and
machine-translated copy. Each case names only the fields it is about; the others must be as given in
DEFAULTS. Plain Python, no database.
"""

import datetime
from decimal import Decimal

import pytest

from articles.extraction.events_lexicon import find_triggers
from articles.extraction.pipeline import extract
from articles.extraction.types import DENIED, REPORTED
from tests.extraction.test_mentions import GAZETTEER

DEFAULTS = {"buyers": (), "seller": None, "chip": None, "quantity": None, "amount": None, "period": ""}
PUBLISHED = datetime.date(2025, 6, 15)


def events_of(body, **kwargs):
    kwargs.setdefault("published", PUBLISHED)
    kwargs.setdefault("precision", "day")
    return extract(body, gazetteer=GAZETTEER, **kwargs).events


def expect(type, **fields):
    return {"type": type, **fields}


def check(event, expected):
    wanted = {**DEFAULTS, **expected}
    for name, value in wanted.items():
        got = getattr(event, name)
        if name in ("quantity", "amount") and value is not None:
            value = Decimal(str(value))
        if name == "buyers":
            value = tuple(value)
        assert got == value, f"{name}: {got!r} != {value!r}"


# One sentence (or a short paragraph), one event: the last sentence's event is checked.
SINGLE = [
    # --- order
    (
        "ByteDance a commandé 100 000 puces H20 auprès de Nvidia pour 1,2 milliard de dollars.",
        expect("order", buyers=["ByteDance"], seller="Nvidia", chip="H20", quantity=100000, amount=1.2e9),
    ),
    (
        "Alibaba a passé commande de 30 000 processeurs H20, selon deux sources proches du dossier.",
        expect("order", buyers=["Alibaba"], seller="Nvidia", chip="H20", quantity=30000),
    ),
    (
        "Tencent aurait passé des commandes de GPU H800 pour un montant de 500 millions de dollars au "
        "premier trimestre.",
        expect("order", buyers=["Tencent"], seller="Nvidia", chip="H800", amount=5e8, period="2025-Q1"),
    ),
    (
        "Les entreprises chinoises ont commandé pour au moins 16 milliards de dollars de "
        "puces H20 de Nvidia.",
        expect("order", seller="Nvidia", chip="H20", amount=16e9),
    ),
    (
        "Baidu a placé une commande de 200 000 puces Ascend 910B avec Huawei, rapporte Reuters.",
        expect("order", buyers=["Baidu"], seller="Huawei", chip="Ascend 910B", quantity=200000),
    ),
    (
        "ByteDance prévoit de dépenser 12 milliards de dollars en puces d'IA en 2025.",
        expect("order", buyers=["ByteDance"], amount=12e9, period="2025"),
    ),
    (
        "Nvidia devrait livrer commande à ses clients chinois de plus d'un million de puces H20.",
        expect("order", seller="Nvidia", chip="H20", quantity=1e6),
    ),
    (
        "Des entreprises chinoises avaient acheté pour 4 milliards de dollars "
        "de GPU dont la livraison est "
        "prévue en 2026.",
        expect("order", amount=4e9, period="2026"),
    ),
    (
        "Les commandes chinoises de H20 ont atteint 18 milliards de dollars depuis janvier.",
        expect("order", seller="Nvidia", chip="H20", amount=18e9, period="2025-01"),
    ),
    (
        "ByteDance compte investir 160 milliards de yuans dans ses "
        "infrastructures en 2025, dont 90 milliards "
        "pour l'achat de puces.",
        expect("order", buyers=["ByteDance"], amount=9e10, period="2025"),
    ),
    # --- purchase
    (
        "D'après le Financial Times, Baidu, ByteDance, Tencent et Alibaba ont "
        "dépensé 1 milliard de dollars "
        "pour acquérir environ 100 000 processeurs A800 auprès de Nvidia.",
        expect(
            "purchase",
            buyers=["Baidu", "ByteDance", "Tencent", "Alibaba"],
            seller="Nvidia",
            chip="A800",
            quantity=100000,
            amount=1e9,
        ),
    ),
    (
        "Tencent a acheté 50 000 GPU H20 à Nvidia l'an dernier.",
        expect("purchase", buyers=["Tencent"], seller="Nvidia", chip="H20", quantity=50000, period="2024"),
    ),
    (
        "Alibaba a acquis plus de 20 000 accélérateurs H800 en 2023, a indiqué une source.",
        expect("purchase", buyers=["Alibaba"], seller="Nvidia", chip="H800", quantity=20000, period="2023"),
    ),
    (
        "Nvidia a vendu pour 5 milliards de dollars de puces H20 à des clients chinois ce trimestre.",
        expect("purchase", seller="Nvidia", chip="H20", amount=5e9, period="2025-Q2"),
    ),
    (
        "Nvidia a livré 300 000 puces H20 à ByteDance et Tencent.",
        expect("purchase", buyers=["ByteDance", "Tencent"], seller="Nvidia", chip="H20", quantity=300000),
    ),
    (
        "DeepSeek s'est procuré 10 000 GPU A100 avant l'entrée en vigueur des sanctions.",
        expect("purchase", buyers=["DeepSeek"], seller="Nvidia", chip="A100", quantity=10000),
    ),
    (
        "Nvidia, le fabricant américain, “est en passe de vendre quelque 12 "
        "milliards de dollars de puces "
        "pour l'intelligence artificielle en Chine cette année”, explique le Financial Times.",
        expect("purchase", seller="Nvidia", amount=12e9, period="2025"),
    ),
    (
        "Selon Bloomberg, la Chine a importé pour 25 milliards de dollars de semi-conducteurs d'IA en 2024.",
        expect("purchase", amount=25e9, period="2024"),
    ),
    (
        "L'an dernier, ByteDance a été le plus gros acheteur de puces Nvidia "
        "en Chine, avec environ 230 000 unités.",
        expect("purchase", buyers=["ByteDance"], seller="Nvidia", quantity=230000, period="2024"),
    ),
    (
        "Huawei devrait expédier environ 700 000 puces Ascend 910B cette année.",
        expect("purchase", seller="Huawei", chip="Ascend 910B", quantity=700000, period="2025"),
    ),
    # --- resale
    (
        "Tencent Holdings et Alibaba Group Holding ont acquis un nombre important "
        "d’unités H20 (GPU) de NVIDIA "
        "de ByTedance, d’une valeur d’environ 2 milliards de yuans.",
        expect("resale", buyers=["Tencent", "Alibaba"], seller="ByteDance", chip="H20", amount=2e9),
    ),
    (
        "ByteDance a revendu une partie de ses GPU H20 à Tencent pour 300 millions de dollars.",
        expect("resale", buyers=["Tencent"], seller="ByteDance", chip="H20", amount=3e8),
    ),
    (
        "Selon Caijing, ByteDance aurait vendu 8 000 puces H20 à Alibaba.",
        expect("resale", buyers=["Alibaba"], seller="ByteDance", chip="H20", quantity=8000),
    ),
    (
        "Tencent a acheté 20 000 GPU H20 à ByteDance.",
        expect("resale", buyers=["Tencent"], seller="ByteDance", chip="H20", quantity=20000),
    ),
    # --- stockpile
    (
        "Selon un rapport de Caijing, Bytedance avait déjà stocké environ 100 milliards de yuans "
        "(13,7 milliards de dollars américains) de puces H20 de Nvidia.",
        expect("stockpile", buyers=["ByteDance"], seller="Nvidia", chip="H20", amount=1e11),
    ),
    (
        "Les géants chinois de la tech accumulent des puces A800 par crainte de nouvelles restrictions.",
        expect("stockpile", seller="Nvidia", chip="A800"),
    ),
    (
        "Alibaba disposerait d'un stock de 50 000 GPU H100, accumulé avant l'embargo.",
        expect("stockpile", buyers=["Alibaba"], seller="Nvidia", chip="H100", quantity=50000),
    ),
    # --- authorization
    (
        "Les autorités chinoises ont autorisé ByteDance, Alibaba et Tencent à acheter les puces "
        "d’intelligence artificielle H200 de Nvidia.",
        expect("authorization", buyers=["ByteDance", "Alibaba", "Tencent"], seller="Nvidia", chip="H200"),
    ),
    (
        "Le département du Commerce a accordé des licences à Nvidia pour exporter des "
        "puces H20 vers la Chine.",
        expect("authorization", seller="Nvidia", chip="H20"),
    ),
    (
        "Washington a donné son feu vert à la vente de puces H200 à des clients chinois approuvés.",
        expect("authorization", seller="Nvidia", chip="H200"),
    ),
    (
        "Pékin a autorisé Alibaba et Tencent à importer 200 000 puces H200.",
        expect("authorization", buyers=["Alibaba", "Tencent"], seller="Nvidia", chip="H200", quantity=200000),
    ),
    (
        "Bien que les États-Unis aient approuvé l’exportation du H200, l’hésitation de Pékin freine tout.",
        expect("authorization", seller="Nvidia", chip="H200"),
    ),
    # --- restriction
    (
        "Washington a interdit l'exportation des puces H20 vers la Chine.",
        expect("restriction", seller="Nvidia", chip="H20"),
    ),
    (
        "L'administration Trump exige désormais une licence pour exporter les GPU H20 de "
        "Nvidia vers la Chine.",
        expect("restriction", seller="Nvidia", chip="H20"),
    ),
    (
        "Pékin a demandé à ByteDance, Alibaba et Tencent de suspendre leurs achats de puces H20.",
        expect("restriction", buyers=["ByteDance", "Alibaba", "Tencent"], seller="Nvidia", chip="H20"),
    ),
    (
        "L’écosystème chinois de l’IA ne peut plus vraiment acheter de puces "
        "Nvidia depuis les restrictions "
        "imposées par Trump.",
        expect("restriction", seller="Nvidia"),
    ),
    (
        "En octobre 2022, les États-Unis ont imposé des restrictions à l'exportation sur "
        "les puces A100 et H100.",
        expect("restriction", seller="Nvidia", chip="A100", period="2022-10"),
    ),
    (
        "Les Etats-Unis empêchent depuis plusieurs années l'exportation de "
        "leurs composants IA les plus "
        "puissants vers la Chine.",
        expect("restriction", period="depuis plusieurs années"),
    ),
    (
        "Le modèle H20, désormais interdit à l’export, a servi à l’entraînement de DeepSeek.",
        expect("restriction", seller="Nvidia", chip="H20"),
    ),
    (
        "Ce surcoût est apparu suite à l'interdiction d'achat des accélérateurs IA de Nvidia.",
        expect("restriction", seller="Nvidia"),
    ),
    (
        "En raison de la réglementation américaine, les entreprises chinoises ne peuvent "
        "acheter que la puce A800.",
        expect("restriction", seller="Nvidia", chip="A800"),
    ),
    (
        "En bloquant les ventes de la puce H20, Washington a frappé fort. Cela "
        "crée un manque à gagner de "
        "5,5 milliards de dollars pour Nvidia.",
        expect("restriction", seller="Nvidia", chip="H20", amount=5.5e9),
    ),
    (
        "Pékin a recommandé aux entreprises d'éviter d'acheter les puces H20 de Nvidia.",
        expect("restriction", seller="Nvidia", chip="H20"),
    ),
    (
        "La Chine a ordonné à ses entreprises technologiques de cesser "
        "d'acheter les puces RTX Pro 6000D de Nvidia.",
        expect("restriction", seller="Nvidia", chip="RTX Pro 6000 D"),
    ),
    (
        "Nvidia a annoncé une charge de 5,5 milliards de dollars liée aux "
        "restrictions sur les exportations de H20.",
        expect("restriction", seller="Nvidia", chip="H20", amount=5.5e9),
    ),
    (
        "Le département du Commerce a informé Nvidia que l'exportation des "
        "puces H20 nécessiterait désormais "
        "une licence.",
        expect("restriction", seller="Nvidia", chip="H20"),
    ),
    (
        "Pékin a refusé d'autoriser l'importation de puces H200 malgré le feu vert américain.",
        expect("restriction", seller="Nvidia", chip="H200"),
    ),
    (
        "Tencent et Alibaba auraient reçu les premières livraisons de puces H20 au premier trimestre.",
        expect("purchase", buyers=["Tencent", "Alibaba"], seller="Nvidia", chip="H20", period="2025-Q1"),
    ),
    # --- smuggling
    (
        "Des puces d'une valeur de 160 millions de dollars ont été saisies par les autorités américaines.",
        expect("smuggling", amount=1.6e8),
    ),
    (
        "Des puces H100 d'une valeur de 1 milliard de dollars ont été introduites clandestinement en Chine.",
        expect("smuggling", seller="Nvidia", chip="H100", amount=1e9),
    ),
    (
        "Un réseau de contrebande a fait passer 2 400 GPU H20 par Singapour, selon les douanes.",
        expect("smuggling", seller="Nvidia", chip="H20", quantity=2400),
    ),
    (
        "Des GPU B200 se vendent sur le marché noir de Shenzhen.",
        expect("smuggling", seller="Nvidia", chip="B200"),
    ),
    # --- production
    (
        "TSMC produira les puces Ascend 910C pour Huawei.",
        expect("production", buyers=["Huawei"], seller="TSMC", chip="Ascend 910C"),
    ),
    (
        "Huawei prévoit de produire 600 000 puces Ascend 910C en 2026.",
        expect("production", seller="Huawei", chip="Ascend 910C", quantity=600000, period="2026"),
    ),
    (
        "Les puces Ascend 950 reposent sur SMIC et son procédé 7 nm.",
        expect("production", buyers=["Huawei"], seller="SMIC", chip="Ascend 950"),
    ),
    (
        "La nouvelle puce B30A de Nvidia pourrait entrer en production dès septembre.",
        expect("production", seller="Nvidia", chip="B30A", period="2025-09"),
    ),
    (
        "La demande de H20 est si forte que Nvidia a commandé 300 000 puces supplémentaires à TSMC.",
        expect("production", buyers=["Nvidia"], seller="TSMC", chip="H20", quantity=300000),
    ),
    # --- dismantling
    (
        "Une usine de Shenzhen a démonté plus de 4 000 cartes RTX 4090 pour récupérer leurs puces.",
        expect("dismantling", seller="Nvidia", chip="RTX 4090", quantity=4000),
    ),
    (
        "La RTX 4090 D est très prisée. Selon le Financial Times, une seule usine aurait "
        "ainsi démonté plus de "
        "4 000 cartes Nvidia en décembre dernier.",
        expect("dismantling", seller="Nvidia", chip="RTX 4090 D", quantity=4000, period="2024-12"),
    ),
]


@pytest.mark.parametrize(("body", "expected"), SINGLE, ids=[case[0][:50] for case in SINGLE])
def test_one_event(body, expected):
    events = events_of(body)
    assert len(events) == 1, events
    check(events[0], expected)


# Sentences that hold a trigger word or a figure but report no chip trade event.
NONE = [
    "Les fournisseurs de cloud passent souvent commande des mois à l'avance.",
    "Nvidia, qui pèse 3 000 milliards de dollars, vend des puces en Chine.",
    "SMIC a réalisé un chiffre d'affaires de 5,44 milliards de dollars grâce aux ventes de puces.",
    "Nvidia a enregistré un bénéfice record de 10 milliards de dollars grâce à ses ventes de GPU H100.",
    "Les GPU de Nvidia sont devenus des produits extrêmement recherchés.",
    "Tencent n'a pas acheté de puces H20 cette année.",
    "Tencent a racheté une start-up spécialisée dans l'IA pour 1 milliard de dollars.",
    "Alibaba a acquis une participation de 10 % dans une société de jeux vidéo.",
    "Malgré des stocks disponibles de Nvidia, les prix montent.",
    "Nvidia fait face à une rupture de stock de ses puces H100.",
    "Les stocks de Nvidia atteignent 700 000 puces H20 invendues.",
    "Début 2023, la plupart des géants chinois d'Internet ne disposaient pas de stocks importants de puces.",
    "Les critères d'approbation des puces restent flous.",
    "Malgré ces autorisations, les puces H200 restent bloquées aux douanes.",
    "La récente visite du PDG de Nvidia en Chine a coïncidé avec ces autorisations réglementaires.",
    "Nvidia a conçu la puce H20 pour contourner les restrictions américaines.",
    "Le 9 août, Washington a annoncé une interdiction de certains investissements américains dans les "
    "puces avancées.",
    "Le cours de Nvidia a chuté après l'annonce des restrictions sur les puces.",
    "Alors que les restrictions américaines sur les semi-conducteurs se resserrent, la demande explose.",
    "Avec les restrictions imposées par les États-Unis, l’accès à ces précieuses puces devient un enjeu.",
    "Officiellement, il s'agit d'empêcher la Chine d'utiliser ces composants à des fins militaires.",
    "Cette jeune pousse a promis des puces IA capables de remplacer celles bloquées par Washington.",
    "La Chine accélère ses efforts pour fabriquer des puces locales.",
    "Les fabricants de semi-conducteurs tels que TSMC répartissent la production entre leurs clients.",
    "L’entreprise iFlytek a entraîné son modèle sur des puces fabriquées par Huawei.",
    "La demande de puces d'IA explose en Chine.",
    "Nvidia domine le marché des GPU avec une part de 80 %.",
    "Le marché de l'IA devrait atteindre 3,3 billions de dollars.",
    "Huawei a dévoilé sa puce Ascend 920, présentée comme aussi performante que la H20.",
    "La H20 coûte “entre 12 000 et 13 000 dollars” (11 087 à 12 011 euros).",
    "Nvidia prévoit de commercialiser en Chine une nouvelle GPU vendue entre 6 500 et 8 000 dollars.",
    "La nouvelle alliance dépasse désormais les 400 milliards de yuans de capitalisation.",
    "C’est en tout cas ce que revendique iFlytek, en ne comptant que sur des puces de Huawei.",
    "Le CloudMatrix 384 de Huawei est composé de 384 puces Ascend 910C.",
    "C'est une grappe de calcul IA qui relie jusqu'à 8 192 NPU Ascend 950.",
    "L’acquisition des GPU de Nvidia par Tencent et Alibaba met en évidence la demande croissante.",
    "Nvidia doublerait quasiment les ventes de la 910B, le produit phare de son concurrent chinois, Huawei.",
    "La société de Jensen Huang a perdu 600 milliards de dollars de capitalisation boursière en une journée.",
    "Le patron de Nvidia a rappelé que la Chine représentait un marché de "
    "50 milliards de dollars cette année.",
    "Les régulateurs chinois ont convoqué des représentants de Tencent "
    "pour les interroger sur leurs achats de "
    "puces H20.",
    "Nvidia a annoncé qu'il ne livrerait plus de H20 tant que la situation ne serait pas clarifiée.",
]


@pytest.mark.parametrize("body", NONE, ids=[body[:50] for body in NONE])
def test_no_event(body):
    assert events_of(body) == ()


@pytest.mark.parametrize(
    "heading",
    [
        "Démantèlement de cartes",
        "Arrêt des exportations de Nvidia H20, une erreur ?",
        "Une puce à 12 000 dollars",
        "La Chine n’a plus besoin de Nvidia pour fabriquer des puces d’IA",
    ],
)
def test_headings_that_restate_give_no_event(heading):
    assert events_of(f"{heading}\n\nLe marché des puces reste tendu.") == ()


def test_a_title_with_a_verb_and_named_buyers_is_an_event_whose_chip_comes_from_the_body():
    body = (
        "La Chine autorise Alibaba, ByteDance et Tencent à acheter des puces IA de Nvidia\n\n"
        "Les trois groupes pourront acheter les puces H200 de Nvidia."
    )
    title_event = events_of(body)[0]
    assert title_event.sentence_index == 0
    check(
        title_event,
        expect("authorization", buyers=["Alibaba", "ByteDance", "Tencent"], seller="Nvidia", chip="H200"),
    )


def test_a_rival_or_an_employer_named_in_passing_is_not_a_buyer():
    (event,) = events_of("Baidu, concurrent de ByteDance, a acheté 5 000 puces H20 à Nvidia.")
    check(event, expect("purchase", buyers=["Baidu"], seller="Nvidia", chip="H20", quantity=5000))


def test_a_purchase_of_something_else_does_not_continue_a_chip_story():
    body = (
        "ByteDance a commandé pour 1 milliard de dollars de H20. "
        "Le groupe a aussi racheté une start-up pour 2 milliards de dollars."
    )
    assert [event.amount for event in events_of(body)] == [Decimal(10**9)]


def test_platform_is_not_a_buyer():
    body = (
        "Les réseaux sociaux chinois, tels que Baidu, regorgent d’annonces de RTX 4090 achetées illégalement."
    )
    (event,) = events_of(body)
    check(event, expect("smuggling", seller="Nvidia", chip="RTX 4090"))


def test_a_company_selling_on_a_platform_is_not_its_buyer():
    (event,) = events_of("Des revendeurs écoulent 5 000 GPU H100 sur Alibaba, selon Reuters.")
    assert event.buyers == ()
    assert event.quantity == Decimal(5000)


def test_two_amounts_for_two_companies_are_two_events():
    body = (
        "En bloquant les ventes de l'accélérateur Nvidia H20, les Etats-Unis ont voulu "
        "frapper un grand coup.\n\n"
        "Mais cela crée un trou de trésorerie de plus de 5 milliards de "
        "dollars pour Nvidia en pertes de "
        "commandes (AMD n'est pas en reste avec près d'un milliard de dollars "
        "de manque à gagner avec ses "
        "propres accélérateurs IA)."
    )
    nvidia, amd = events_of(body)
    assert nvidia.sentence_index == amd.sentence_index == 1
    check(nvidia, expect("restriction", seller="Nvidia", chip="H20", amount=5e9))
    check(amd, expect("restriction", seller="AMD", amount=1e9))


def test_a_multiplier_of_this_amount_is_a_second_event_for_the_paragraphs_buyers():
    body = (
        "Tencent et Baidu se disputent les GPU de Nvidia. Tencent avait déjà "
        "bloqué pour 2 milliards de "
        "dollars de GPU H20 (à livrer en 2024), et la presse ajoute désormais "
        "deux fois ce montant en 2025."
    )
    first, second = events_of(body)
    check(first, expect("order", buyers=["Tencent"], seller="Nvidia", chip="H20", amount=2e9, period="2024"))
    check(
        second,
        expect("order", buyers=["Tencent", "Baidu"], seller="Nvidia", chip="H20", amount=4e9, period="2025"),
    )


def test_a_multiplier_in_the_next_sentence_continues_the_story():
    body = (
        "ByteDance a commandé pour 1 milliard de dollars de puces H20. Le groupe ajoute "
        "trois fois ce montant."
    )
    first, second = events_of(body)
    assert (first.amount, second.amount) == (Decimal(1e9), Decimal(3e9))
    assert second.type == "order" and second.chip == "H20"


def test_these_authorizations_carry_buyers_and_chip():
    body = (
        "Les autorités chinoises ont autorisé ByteDance, Alibaba et Tencent à acheter des puces H200. "
        "Ces autorisations permettent l’achat de plus de 400 000 puces au total, d’autres entreprises "
        "attendant les prochaines séries d’autorisations."
    )
    first, second = events_of(body)
    check(
        second,
        expect(
            "authorization",
            buyers=["ByteDance", "Alibaba", "Tencent"],
            seller="Nvidia",
            chip="H200",
            quantity=400000,
        ),
    )


def test_employees_stand_for_the_company_named_before():
    body = (
        "Plus tôt cette année, ByteDance a testé un chatbot. Deux employés ont "
        "indiqué avoir constitué un "
        "stock d'au moins 10 000 GPU Nvidia pour soutenir leurs ambitions."
    )
    (event,) = events_of(body)
    check(event, expect("stockpile", buyers=["ByteDance"], seller="Nvidia", quantity=10000))


def test_context_does_not_cross_a_paragraph():
    body = (
        "Plus tôt cette année, ByteDance a testé un chatbot.\n"
        "Deux employés ont indiqué avoir constitué un stock d'au moins 10 000 GPU Nvidia."
    )
    (event,) = events_of(body)
    assert event.buyers == ()


def test_passive_purchase_of_held_gpus_is_a_resale_by_the_holder():
    body = (
        "Bytedance avait déjà stocké environ 100 milliards de yuans de puces "
        "H20 de Nvidia. Les GPU ont été "
        "principalement achetés par Tencent. Alibaba a également acquis des GPU de Bytedance."
    )
    stock, tencent, alibaba = events_of(body)
    check(stock, expect("stockpile", buyers=["ByteDance"], seller="Nvidia", chip="H20", amount=1e11))
    check(tencent, expect("resale", buyers=["Tencent"], seller="ByteDance", chip="H20"))
    check(alibaba, expect("resale", buyers=["Alibaba"], seller="ByteDance", chip="H20"))


def test_indefinite_gpus_do_not_take_the_chip_named_before():
    body = (
        "Baidu a acquis 10 000 processeurs A800 auprès de Nvidia. Auparavant, des "
        "entreprises chinoises avaient "
        "déjà acheté pour 4 milliards de dollars de puces graphiques (GPU) dont la "
        "livraison était prévue en 2024."
    )
    first, second = events_of(body)
    check(second, expect("order", seller="Nvidia", amount=4e9, period="2024"))


def test_chip_named_later_for_the_purchases_told_before():
    body = (
        "ByteDance avait déjà bloqué pour 1 milliard de dollars de GPU Nvidia.\n"
        "Selon le FT, les achats de GPU concernent les puces A800 de Nvidia."
    )
    (event,) = events_of(body)
    check(event, expect("order", buyers=["ByteDance"], seller="Nvidia", chip="A800", amount=1e9))


def test_a_ban_told_twice_without_news_is_one_event():
    body = (
        "Washington a interdit l'exportation des puces H20 vers la Chine. Quelques jours "
        "après le blocage des "
        "exportations du composant H20, Huawei a dévoilé sa puce. Le blocage des "
        "exportations de H20 inquiète."
    )
    assert [event.sentence_index for event in events_of(body)] == [0]


@pytest.mark.parametrize(
    "denial",
    [
        "ByTedance a nié le rapport, déclarant que les informations sont «fausses».",
        "ByteDance a démenti ces informations.",
        "Un porte-parole de ByteDance dément toute vente.",
    ],
)
def test_denial_applies_to_the_story_of_the_party_that_denies(denial):
    body = (
        f"Tencent a acheté 20 000 GPU H20 à ByteDance. Alibaba a commandé 5 000 puces H20 "
        f"à Nvidia. {denial}\n"
        "Baidu a commandé 1 000 puces H20."
    )
    resale, order, later = events_of(body)
    assert resale.status == DENIED
    assert order.status == REPORTED  # ByteDance is not a party to it
    assert later.status == REPORTED


def test_bans_by_two_governments_are_two_events():
    body = (
        "Washington exige désormais une licence pour exporter les puces H20 de Nvidia. "
        "Pékin a de son côté demandé aux entreprises chinoises de limiter leurs achats de H20."
    )
    assert [(event.sentence_index, event.type) for event in events_of(body)] == [
        (0, "restriction"),
        (1, "restriction"),
    ]


def test_money_in_a_ban_sentence_is_not_its_amount():
    body = "Les B200, interdits à la vente en Chine, se négocient 3 millions de dollars le rack."
    (event,) = events_of(body)
    check(event, expect("restriction", seller="Nvidia", chip="B200"))


def test_a_denial_in_the_same_sentence():
    (event,) = events_of("Alibaba dément avoir commandé 50 000 puces H20.")
    check(event, expect("order", buyers=["Alibaba"], seller="Nvidia", chip="H20", quantity=50000))
    assert event.status == DENIED


def test_figure_indices_point_into_the_result():
    body = "ByteDance a commandé près de 70 000 puces A8, d'une valeur d'environ 700 millions de dollars."
    result = extract(body, gazetteer=GAZETTEER)
    (event,) = result.events
    assert result.figures[event.quantity_figure].surface == "près de 70 000 puces A8"
    assert result.figures[event.amount_figure].surface == "environ 700 millions de dollars"
    check(
        event, expect("order", buyers=["ByteDance"], seller="Nvidia", chip="A800", quantity=70000, amount=7e8)
    )


@pytest.mark.parametrize(
    "body",
    [
        "BYTEDANCE A COMMANDÉ 100 000 PUCES H20 À NVIDIA.",
        "İstanbul : ByteDance a commandé 100 000 puces H20 à Nvidia.",  # lower case changes the length
    ],
)
def test_any_case(body):
    (event,) = events_of(body)
    check(event, expect("order", buyers=["ByteDance"], seller="Nvidia", chip="H20", quantity=100000))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ont commandé", ["order"]),
        ("a passé commande", ["order"]),
        ("bloqué pour", ["order"]),
        ("prêtes à dépenser", ["order"]),
        ("ont acquis", ["purchase"]),
        ("acquièrent", ["purchase"]),
        ("achètent", ["purchase"]),
        ("revendent", ["resale"]),
        ("revendique", []),
        ("ont stocké", ["stockpile"]),
        ("constitué un stock", ["stockpile"]),
        ("autorisés à", ["authorization"]),
        ("feu vert", ["authorization"]),
        ("exige une licence", ["restriction"]),
        ("introduites clandestinement", ["smuggling"]),
        ("démontées", ["dismantling"]),
        ("produits d'IA", []),
        ("cession", []),
    ],
)
def test_trigger_lexicon(text, expected):
    assert [trigger.type for trigger in find_triggers(text)] == expected
