"""Tests for articles.extraction.segmenter: plain Python, no Django, no database."""

import dataclasses
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from articles.extraction import Segment, looks_like_title_line, segment
from articles.extraction.segmenter import KINDS

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"


def load_seed_articles():
    return json.loads((ROOT / "fixtures" / "seed_articles.json").read_text(encoding="utf-8"))


def as_units(article):
    return [
        {
            "seed_file": article["seed_file"],
            "sentence_index": s.index,
            "char_start": s.start,
            "char_end": s.end,
            "kind": s.kind,
            "text": s.text,
        }
        for s in segment(article["body"], title=article["title"])
    ]


def pairs(body, title=None):
    return [(s.kind, s.text) for s in segment(body, title=title)]


def assert_well_formed(body, segments):
    assert [s.index for s in segments] == list(range(len(segments)))
    previous_end = 0
    for s in segments:
        assert body[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert previous_end <= s.start < s.end
        assert s.kind in KINDS
        previous_end = s.end


# --- the gold segmentation of the five seeds ---------------------------------------------------


def test_seeds_reproduce_gold_segmentation_exactly():
    gold = json.loads((ROOT / "tests" / "data" / "seeds_sentences.json").read_text(encoding="utf-8"))
    articles = sorted(load_seed_articles(), key=lambda article: article["seed_file"])
    got = [unit for article in articles for unit in as_units(article)]

    first_difference = next(
        (i for i, (expected, actual) in enumerate(zip(gold, got, strict=False)) if expected != actual),
        None,
    )
    if first_difference is None and len(gold) != len(got):
        first_difference = min(len(gold), len(got))
    if first_difference is not None:
        expected = gold[first_difference] if first_difference < len(gold) else None
        actual = got[first_difference] if first_difference < len(got) else None
        pytest.fail(
            f"{len(got)} units for {len(gold)} in the gold; first difference at unit {first_difference}:"
            f"\n  expected {expected}\n  got      {actual}"
        )


@pytest.mark.parametrize("article", load_seed_articles(), ids=lambda article: article["seed_file"][:3])
def test_seed_offsets_are_consistent(article):
    assert_well_formed(article["body"], segment(article["body"], title=article["title"]))


# --- synthetic cases, in the styles of several outlets ----------------------------------------

S, H, T, B, X = "sentence", "heading", "title", "bullet", "boilerplate"

# fmt: off
CASES = {
    # abbreviations
    "civil-title-m": ("M. Huang a visité Pékin. Il a rencontré Mme Wang.", None, [
        (S, "M. Huang a visité Pékin."), (S, "Il a rencontré Mme Wang.")]),
    "civil-titles-mme-mm": ("Mme. Wang a confirmé l'accord. MM. Xi et Biden se sont parlé.", None, [
        (S, "Mme. Wang a confirmé l'accord."), (S, "MM. Xi et Biden se sont parlé.")]),
    "dr-pr-st": ("Le Dr. Li et le Pr. Chen ont visité St. Louis. Ils sont rentrés.", None, [
        (S, "Le Dr. Li et le Pr. Chen ont visité St. Louis."), (S, "Ils sont rentrés.")]),
    "initial": ("Selon J. Huang, la demande explose. Les stocks fondent.", None, [
        (S, "Selon J. Huang, la demande explose."), (S, "Les stocks fondent.")]),
    "hyphenated-initials": ("J.-P. Morgan et J.-C. Decaux ont investi. Rien de plus.", None, [
        (S, "J.-P. Morgan et J.-C. Decaux ont investi."), (S, "Rien de plus.")]),
    "chip-letter-is-not-initial": ("Nvidia lance la RTX 4090 D. Elle vise la Chine.", None, [
        (S, "Nvidia lance la RTX 4090 D."), (S, "Elle vise la Chine.")]),
    "company-forms": ("Nvidia Corp. a publié ses comptes. Alibaba Group Holding Ltd. a suivi.", None, [
        (S, "Nvidia Corp. a publié ses comptes."), (S, "Alibaba Group Holding Ltd. a suivi.")]),
    "company-form-before-capital": ("Samsung Electronics Co. Ltd. et SK Hynix Inc. Corée ont signé.", None, [
        (S, "Samsung Electronics Co. Ltd. et SK Hynix Inc. Corée ont signé.")]),
    "references": ("Voir p. 12 et cf. Reuters. Le reste suit.", None, [
        (S, "Voir p. 12 et cf. Reuters."), (S, "Le reste suit.")]),
    "months-and-env": (
        "Le contrat, signé le 3 janv. 2024, porte sur env. 5 000 puces. Livraison en sept. 2025.", None, [
        (S, "Le contrat, signé le 3 janv. 2024, porte sur env. 5 000 puces."),
        (S, "Livraison en sept. 2025.")]),
    "av-j-c": ("Né en 52 av. J.-C. Vercingétorix résista. Puis il se rendit.", None, [
        (S, "Né en 52 av. J.-C. Vercingétorix résista."), (S, "Puis il se rendit.")]),
    "c-a-d-and-p-ex": (
        "Le haut de gamme, c.-à-d. H100 et H200 (p.ex. Blackwell), coûte cher. Le H20 non.", None, [
        (S, "Le haut de gamme, c.-à-d. H100 et H200 (p.ex. Blackwell), coûte cher."),
        (S, "Le H20 non.")]),
    "etc-is-never-split": ("Baidu, Alibaba, Tencent, etc. Tous achètent des GPU.", None, [
        (S, "Baidu, Alibaba, Tencent, etc. Tous achètent des GPU.")]),
    "list-number-stays": ("1. Premier point de la liste. Second point.", None, [
        (S, "1. Premier point de la liste."), (S, "Second point.")]),
    # numbers (financial press)
    "decimal-comma": ("Bytedance a stocké 13,7 milliards de dollars de puces. Tencent a suivi.", None, [
        (S, "Bytedance a stocké 13,7 milliards de dollars de puces."), (S, "Tencent a suivi.")]),
    "dotted-thousands": ("Le groupe a livré 1.600 puces en 2023. Le chiffre a doublé.", None, [
        (S, "Le groupe a livré 1.600 puces en 2023."), (S, "Le chiffre a doublé.")]),
    "decimal-point": ("La croissance atteint 3.5 % sur un an. Elle ralentit.", None, [
        (S, "La croissance atteint 3.5 % sur un an."), (S, "Elle ralentit.")]),
    "stock-quote": (
        "Le titre Nvidia (NVDA) a gagné 3,2 % à 450,5 dollars. La capitalisation dépasse 1.100 Mds$.", None, [
        (S, "Le titre Nvidia (NVDA) a gagné 3,2 % à 450,5 dollars."),
        (S, "La capitalisation dépasse 1.100 Mds$.")]),
    "digit-starts-sentence": ("Le prix a bondi en 2023. 400 000 puces ont été vendues.", None, [
        (S, "Le prix a bondi en 2023."), (S, "400 000 puces ont été vendues.")]),
    # guillemets and quotes (wire copy)
    "guillemet-closes-sentence": ("« Nous achetons tout. » Puis il est parti.", None, [
        (S, "« Nous achetons tout. »"), (S, "Puis il est parti.")]),
    "guillemet-nbsp": (f"«{NBSP}Nous achetons tout.{NBSP}» Puis il est parti.", None, [
        (S, f"«{NBSP}Nous achetons tout.{NBSP}»"), (S, "Puis il est parti.")]),
    "guillemet-nnbsp": (f"«{NNBSP}Nous achetons tout !{NNBSP}» Puis il est parti.", None, [
        (S, f"«{NNBSP}Nous achetons tout !{NNBSP}»"), (S, "Puis il est parti.")]),
    "guillemets-without-spaces": ("Il a dit «Nous achetons. Nous vendons aussi.» Puis il est parti.", None, [
        (S, "Il a dit «Nous achetons. Nous vendons aussi.»"), (S, "Puis il est parti.")]),
    "guillemet-opens-sentence": ("Il a conclu. « Sans les puces, rien. » Fin.", None, [
        (S, "Il a conclu."), (S, "« Sans les puces, rien. »"), (S, "Fin.")]),
    "quote-inside-sentence": (
        "Selon lui, « les prix baissent. Vraiment » depuis mai. Ce n'est pas sûr.", None, [
        (S, "Selon lui, « les prix baissent. Vraiment » depuis mai."), (S, "Ce n'est pas sûr.")]),
    "english-quotes": ("Il a déclaré “Nous achetons tout. Vraiment.” Puis il a souri.", None, [
        (S, "Il a déclaré “Nous achetons tout. Vraiment.”"), (S, "Puis il a souri.")]),
    "straight-quotes": ('Il a dit "Nous achetons tout." Puis il est parti. "Non" a suivi.', None, [
        (S, 'Il a dit "Nous achetons tout."'), (S, "Puis il est parti."), (S, '"Non" a suivi.')]),
    "fausses-machine-translation": (
        "ByTedance a nié le rapport, déclarant que les informations sont «fausses». "
        "Cependant, la société vend moins de 10% de ses puces.", None, [
        (S, "ByTedance a nié le rapport, déclarant que les informations sont «fausses»."),
        (S, "Cependant, la société vend moins de 10% de ses puces.")]),
    # parentheses, ellipsis, other terminators
    "parenthesis-with-period": (
        "Alibaba (cotée à New York. Siège à Hangzhou) a acheté. Tencent aussi.", None, [
        (S, "Alibaba (cotée à New York. Siège à Hangzhou) a acheté."), (S, "Tencent aussi.")]),
    "parenthesised-sentence": (
        "Le groupe a conclu. (Il n'a pas donné de détails.) Les marchés ont réagi.", None, [
        (S, "Le groupe a conclu."), (S, "(Il n'a pas donné de détails.)"), (S, "Les marchés ont réagi.")]),
    "ellipsis-char": ("Les ventes montent… Puis elles chutent.", None, [
        (S, "Les ventes montent…"), (S, "Puis elles chutent.")]),
    "ellipsis-dots": ("Les ventes montent... Puis elles chutent.", None, [
        (S, "Les ventes montent..."), (S, "Puis elles chutent.")]),
    "question-and-exclamation": ("Et maintenant ? Le titre a bondi ! À Pékin, on attend.", None, [
        (S, "Et maintenant ?"), (S, "Le titre a bondi !"), (S, "À Pékin, on attend.")]),
    "accented-capitals": ("Le marché a chuté. États-Unis et Chine s'affrontent. Équilibre fragile.", None, [
        (S, "Le marché a chuté."), (S, "États-Unis et Chine s'affrontent."), (S, "Équilibre fragile.")]),
    "lowercase-after-period": ("Nvidia a publié ses comptes. iPhone et puces ne se mélangent pas.", None, [
        (S, "Nvidia a publié ses comptes. iPhone et puces ne se mélangent pas.")]),
    "colon-before-capital": ("Le constat est clair : La Chine accélère.", None, [
        (S, "Le constat est clair : La Chine accélère.")]),
    "space-before-comma": ("D'après le Financial Times , Baidu a dépensé 1 milliard. Tencent aussi.", None, [
        (S, "D'après le Financial Times , Baidu a dépensé 1 milliard."), (S, "Tencent aussi.")]),
    # whitespace
    "nbsp-after-period": (f"Le prix a bondi de 50{NBSP}%.{NBSP}Tencent a suivi.{THIN}Baidu aussi.", None, [
        (S, f"Le prix a bondi de 50{NBSP}%."), (S, "Tencent a suivi."), (S, "Baidu aussi.")]),
    "crlf": ("Titre de l'article\r\n\r\nM. Huang a visité Pékin.\r\nIl est reparti. Fin.\r\n", None, [
        (T, "Titre de l'article"), (S, "M. Huang a visité Pékin."), (S, "Il est reparti."), (S, "Fin.")]),
    "indented-lines": ("   Premier paragraphe.  \n\t Second paragraphe.\t\n", None, [
        (S, "Premier paragraphe."), (S, "Second paragraphe.")]),
    # bullets (tech sites)
    "bullets-various-markers": (
        "Points clés\n- Nvidia vend moins.\n* Tencent achète.\n– AMD attend\n— Intel aussi.\n"
        "▪ Huawei progresse. Il vise 2025.\n● SMIC suit.\n◦ Baidu aussi.\n· Fin.\n  • Dernier point.",
        None, [
            (H, "Points clés"), (B, "Nvidia vend moins."), (B, "Tencent achète."), (B, "AMD attend"),
            (B, "Intel aussi."), (B, "Huawei progresse."), (B, "Il vise 2025."), (B, "SMIC suit."),
            (B, "Baidu aussi."), (B, "Fin."), (B, "Dernier point.")]),
    "hyphen-without-space-is-not-bullet": ("-5 % sur un an. Le titre recule.", None, [
        (S, "-5 % sur un an."), (S, "Le titre recule.")]),
    "separator-line": ("Première partie.\n* * *\nSeconde partie.", None, [
        (S, "Première partie."), (X, "* * *"), (S, "Seconde partie.")]),
    # headings
    "heading": ("Des inquiétudes persistantes\nLe texte suit.", None, [
        (H, "Des inquiétudes persistantes"), (S, "Le texte suit.")]),
    "heading-with-colon-inside": ("Intro.\n\nDémantèlement de cartes : une stratégie\n\nSuite.", None, [
        (S, "Intro."), (H, "Démantèlement de cartes : une stratégie"), (S, "Suite.")]),
    "repeated-headings": ("Intro.\nLa Chine, prête à tout\nLa Chine, prête à tout\nSuite.", None, [
        (S, "Intro."), (H, "La Chine, prête à tout"), (H, "La Chine, prête à tout"), (S, "Suite.")]),
    "question-heading-no-space": ("Intro.\nLa puce de Huawei peut-elle gagner?\nSuite.", None, [
        (S, "Intro."), (H, "La puce de Huawei peut-elle gagner?"), (S, "Suite.")]),
    "question-heading-nbsp": (f"Intro.\n\nPourquoi les GPU sont-ils cruciaux{NBSP}?\n\nSuite.", None, [
        (S, "Intro."), (H, f"Pourquoi les GPU sont-ils cruciaux{NBSP}?"), (S, "Suite.")]),
    "question-after-sentence": ("Intro.\nLe marché chute. Pourquoi ?", None, [
        (S, "Intro."), (S, "Le marché chute."), (S, "Pourquoi ?")]),
    "long-question-is-sentence": ("Intro.\n" + "Pourquoi " + "les puces " * 20 + "?", None, [
        (S, "Intro."), (S, "Pourquoi " + "les puces " * 20 + "?")]),
    "attribution-line": ("Le prix a grimpé de 50 %.\n(Selon le Financial Times)\nSource", None, [
        (S, "Le prix a grimpé de 50 %."), (S, "(Selon le Financial Times)"), (X, "Source")]),
    # title detection
    "title-by-shape": ("Nvidia vend ses puces en Chine\n\nLe groupe a confirmé.", None, [
        (T, "Nvidia vend ses puces en Chine"), (S, "Le groupe a confirmé.")]),
    "title-shape-needs-blank-line": ("Nvidia vend ses puces en Chine\nLe groupe a confirmé.", None, [
        (H, "Nvidia vend ses puces en Chine"), (S, "Le groupe a confirmé.")]),
    "title-by-argument": (
        "Nvidia vend ses puces en Chine\nLe groupe a confirmé.", "nvidia  vend ses PUCES en chine", [
        (T, "Nvidia vend ses puces en Chine"), (S, "Le groupe a confirmé.")]),
    "title-argument-with-punctuation": (
        "Nvidia vend. Le titre bondit.\nTexte.", "Nvidia vend. Le titre bondit.", [
        (T, "Nvidia vend. Le titre bondit."), (S, "Texte.")]),
    "title-argument-not-matching": ("Le groupe a confirmé. Il vend.\nTexte.", "Nvidia vend", [
        (S, "Le groupe a confirmé."), (S, "Il vend."), (S, "Texte.")]),
    "title-with-colon-capital": ("Guerre des IA : La Chine récupère les puces\n\nTexte.", None, [
        (T, "Guerre des IA : La Chine récupère les puces"), (S, "Texte.")]),
    "title-too-long": ("Nvidia " * 40 + "\n\nTexte.", None, [(H, ("Nvidia " * 40).strip()), (S, "Texte.")]),
    "leading-blank-lines-before-title": ("\n\n  Nvidia en Chine  \n \nTexte.", None, [
        (T, "Nvidia en Chine"), (S, "Texte.")]),
    "boilerplate-first-line-is-not-title": ("Publicité\n\nTexte.", None, [(X, "Publicité"), (S, "Texte.")]),
    # empty input
    "empty": ("", None, []),
    "whitespace-only": (f"  \n\t\r\n {NBSP}{NNBSP} \n", None, []),
}
# fmt: on


@pytest.mark.parametrize(("body", "title", "expected"), CASES.values(), ids=CASES.keys())
def test_synthetic_cases(body, title, expected):
    assert pairs(body, title) == expected


@pytest.mark.parametrize(("body", "title", "expected"), CASES.values(), ids=CASES.keys())
def test_synthetic_offsets_are_consistent(body, title, expected):
    assert_well_formed(body, segment(body, title=title))


BOILERPLATE_LINES = [
    "Source",
    "Comment (0)",
    "Commentaires (3)",
    "12 commentaires",
    "Plus",
    "Lire la suite",
    "Laisser un commentaire",
    "Send this to a friend",
    "Suivez également Business AM sur Google Actualités",
    "Suivez-nous sur LinkedIn",
    "Si vous souhaitez accéder à tous les articles, abonnez-vous ici!",
    "Abonnez-vous pour lire la suite",
    "Article réservé aux abonnés",
    "Partager",
    "Partager sur Facebook",
    "Facebook",
    "Lire aussi : Nvidia dépasse Apple en Bourse",
    "À lire aussi",
    "A lire également : la Chine et les puces",
    "Sur le même sujet",
    "Publicité",
    "Contenu sponsorisé",
    "Inscrivez-vous à notre newsletter quotidienne",
    "Recevez notre newsletter Tech chaque matin",
    "Newsletter",
    "Lecture Zen",
    "Résumer l'article",
    "Résumer l’article",
    "Temps de lecture : 3 min",
    "Ce site utilise des cookies pour améliorer votre expérience.",
    "Accepter et fermer",
    "© 2024 Business AM. Tous droits réservés.",
    "Tous droits réservés",
    "Mots-clés : Nvidia, Chine, GPU",
    "Photo : AFP",
    f"Partager{NBSP}(12)",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_boilerplate_lines_are_classified_not_dropped(line):
    body = f"Nvidia a publié ses comptes.\n{line}\nLe titre a bondi."
    assert pairs(body) == [(S, "Nvidia a publié ses comptes."), (X, line), (S, "Le titre a bondi.")]


def test_boilerplate_bullet_excludes_its_marker():
    body = "Texte.\n• Lire aussi : la Chine autorise les H200"
    last = segment(body)[-1]
    assert (last.kind, last.text, last.start) == (X, "Lire aussi : la Chine autorise les H200", 9)


@pytest.mark.parametrize(
    "sentence",
    [
        "Les fabricants produisent les cookies de haute technologie.",
        "Plus de 4 000 cartes ont été démontées.",
        "Source de tensions, la puce H20 reste prisée.",
        "Les lecteurs peuvent partager leurs commentaires sur le site du journal.",
    ],
)
def test_sentences_resembling_boilerplate_stay_sentences(sentence):
    assert pairs(f"Intro.\n{sentence}") == [(S, "Intro."), (S, sentence)]


# --- offsets on awkward input -------------------------------------------------------------------


def test_crlf_offsets_point_into_the_original_string():
    body = "Titre\r\n\r\n  • Premier point.\r\nM. Huang a parlé. Fin.\r\n"
    segments = segment(body)
    assert [(s.start, s.end) for s in segments] == [(0, 5), (13, 27), (29, 46), (47, 51)]
    assert_well_formed(body, segments)


def test_bullet_offsets_exclude_the_marker():
    body = "  • Les géants chinois achètent. Tencent aussi."
    segments = segment(body)
    assert [(s.kind, s.start, s.text) for s in segments] == [
        (B, 4, "Les géants chinois achètent."),
        (B, 33, "Tencent aussi."),
    ]


def test_random_noise_keeps_offsets_consistent():
    pieces = list('aAéÉ M.J-C()«»“”"[]!?…;:,0123 \u00a0\u202f\n\r\t•*–') + ["Mme", "etc", "Source", "\r\n"]
    rng = random.Random(20240809)
    for _ in range(2000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        assert_well_formed(body, segment(body, title=rng.choice([None, body.split("\n")[0]])))


# --- looks_like_title_line and the API ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("La Chine autorise les achats\n\nTexte.", "La Chine autorise les achats"),
        ("La Chine autorise les achats\r\n \r\nTexte.", "La Chine autorise les achats"),
        ("\n  Titre  \n\nTexte.", "Titre"),
        ("La Chine autorise les achats.\n\nTexte.", None),
        ("La Chine autorise-t-elle les achats ?\n\nTexte.", None),
        ("Les points suivants :\n\nTexte.", None),
        ("La Chine autorise les achats\nTexte.", None),
        ("La Chine autorise les achats", None),
        ("• Premier point\n\nTexte.", None),
        ("x" * 201 + "\n\nTexte.", None),
        ("", None),
        (" \n ", None),
    ],
)
def test_looks_like_title_line(body, expected):
    assert looks_like_title_line(body) == expected


def test_segment_is_a_frozen_dataclass():
    unit = segment("Une phrase.")[0]
    assert unit == Segment(index=0, start=0, end=11, text="Une phrase.", kind=S)
    with pytest.raises(dataclasses.FrozenInstanceError):
        unit.kind = H  # type: ignore[misc]


def test_kinds_are_the_five_model_choices():
    assert KINDS == ("title", "heading", "sentence", "bullet", "boilerplate")


def test_extraction_does_not_import_django():
    code = "import articles.extraction, sys; assert 'django' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
