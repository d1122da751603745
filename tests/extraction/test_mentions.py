"""Tests for articles.extraction.mentions: gazetteer matching, plain Python, no database."""

import importlib

import pytest

from articles.extraction.mentions import chip_maker, company_role, find_mentions
from articles.extraction.types import AUTHORITY, CHIP, COMPANY, Gazetteer, GazetteerEntry

# Chips the dev set names that migration 0002 lacks (bench/score_dev.py lists the same ones).
EXTRA_CHIPS = (
    ("Ascend 950", "Huawei", ("Ascend950",)),
    ("Ascend 920", "Huawei", ()),
    ("GB200", "Nvidia", ()),
)


def migration_gazetteer(extra_chips=EXTRA_CHIPS) -> Gazetteer:
    """The gazetteer that migrate installs, read from the migration's own constants."""
    data = importlib.import_module("articles.migrations.0002_gazetteer")
    companies = tuple(
        GazetteerEntry(name, tuple(aliases), role=role) for name, role, _, aliases in data.COMPANIES
    )
    chips = [
        GazetteerEntry(name, tuple(aliases), maker=maker) for name, maker, _, _, aliases, _ in data.CHIPS
    ]
    chips += [GazetteerEntry(name, aliases, maker=maker) for name, maker, aliases in extra_chips]
    return Gazetteer(companies=companies, chips=tuple(chips))


GAZETTEER = migration_gazetteer()


def named(text, gazetteer=GAZETTEER):
    return [(m.kind, m.name, m.surface) for m in find_mentions(text, gazetteer)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # canonical names and the spellings the press prints
        ("ByteDance a commandé des puces.", [(COMPANY, "ByteDance", "ByteDance")]),
        ("Selon BYTEDANCE, rien n'est décidé.", [(COMPANY, "ByteDance", "BYTEDANCE")]),
        ("Bytedance avait déjà stocké des GPU.", [(COMPANY, "ByteDance", "Bytedance")]),
        ("ByTedance a nié le rapport.", [(COMPANY, "ByteDance", "ByTedance")]),
        ("La société Byte Dance dément.", [(COMPANY, "ByteDance", "Byte Dance")]),
        (
            "Tencent Holdings et Alibaba Group Holding ont acquis des GPU.",
            [(COMPANY, "Tencent", "Tencent Holdings"), (COMPANY, "Alibaba", "Alibaba Group Holding")],
        ),
        ("Alibaba Cloud loue des serveurs.", [(COMPANY, "Alibaba", "Alibaba Cloud")]),
        ("NVIDIA Corp a publié ses comptes.", [(COMPANY, "Nvidia", "NVIDIA Corp")]),
        (
            "Nvidia Corporation et nvidia.",
            [(COMPANY, "Nvidia", "Nvidia Corporation"), (COMPANY, "Nvidia", "nvidia")],
        ),
        (
            "Taiwan Semiconductor Manufacturing Company grave les puces.",
            [(COMPANY, "TSMC", "Taiwan Semiconductor Manufacturing Company")],
        ),
        (
            "Semiconductor Manufacturing International Corporation (SMIC) progresse.",
            [
                (COMPANY, "SMIC", "Semiconductor Manufacturing International Corporation"),
                (COMPANY, "SMIC", "SMIC"),
            ],
        ),
        ("Volcano Engine, l'unité cloud, vend du calcul.", [(COMPANY, "ByteDance", "Volcano Engine")]),
        ("字节跳动 et 腾讯", [(COMPANY, "ByteDance", "字节跳动"), (COMPANY, "Tencent", "腾讯")]),
        ("Deep Seek a entraîné son modèle.", [(COMPANY, "DeepSeek", "Deep Seek")]),
        # an apposition naming one company twice is one mention
        (
            "le propriétaire de TikTok ByteDance a bloqué des GPU",
            [(COMPANY, "ByteDance", "propriétaire de TikTok ByteDance")],
        ),
        (
            "la maison mère de TikTok, ByteDance, a commandé",
            [(COMPANY, "ByteDance", "maison mère de TikTok, ByteDance")],
        ),
        # whole words only
        ("Les Alibabas du monde et les Tencentistes.", []),
        ("TikTok, Yuanbao et ChatGPT sont des produits.", []),
        # chips: longest match, any spacing, case-insensitive
        (
            "la RTX 4090 D et la RTX 4090",
            [(CHIP, "RTX 4090 D", "RTX 4090 D"), (CHIP, "RTX 4090", "RTX 4090")],
        ),
        (
            "une RTX4090D et une GeForce RTX 4090",
            [(CHIP, "RTX 4090 D", "RTX4090D"), (CHIP, "RTX 4090", "GeForce RTX 4090")],
        ),
        ("des H200, pas des H20", [(CHIP, "H200", "H200"), (CHIP, "H20", "H20")]),
        ("les h20 de la HGX H20", [(CHIP, "H20", "h20"), (CHIP, "H20", "HGX H20")]),
        ("le prix de l’A800 et de l'A100", [(CHIP, "A800", "A800"), (CHIP, "A100", "A100")]),
        ("la 910B de Huawei", [(CHIP, "Ascend 910B", "910B"), (COMPANY, "Huawei", "Huawei")]),
        ("70 000 puces A8, une Audi A8", [(CHIP, "A800", "puces A8")]),
        (
            "la puce RTX\u00a04090 de Nvidia",
            [(CHIP, "RTX 4090", "RTX\u00a04090"), (COMPANY, "Nvidia", "Nvidia")],
        ),
        ("le B30A et la B200", [(CHIP, "B30A", "B30A"), (CHIP, "B200", "B200")]),
        # chips outside the gazetteer, by naming scheme
        (
            "des NPU Ascend 950 et des MI308X",
            [(CHIP, "Ascend 950", "Ascend 950"), (CHIP, "MI308X", "MI308X")],
        ),
        ("le GB300 et la RTX 5090 D", [(CHIP, "GB300", "GB300"), (CHIP, "RTX 5090 D", "RTX 5090 D")]),
        # authorities are built in
        (
            "Les États-Unis et les Etats-Unis",
            [(AUTHORITY, "États-Unis", "États-Unis"), (AUTHORITY, "États-Unis", "Etats-Unis")],
        ),
        (
            "Pékin, Beijing et les autorités chinoises",
            [
                (AUTHORITY, "Chine", "Pékin"),
                (AUTHORITY, "Chine", "Beijing"),
                (AUTHORITY, "Chine", "autorités chinoises"),
            ],
        ),
        (
            "l'administration Biden puis l’administration Trump",
            [
                (AUTHORITY, "États-Unis", "administration Biden"),
                (AUTHORITY, "États-Unis", "administration Trump"),
            ],
        ),
        (
            "la Maison-Blanche et le département du Commerce américain",
            [
                (AUTHORITY, "États-Unis", "Maison-Blanche"),
                (AUTHORITY, "États-Unis", "département du Commerce américain"),
            ],
        ),
        ("le ministère chinois du Commerce", [(AUTHORITY, "Chine", "ministère chinois du Commerce")]),
        ("le BIS, pas le 12 bis", [(AUTHORITY, "États-Unis", "BIS")]),
        ("les groupes chinois et la Chine", [(AUTHORITY, "Chine", "Chine")]),
    ],
)
def test_mentions(text, expected):
    assert named(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Le propriétaire de TikTok ByteDance a commandé 70 000 puces A8 de Nvidia.",
        "Tencent Holdings et Alibaba Group Holding ont acquis des H20 (GPU) de NVIDIA de ByTedance.",
        "Les  Etats\u00a0Unis   et   Byte  Dance, la RTX4090D.",
    ],
)
def test_offsets_round_trip(text):
    mentions = find_mentions(text, GAZETTEER)
    assert mentions
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_gazetteer_is_compiled_once_per_value():
    first = migration_gazetteer()
    second = migration_gazetteer()
    assert first == second and first is not second
    assert named("Tencent", first) == named("Tencent", second) == [(COMPANY, "Tencent", "Tencent")]


def test_a_new_alias_takes_effect():
    extended = Gazetteer(
        companies=(*GAZETTEER.companies, GazetteerEntry("Moore Threads", ("摩尔线程",), role="chipmaker")),
        chips=GAZETTEER.chips,
    )
    assert named("Moore Threads et 摩尔线程", extended) == [
        (COMPANY, "Moore Threads", "Moore Threads"),
        (COMPANY, "Moore Threads", "摩尔线程"),
    ]
    assert named("Moore Threads") == []


def test_makers_and_roles():
    assert chip_maker("H20", GAZETTEER) == "Nvidia"
    assert chip_maker("Ascend 910C", GAZETTEER) == "Huawei"
    assert chip_maker("Ascend 960", GAZETTEER) == "Huawei"  # by naming scheme
    assert chip_maker("MI308X", GAZETTEER) == "AMD"
    assert chip_maker(None, GAZETTEER) is None
    assert company_role("TSMC", GAZETTEER) == "foundry"
    assert company_role("Nvidia", GAZETTEER) == "chipmaker"
    assert company_role("Tencent", GAZETTEER) == "tech"
    assert company_role("Inconnue", GAZETTEER) == ""


def test_empty_gazetteer_still_knows_authorities():
    assert named("Washington et Pékin", Gazetteer()) == [
        (AUTHORITY, "États-Unis", "Washington"),
        (AUTHORITY, "Chine", "Pékin"),
    ]
