"""Install the gazetteer of companies and chips so that an empty database is usable without a fixture step.

Canonical names come from shared/gold/GUIDELINES.md; aliases include the spellings and typos the seed
articles print ("ByTedance", "puces A8"). The data lives here, not in an importable module, so this
migration keeps doing exactly what it did when a later change edits the gazetteer elsewhere. Existing rows
are left as they are: an editor's correction is never overwritten by a re-run of migrate.
"""

from django.db import migrations
from django.utils.text import slugify

COMPANIES = [
    # name, role, country, aliases
    ("ByteDance", "tech", "Chine", ["Bytedance", "ByTedance", "Byte Dance", "BYTEDANCE", "字节跳动",
                                    "propriétaire de TikTok", "maison mère de TikTok", "Volcano Engine"]),
    ("Alibaba", "tech", "Chine", ["Alibaba Group", "Alibaba Group Holding", "Alibaba Cloud", "Aliyun",
                                  "groupe Alibaba", "阿里巴巴"]),
    ("Tencent", "tech", "Chine", ["Tencent Holdings", "Tencent Cloud", "腾讯"]),
    ("Baidu", "tech", "Chine", ["Baidu Inc", "百度"]),
    ("DeepSeek", "tech", "Chine", ["Deep Seek", "深度求索"]),
    ("Nvidia", "chipmaker", "États-Unis", ["NVIDIA", "Nvidia Corp", "Nvidia Corporation"]),
    ("Huawei", "chipmaker", "Chine", ["Huawei Technologies", "HiSilicon", "华为"]),
    ("Cambricon", "chipmaker", "Chine", ["Cambricon Technologies", "寒武纪"]),
    ("AMD", "chipmaker", "États-Unis", ["Advanced Micro Devices"]),
    ("TSMC", "foundry", "Taïwan", ["Taiwan Semiconductor Manufacturing Company", "Taiwan Semiconductor",
                                  "台积电"]),
    ("SMIC", "foundry", "Chine", ["Semiconductor Manufacturing International Corporation", "中芯国际"]),
]

CHIPS = [
    # name, maker, family, variant of, aliases, notes
    ("A100", "Nvidia", "Ampere", None, ["A100 Tensor Core"], ""),
    ("A800", "Nvidia", "Ampere", "A100", ["puces A8"],
     "Version bridée de l’A100 pour la Chine (débit d’interconnexion réduit), 2022."),
    ("H100", "Nvidia", "Hopper", None, [], ""),
    ("H800", "Nvidia", "Hopper", "H100", [], "Version bridée du H100 pour la Chine, 2023."),
    ("H20", "Nvidia", "Hopper", "H100", ["HGX H20"], "Puce Hopper conçue pour les règles d’exportation de fin 2023."),
    ("H200", "Nvidia", "Hopper", None, [], ""),
    ("B200", "Nvidia", "Blackwell", None, [], ""),
    ("B30A", "Nvidia", "Blackwell", "B200", [], "Puce Blackwell envisagée pour le marché chinois."),
    ("RTX 4090", "Nvidia", "Ada Lovelace", None, ["GeForce RTX 4090", "RTX4090"], "Carte graphique grand public."),
    ("RTX 4090 D", "Nvidia", "Ada Lovelace", "RTX 4090", ["RTX 4090D", "GeForce RTX 4090 D", "RTX4090D"],
     "Version de la RTX 4090 conforme aux règles d’exportation américaines."),
    ("Ascend 910B", "Huawei", "Ascend", None, ["910B", "Ascend910B"], ""),
    ("Ascend 910C", "Huawei", "Ascend", None, ["910C", "Ascend910C"], ""),
]


def install_gazetteer(apps, schema_editor):
    Company = apps.get_model("articles", "Company")
    Chip = apps.get_model("articles", "Chip")
    companies = {}
    for name, role, country, aliases in COMPANIES:
        companies[name], _ = Company.objects.get_or_create(
            name=name,
            defaults={"slug": slugify(name), "role": role, "country": country, "aliases": "\n".join(aliases)},
        )
    chips = {}
    for name, maker, family, variant_of, aliases, notes in CHIPS:
        chips[name], _ = Chip.objects.get_or_create(
            name=name,
            defaults={
                "slug": slugify(name),
                "maker": companies.get(maker),
                "family": family,
                "variant_of": chips.get(variant_of),
                "aliases": "\n".join(aliases),
                "notes": notes,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(install_gazetteer, migrations.RunPython.noop)]
