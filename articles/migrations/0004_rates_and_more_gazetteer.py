"""Yearly average exchange rates for USD estimates, and the companies and chips the dev articles name.

Rates are approximate yearly averages (US dollars for one unit of the currency), rounded to four
significant digits: enough for an estimate that the pages label as such. Editors correct or extend them in
the admin; existing rows are never overwritten by a re-run.
"""

from decimal import Decimal

from django.db import migrations
from django.utils.text import slugify

SOURCE = "Moyenne annuelle approximative (taux de référence publiés), à vérifier par la rédaction"

USD_PER_UNIT = {
    "CNY": {2019: "0.1448", 2020: "0.1450", 2021: "0.1550", 2022: "0.1487", 2023: "0.1412", 2024: "0.1389",
            2025: "0.1393"},
    "EUR": {2019: "1.120", 2020: "1.142", 2021: "1.183", 2022: "1.053", 2023: "1.081", 2024: "1.082",
            2025: "1.130"},
    "HKD": {2019: "0.1277", 2020: "0.1290", 2021: "0.1287", 2022: "0.1277", 2023: "0.1278", 2024: "0.1280",
            2025: "0.1283"},
    "TWD": {2019: "0.03235", 2020: "0.03384", 2021: "0.03573", 2022: "0.03363", 2023: "0.03211",
            2024: "0.03111", 2025: "0.03200"},
    "JPY": {2019: "0.009174", 2020: "0.009368", 2021: "0.009104", 2022: "0.007613", 2023: "0.007124",
            2024: "0.006609", 2025: "0.006700"},
    "KRW": {2019: "0.0008581", 2020: "0.0008477", 2021: "0.0008735", 2022: "0.0007750", 2023: "0.0007660",
            2024: "0.0007330", 2025: "0.0007100"},
    "GBP": {2019: "1.277", 2020: "1.284", 2021: "1.376", 2022: "1.237", 2023: "1.244", 2024: "1.278",
            2025: "1.320"},
}  # fmt: skip

COMPANIES = [
    # name, role, country, aliases
    ("iFlytek", "tech", "Chine", ["iFLYTEK", "Iflytek", "科大讯飞"]),
    ("MetaX", "chipmaker", "Chine", ["沐曦"]),
    ("Moore Threads", "chipmaker", "Chine", ["摩尔线程"]),
    ("Hygon", "chipmaker", "Chine", ["Hygon Information Technology"]),
    ("Sugon", "other", "Chine", ["Dawning Information Industry", "中科曙光"]),
    ("Intel", "chipmaker", "États-Unis", ["Intel Corp", "Intel Corporation"]),
    ("Inspur", "other", "Chine", ["Inspur Electronic Information", "浪潮"]),
    ("Sophgo", "chipmaker", "Chine", ["算能"]),
]

CHIPS = [
    # name, maker, family, variant of, aliases, notes
    ("GB200", "Nvidia", "Blackwell", None, ["GB200 NVL72"], "Superpuce : un processeur Grace et deux B200."),
    ("L20", "Nvidia", "Ada Lovelace", None, [], "Puce d’inférence conçue pour le marché chinois, 2023."),
    ("Ascend 920", "Huawei", "Ascend", None, ["Ascend920"], ""),
    ("Ascend 950", "Huawei", "Ascend", None, ["Ascend950"], ""),
    ("MI308", "AMD", "Instinct", None, ["Instinct MI308"], "Version bridée pour la Chine."),
    ("B20", "Nvidia", "Blackwell", None, [], "Puce Blackwell annoncée pour le marché chinois."),
    ("H20E", "Nvidia", "Hopper", "H20", [], "Version du H20 à mémoire étendue."),
    ("RTX Pro 6000D", "Nvidia", "Blackwell", None, ["RTX Pro 6000 D"], "Carte Blackwell bridée pour la Chine."),
]


def install(apps, schema_editor):
    ExchangeRate = apps.get_model("articles", "ExchangeRate")
    Company = apps.get_model("articles", "Company")
    Chip = apps.get_model("articles", "Chip")
    for currency, years in USD_PER_UNIT.items():
        for year, rate in years.items():
            ExchangeRate.objects.get_or_create(
                currency=currency, year=year, defaults={"usd_per_unit": Decimal(rate), "source": SOURCE}
            )
    for name, role, country, aliases in COMPANIES:
        Company.objects.get_or_create(
            name=name,
            defaults={"slug": slugify(name), "role": role, "country": country, "aliases": "\n".join(aliases)},
        )
    for name, maker, family, variant_of, aliases, notes in CHIPS:
        Chip.objects.get_or_create(
            name=name,
            defaults={
                "slug": slugify(name),
                "maker": Company.objects.filter(name=maker).first(),
                "family": family,
                "variant_of": Chip.objects.filter(name=variant_of).first() if variant_of else None,
                "aliases": "\n".join(aliases),
                "notes": notes,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_extraction_models")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
