"""French trigger words and context cues for the event rules in events.py.

Each trigger is a verb form or a noun with the event type it announces (GUIDELINES.md, "Events"). The
patterns run on a matching copy of the sentence (same length: ’ → ', no-break spaces → spaces), case
folded by the IGNORECASE flag, so that match offsets are offsets into the sentence. Inflections are
spelled out rather than stemmed: a stem such as "command" would also match "commandant" (a commander) and
"produit" is a verb and a noun ("les produits d'IA").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A verb stands on its own. A noun ("achats") or a sale ("vendre", "livrer", whose subject is the seller)
# needs a figure to be news; a ban verb needs a trade object ("bloquer les ventes", not "bloquer l'accès").
VERB, NOUN, NEEDS_FIGURE, NEEDS_OBJECT, SALE = "verb", "noun", "needs_figure", "needs_object", "sale"

# Words for the hardware itself: an event must be about chips (or continue a sentence that was).
CHIP_NOUN = (
    r"puces?|GPU|processeurs?|accélérateurs?|semi-?conducteurs?|composants?|cartes?(?: graphiques?)?|"
    r"NPU|chips?|unités de traitement|circuits?|wafers?|serveurs?"
)
# Things a ban or a licence bears on when it is about the chip trade.
TRADE_NOUN = r"exportations?|export|importations?|ventes?|achats?|livraisons?|expéditions?|commandes?"
TRADE_VERB = (
    r"acheter|acquérir|importer|exporter|vendre|livrer|expédier|commander|se procurer|"
    r"utiliser\s+(?:des|les|de)\s+(?:puces|GPU|semi-conducteurs|processeurs|accélérateurs)"
)


def _rx(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def matching_copy(text: str) -> str:
    """Same-length copy of text for matching: one apostrophe, plain spaces."""
    for char, plain in _MATCHING:
        if char in text:  # str.translate costs more than these few membership tests
            text = text.replace(char, plain)
    return text


_MATCHING = (("’", "'"), ("ʼ", "'"), ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "))


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    form: str  # VERB, NOUN, NEEDS_FIGURE, NEEDS_OBJECT or SALE
    start: int
    end: int


# Cues found by the same scan as the triggers, and returned with them.
LOSS, HABITUAL = "loss", "habitual"

# (type, form, pattern), in lower case: they run on a lower-case copy (see find_triggers). At one position
# the first entry listed wins.
_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # --- cues: lost business from a ban, the amount of a restriction ("pertes de commandes" is no
    # order); a habit, which is no event ("passant souvent commande")
    (LOSS, VERB, r"trou\s+de\s+trésorerie|manque\s+à\s+gagner|pertes?\s+de\s+(?:commandes|revenus|ventes|"
                 r"chiffre\s+d'affaires)|charges?\s+(?:exceptionnelles?\s+)?de|dépréciations?|perte\s+sèche"),
    (HABITUAL, VERB, r"chaque\s+année|chaque\s+mois|souvent|généralement|habituellement|d'habitude|"
                     r"en\s+général|d'usage|traditionnellement|régulièrement"),
    # --- order: commands, advance bookings, money set aside or planned
    ("order", VERB, r"command(?:é|ée|és|ées|ent|er|ait|aient|era|eront|erait|eraient|ons|ez)"),
    ("order", VERB, r"pass\w+\s+(?:une\s+|des\s+|de\s+(?:nouvelles\s+|grosses\s+)?|d'importantes\s+)?"
                    r"commandes?"),
    ("order", VERB, r"livr\w+\s+commandes?|précommand\w+|réserv(?:é|ée|és|ées|er)\s+pour"),
    ("order", VERB, r"bloqu(?:é|ée|és|ées|er)\s+pour"),
    ("order", VERB, r"(?:prêt\w*|prévoi\w*|prévu\w*|compt\w+|envisag\w+|s'apprêt\w+|vont|va|devrai\w*|"
                    r"devr\w+|projet\w+)\s+(?:de\s+|d'|à\s+)?dépenser|dépenser(?:a|ont|ai\w*)"),
    ("order", NOUN, r"commandes?|précommandes?|carnet de commandes"),
    # --- purchase: bought, acquired, paid for; a sale by the maker is a purchase by its clients
    ("purchase", VERB, r"achet(?:er|é|ée|és|ées|ait|aient|ant|ons|ez)|"
                       r"achète(?:nt|s|ra|ras|rait|raient|ront)?|"
                       r"rachet(?:er|é|ée|és|ées|ait|aient)|rachète(?:nt)?"),
    ("purchase", VERB, r"acqu(?:érir|iert|ièrent|ière|is|ise|ises|érait|éraient|erra|erront|errait)"),
    ("purchase", VERB, r"dépens(?:é|ée|és|ées|ent)|se procur\w+|s'(?:est|sont)\s+procur\w+|"
                       r"s'approvisionn\w+|approvisionn(?:é|ée|és|ées)"),
    ("purchase", SALE, r"vend(?:re|u|ue|us|ues|ait|aient|ent|ra|ront|rait|raient)?|vends|"
                       r"commercialis\w+|écoul\w+|livr(?:er|é|ée|és|ées|era|eront|ait|aient|ant)|"
                       r"cédé\w*|fourni(?:r|t|ra|ront|rait|ssent|ssait)|expédi(?:er|é|ée|és|ées|era|eront|ait|aient)"),
    ("purchase", NEEDS_FIGURE, r"import(?:er|é|ée|és|ées|ent|ait|aient)"),
    ("purchase", VERB, r"re[çc]u\w*\s+(?:les\s+|des\s+|leurs\s+|ses\s+)?(?:premi\w+\s+)?"
                       r"(?:livraisons?|lots?)"),
    ("purchase", NOUN, r"achats?|acquisitions?|ventes?|livraisons?|importations?|dépenses?|acheteurs?"),
    # --- resale: chips sold on by a buyer
    ("resale", VERB, r"revend(?:re|s|ent|ait|aient|ra|ront|rait|raient|ant)?|reven(?:du|due|dus|dues)|"
                     r"mis\w*\s+en\s+vente|rétrocéd\w+"),
    ("resale", NOUN, r"reventes?|marché secondaire"),
    # --- stockpile
    ("stockpile", VERB, r"stock(?:é|ée|és|ées|er|ent|ait|aient|ant)|stockpil\w+|"
                        r"accumul(?:é|ée|és|ées|er|ent|ait|aient|ant)|amass\w+|fai\w+\s+le\s+plein|"
                        r"constitu\w+\s+(?:\w+\s+){0,2}?(?:stocks?|réserves?)|fai\w+\s+des\s+(?:stocks?|réserves?)"),
    ("stockpile", NOUN, r"stocks?|réserves?"),
    # --- smuggling
    ("smuggling", VERB, r"contreband\w*|clandestin\w*|marché\s+(?:noir|gris|parallèle)|en\s+fraude|"
                        r"illégal(?:e|es|ement)|frauduleuse\w*|trafic\s+de|trafiquants?|passeurs?|"
                        r"saisi(?:e|es|s)?|saisies?"),
    # --- dismantling
    ("dismantling", VERB, r"démont\w+|démant[eè]l\w+|désoud\w+|dessoud\w+|cannibalis\w+|"
                          r"(?:récupér|retir|extr|prélev)\w+\s+(?:les|leurs|des)\s+puces"),
    # --- production
    ("production", VERB, r"produi(?:re|sent|sait|saient|ra|ront|rait|raient)|produit(?:e|es)|"
                         r"fabriqu(?:er|é|ée|és|ées|e|ent|ait|aient|era|eront|ant)|"
                         r"grav(?:é|ée|és|ées|er|era|eront)\s+(?:en|par|chez)|"
                         r"reposent\s+sur|repose\s+sur|s'appui\w+\s+sur|sous-trait\w+|"
                         r"(?:entr\w+|mis\w*|lanc\w+|démarr\w+)\s+(?:en|la)\s+production|"
                         r"confi\w+\s+(?:la\s+)?(?:production|fabrication)"),
    ("production", NOUN, r"production|fabrication"),
    # --- authorization
    ("authorization", VERB, r"autoris(?:e|ent|é|ée|és|ées|er|ait|aient|era|eront|erait|ant)|"
                            r"approuv(?:é|ée|és|ées|er|e|ent|ait|era)|feu\s+vert|"
                            r"(?:accord|délivr|octroy|obten|reç|re[cç]u)\w*\s+(?:des\s+|une\s+|de\s+nouvelles\s+|"
                            r"les\s+)?(?:licences?|autorisations?|dérogations?|exemptions?)|"
                            r"lev\w+\s+(?:l'interdiction|les\s+restrictions|l'embargo)|"
                            r"permett?\w*\s+(?:l'achat|l'exportation|la\s+vente|l'importation|d'acheter|"
                            r"d'exporter|de\s+vendre|d'importer)"),
    ("authorization", NOUN, r"autorisations?|licences?\s+d'exportation|approbations?|dérogations?"),
    # --- restriction
    ("restriction", VERB, r"refus\w*\s+(?:d'|de\s+)(?:autoriser|approuver|accorder|délivrer|valider)"),
    ("restriction", VERB, r"exig\w+\s+(?:désormais\s+)?(?:une\s+|des\s+|l'|la\s+)?"
                          r"(?:licences?|autorisations?|approbations?)|"
                          r"nécessit\w+\s+(?:désormais\s+|\w+ment\s+)?(?:une\s+|des\s+)?"
                          r"(?:licences?|autorisations?)|"
                          r"soumis\w*\s+à\s+(?:une\s+|des\s+)?(?:licences?|autorisations?)"),
    ("restriction", VERB, r"interdit(?:e|es|s)?\s+(?:à\s+l'export\w*|d'export\w*|à\s+la\s+vente|de\s+vente)"),
    ("restriction", VERB, r"ne\s+(?:peu[tv]\w*|pourr\w+|pouv\w+|doi\w+|sont|est)\s+(?:plus|pas|guère)?\s*"
                          r"(?:\w+ment\s+)?(?:autorisé\w*\s+à\s+)?(?:acheter|acquérir|importer|commander|"
                          r"se\s+procurer)|n'(?:ont|a)\s+plus\s+le\s+droit"),
    ("restriction", VERB, r"(?:demand|ordonn|exig|somm|enjoi|conseill|recommand|incit|pouss|dissuad|"
                          r"appel)\w*\s+(?:\w+\s+){0,5}?(?:à|de|d')\s*(?:cesser|suspendre|arrêter|renoncer|ne\s+pas|"
                          r"limiter|réduire|éviter)\s+(?:\w+\s+){0,3}?(?:leurs?\s+|les\s+|d'|de\s+)?"
                          r"(?:achats?|acheter|commandes?|commander|importations?|importer|utiliser)"),
    ("restriction", NEEDS_OBJECT, r"interdi(?:t|te|ts|tes|re|sent|sait|saient|sant|ra|ront|rait)|empêch\w+|"
                          r"bloqu(?:e|ent|é|ée|és|ées|er|ait|aient|ant|era|eront)|"
                          r"restrei(?:ndre|nt|gnent|gnait|gnant)|restreint(?:e|es|s)?|"
                          r"limit(?:er|e|ent|é|ée|és|ées|ait|ant|era)|plafonn\w+|"
                          r"suspend(?:re|u|ue|us|ent|ait)|interromp\w+|cess(?:er|e|ent|é|ait|aient|era)|"
                          r"mett\w+\s+fin"),
    ("restriction", VERB, r"(?:inscri|ajout|plac)\w*\s+(?:[\w'-]+\s+){0,4}?(?:sur|à)\s+"
                          r"(?:la\s+|sa\s+|leur\s+)?(?:liste|entity)"),
    ("restriction", NOUN, r"interdictions?|restrictions?|contrôles?\s+(?:\w+\s+)?(?:à|aux|sur\s+les)\s+"
                          r"(?:l'|les\s+)?(?:ex|im)port\w*|embargos?|blocages?|arrêt\s+des\s+(?:exportations|ventes|"
                          r"livraisons)|quotas?|plafonds?|liste\s+noire|entity\s+list|durcissement|"
                          r"règles?\s+d'exportation"),
)  # fmt: skip


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (brackets, classes and escapes respected)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _leading_group(branch: str) -> tuple[str, str] | None:
    """("a|b", rest) when branch starts with a non-capturing group "(?:a|b)" that no quantifier follows."""
    if not branch.startswith("(?:"):
        return None
    depth = 0
    for i, char in enumerate(branch):
        depth += (char == "(") - (char == ")") if branch[i - 1 : i] != "\\" else 0
        if depth == 0:
            rest = branch[i + 1 :]
            return None if rest[:1] in ("?", "*", "+", "{") else (branch[3:i], rest)
    return None


def _branches(pattern: str) -> list[str]:
    """Alternatives of pattern, a leading group distributed, so that each starts with its first letter."""
    out = []
    for branch in _split_top(pattern):
        group = _leading_group(branch)
        if group is None:
            out.append(branch)
        else:
            out.extend(inner + group[1] for inner in _branches(group[0]))
    return out


def _dispatch(
    entries: tuple[tuple[str, str, str], ...], *, named: bool = False, flags: int = 0
) -> re.Pattern[str]:
    """One regex finding every trigger, its branches sorted into a tree by their first two letters, with
    no capture group.

    Python's re tries the alternatives of a group one after the other: at a word start the engine then
    tries only the branches that can begin with that word's letters (a flat alternation tried them all,
    ten times slower), and without named groups it runs twice as fast again; which entry matched is asked
    afterwards, only where something did. Branches that share two letters keep the order of the list,
    and branches with different letters cannot match at the same place, so the order of the list still
    decides as in a flat alternation. With named=True, each branch is the group "t<entry index>_<n>".
    """
    tree: dict[str, dict[str, list[str]]] = {}
    for i, (_, _, pattern) in enumerate(entries):
        for j, branch in enumerate(_branches(pattern)):
            if not _leading_letters(branch, 2):
                raise ValueError(f"a trigger branch must start with two letters: {branch!r}")
            rest = f"(?P<t{i}_{j}>{branch[2:]})" if named else branch[2:]
            tree.setdefault(branch[0].lower(), {}).setdefault(branch[1].lower(), []).append(rest)
    letters = "".join(sorted(tree))
    level_one = []
    for first, seconds in tree.items():
        level_two = "|".join(f"{re.escape(second)}(?:{'|'.join(rests)})" for second, rests in seconds.items())
        level_one.append(f"{re.escape(first)}(?:{level_two})")
    return re.compile(rf"(?<!\w)(?=[{letters}])(?:{'|'.join(level_one)})(?!\w)", flags)


def _leading_letters(branch: str, count: int) -> bool:
    """Whether branch starts with count literal letters (or apostrophes), none of them quantified."""
    head = branch[: count + 1]
    return (
        len(head) > count
        and all(char.isalpha() or char == "'" for char in head[:count])
        and head[count] not in "?*+{"
    )


def _check_lower_case(entries: tuple[tuple[str, str, str], ...]) -> None:
    for _, _, pattern in entries:
        if re.search("[A-Z]", re.sub(r"\\.", "", pattern)):
            raise ValueError(f"trigger patterns are written in lower case: {pattern!r}")


_check_lower_case(_TRIGGERS)
# Case-sensitive on a lower-case copy: IGNORECASE makes re compare every letter both ways, 40 % slower.
TRIGGERS = _dispatch(_TRIGGERS)
# The same tree with one named group per branch, asked only where TRIGGERS found something.
_NAMED = _dispatch(_TRIGGERS, named=True)
# For the rare text whose lower case changes its length ("İ"): the same patterns, case folded by re.
_TRIGGERS_ANY_CASE = _dispatch(_TRIGGERS, flags=re.IGNORECASE)
_NAMED_ANY_CASE = _dispatch(_TRIGGERS, named=True, flags=re.IGNORECASE)


def find_triggers(text: str) -> list[Trigger]:
    """Every trigger and cue of text, in order (non-overlapping; at one position the first entry wins)."""
    lower = text.lower()
    scan, name = TRIGGERS, _NAMED
    if len(lower) != len(text):
        lower, scan, name = text, _TRIGGERS_ANY_CASE, _NAMED_ANY_CASE
    found = []
    for match in scan.finditer(lower):
        named = name.match(lower, match.start())
        kind, form, _ = _TRIGGERS[int(named.lastgroup[1:].partition("_")[0])]
        found.append(Trigger(kind, form, match.start(), match.end()))
    return found


# --- cues read around a trigger or a figure ----------------------------------------------------------

# A restriction or a licence named as the background of another statement, not as news.
BACKGROUND = _rx(
    r"(?<!\w)(?:malgré|en\s+dépit|contourn\w+|échapp\w+|face\s+(?:aux?|à)|en\s+raison\s+d\w*|à\s+cause\s+d\w*|"
    r"avec\s+(?:les|ces|des|la|l')|dans\s+le\s+respect|conform\w+|respect\w+|craign\w+|crainte|redout\w+|"
    r"de\s+peur|par\s+peur|dans\s+(?:un|le|ce)\s+contexte|alors\s+que|tandis\s+que|confront\w+|impacts?|"
    r"effets?|conséquences?|se\s+protéger|passer\s+sous|post-|répondre\s+aux?|sous\s+le\s+coup|"
    r"affect\w+\s+par|touch\w+\s+par|frapp\w+\s+par|pénalis\w+\s+par|se\s+conformer|coïncid\w+|"
    r"(?:après|avant|depuis)\s+(?:l'\w+|le|la|les|des|du|que)|(?:qui\s+ont|ayant|qui\s+a)\s+suivi|"
    r"à\s+la\s+suite\s+d\w*)(?!\w)"
)
# A demonstrative or possessive before a noun trigger: the thing was named before ("ces restrictions").
ANAPHORIC_DETERMINER = _rx(r"(?<!\w)(?:ces|cette|cet|ce|leurs?|ses|sa|son)\s+(?:\w+\s+)?$")
# A noun trigger stated with what it bears on ("interdiction d'achat", "restrictions à l'exportation").
TRADE_COMPLEMENT = _rx(
    rf"\s*(?:\w+\s+){{0,2}}?(?:à\s+l'|aux\s+|d'|de\s+|des\s+|du\s+|sur\s+(?:les\s+|la\s+|l'|le\s+)?)"
    rf"(?:{TRADE_NOUN}|{TRADE_VERB}|{CHIP_NOUN})(?!\w)"
)
# What a ban verb or "limiter" must bear on, a few words after it ("bloquer les ventes de H20").
TRADE_OBJECT = _rx(
    rf"\s*(?:(?!d'\w+er\b|de\s+\w+er\b)[\w'-]+\s+){{0,4}}?(?:l'|d'|de\s+|les\s+|des\s+)?"
    rf"(?:{TRADE_VERB}|{TRADE_NOUN}|{CHIP_NOUN})(?!\w)"
)
# An imposition made news: the ban is introduced, announced, imposed, tightened.
IMPOSITION = _rx(
    r"(?<!\w)(?:introduction|imposition|mise\s+en\s+place|entrée\s+en\s+vigueur|annonce|adoption|"
    r"impos\w+|introdui\w+|annonc\w+|adopt\w+|décid\w+|instaur\w+|durci\w+|renforc\w+|étend\w+)(?!\w)"
)
TRADE_WORD = _rx(rf"(?<!\w)(?:{TRADE_NOUN}|{TRADE_VERB})(?!\w)")
CHIP_WORD = _rx(rf"(?<!\w)(?:{CHIP_NOUN})(?!\w)")
CARD_WORD = _rx(r"(?<!\w)cartes?(?!\w)")
INVESTMENT = _rx(r"(?<!\w)investissements?(?!\w)")
NEGATION = _rx(
    r"(?<!\w)(?:ne|n')\s*(?:[\w'-]+\s+){0,3}?(?:pas|plus|jamais|guère|aucun\w*)(?!\w)|(?<!\w)sans\s+$"
)
# A purchase announced as a plan is an order ("prévoit d'acheter", "achètera").
INTENTION = _rx(
    r"(?<!\w)(?:prévoi\w*|prévu|compt\w+|envisag\w+|s'apprêt\w+|projet\w+|vont|va|devrai\w*|devr\w+|"
    r"souhait\w+|veu\w+|entend\w*|cherch\w+)\s+(?:de\s+|d'|à\s+)?$|"
    r"(?<!\w)(?:achètera|achèteront|achèterait|achèteraient|acquerra|acquerront)(?!\w)"
)
# Money planned for chips ("compte investir 160 milliards … pour l'achat de puces"): an order.
SPEND_PLAN = _rx(
    r"(?<!\w)(?:prévoi\w*|compt\w+|envisag\w+|projet\w+|s'apprêt\w+|va|vont|entend\w*)\s+(?:de\s+|d'|à\s+)?"
    r"(?:investir|dépenser|consacrer|débourser|allouer|mobiliser)(?!\w)"
)
FUTURE_DELIVERY = _rx(
    r"(?<!\w)(?:livraisons?\s+(?:\w+\s+){0,2}?prévues?|à\s+livrer|pour\s+(?:les\s+)?livraisons?|livrables?|"
    r"livr(?:é|ée|és|ées|er)\s+(?:en|d'ici|dès|l'an)|dont\s+la\s+livraison)(?!\w)"
)
OF_SELLER = _rx(r"\s+(?:disponibles?\s+|mondiaux\s+|actuels\s+)?(?:de|d'|chez)\s*")
AVAILABLE_STOCK = _rx(r"(?<!\w)stocks?\s+disponibles?(?!\w)|rupture\s+de\s+stock")
# A sentence naming the chip of purchases told before: "les achats de GPU concernent les puces A800".
CHIP_IDENTIFIED = _rx(
    r"(?<!\w)(?:achats|commandes|acquisitions|ventes|livraisons)\s+(?:\w+\s+){0,3}?"
    r"(?:concern\w+|port\w+\s+sur|visent|s'agit)(?!\w)"
)
# A party that is not a buyer: a platform ("sur WeChat", "réseaux sociaux, tels que Baidu") or a source.
PLATFORM_BEFORE = _rx(
    r"(?:(?<!\w)(?:sur|via)\s+(?:la\s+plateforme\s+|le\s+réseau\s+social\s+|l'application\s+|le\s+site\s+)?|"
    r"(?:réseaux\s+sociaux|plateformes?|applications?|sites?|moteurs?\s+de\s+recherche|messageries?)"
    r"[^.;]{0,30}?(?:tels?\s+que|telles?\s+que|comme|notamment|dont)\s+)$"
)
# Words one of the two patterns below needs, tested first because most companies are named plainly.
PLATFORM_CUES = ("sur", "via", "réseau", "plateforme", "application", "site", "moteur", "messageri")
SOURCE_CUES = ("selon", "après", "cité", "rapporte", "indique")
SOURCE_BEFORE = _rx(r"(?<!\w)(?:selon|d'après|cité\w*\s+par|rapporte|indique)\s+$")
PLATFORM_AFTER = _rx(
    r"\s*,?\s*(?:sa|la|le|son)\s+(?:plateforme|réseau\s+social|moteur\s+de\s+recherche|application|messagerie)"
)
RELATION_BEFORE = _rx(
    r"(?<!\w)(?:concurrents?|rivaux|rival|filiales?|partenaires?|fournisseurs?|patron|PDG|président|"
    r"fondateur|cofondateur|employés?|salariés?|porte-parole|responsables?|dirigeants?|cadres?|analystes?|"
    r"actionnaires?|investisseurs?)\s+(?:\w+\s+)?(?:de|d'|du|chez)\s*$"
)
EXAMPLE_BEFORE = _rx(r"(?<!\w)(?:tels?\s+que|telles?\s+que|comme|notamment)\s+$")
SELLER_BEFORE = _rx(r"(?:(?<!\w)auprès\s+(?:de\s+|d')|(?<!\w)chez\s+|(?<!\w)de\s+|(?<!\w)d'|(?<!\w)à\s+)$")
# Parties named only as a group ("les entreprises chinoises"): the event has no named buyer.
GENERIC_PARTY = _rx(
    r"(?<!\w)(?:les|des|aux|ses|leurs|certaines|plusieurs|nombreuses|de\s+nombreuses)\s+(?:\w+\s+)?"
    r"(?:entreprises|sociétés|groupes|géants|firmes|clients|acheteurs|acteurs|compagnies|start-?ups?|"
    r"laboratoires|usines?|fabricants)(?!\w)|(?<!\w)(?:une|certaines?)\s+(?:seule\s+)?(?:usine|entreprise|"
    r"société)(?!\w)|(?<!\w)l'écosystème(?!\w)"
)
# A subject standing for parties named in an earlier sentence ("Deux employés", "Ces autorisations").
ANAPHORIC_SUBJECT = _rx(
    r"^(?:[^,]{0,40},\s*)?(?:ces|cette|cet|ce|ses|leurs?|ils|elles|(?:deux|trois|plusieurs|des)\s+"
    r"(?:employés|salariés|sources|responsables|cadres|personnes)|le\s+groupe|la\s+société|l'entreprise|"
    r"la\s+firme|les\s+GPU|les\s+puces)(?!\w)"
)
SAME_AMOUNT = _rx(r"\W{0,3}(?:\w+\s+){0,2}?(?:ce\s+montant|cette\s+somme|ce\s+chiffre|ce\s+total)(?!\w)")
# Money that is not the value of a trade: a company's worth, turnover or profit, a unit price, a market.
NOT_TRADE_MONEY_BEFORE = _rx(
    r"(?<!\w)(?:pès\w+|pes\w+|capitalisation|valoris\w+|valeur\s+(?:boursière|de\s+marché)|vaut|valant|"
    r"chiffre\s+d'affaires|bénéfices?|revenus?|recettes|résultats?|profits?|marges?|perte\s+nette|"
    r"marché\s+(?:\w+\s+){0,3}?(?:de|d'une\s+valeur\s+de|estimé\s+à|évalué\s+à)|"
    r"subventions?|financement|levée\s+de\s+fonds|cours|action|"
    # the price of one unit: "un serveur équipé de huit H100 se négocie autour de 3 millions de yuans"
    r"se\s+négoci\w+|se\s+vend\w*|se\s+monnay\w+|s'échang\w+|coûte\w*|prix\s+unitaire|coût\s+unitaire)"
    r"\W+(?:\w+\W+){0,6}?$"
)
NOT_TRADE_MONEY_AFTER = _rx(
    r"[\s»”\"]*(?:de\s+|d')?(?:capitalisation|valorisation|chiffre\s+d'affaires|bénéfices?|revenus?|"
    r"l'unité|la\s+pièce|pièce|chacune?|par\s+(?:puce|carte|unité|GPU|serveur))(?!\w)"
)
# Counts of chips inside one machine are specifications, not traded quantities.
CONFIGURATION_BEFORE = _rx(
    r"(?<!\w)(?:composé\w*\s+de|embarqu\w+|reli\w+|intègr\w+|équipé\w*\s+de|jusqu'à)\s+(?:\w+\s+){0,2}?$"
)
# "les GPU", "ces puces": chips named before.
DEFINITE_CHIP = _rx(
    rf"(?<!\w)(?:les|ces|leurs|ses|cette|ce|ceux-ci)\s+(?:[\w-]+\s+){{0,2}}?(?:{CHIP_NOUN})(?!\w)"
)
# The last clause mark before the end of the searched span (the lazy prefix finds the rightmost one).
LAST_CLAUSE_MARK = re.compile(r"[,;:()–—«“](?=[^,;:()–—«“]*$)")
# A company named as a complement ("l'entraînement de DeepSeek"), not as the one a ban bears on.
COMPLEMENT_BEFORE = _rx(r"(?<!\w)(?:de|du|des|d')\s*$")
CLAUSE_BREAK = re.compile(r"[();:]|\s[–—]\s")
DENIAL = _rx(
    r"(?<!\w)(?:a|ont|avait|avaient)\s+(?:\w+\s+)?(?:nié|démenti|contesté|réfuté)|(?<!\w)(?:nie|nient|"
    r"dément|démentent|démenti|conteste|réfute)(?!\w)|informations?\s+(?:\w+\s+){0,3}?[«\"“]?\s*"
    r"(?:fausses|inexactes|infondées)|(?<!\w)(?:faux|infondé)(?!\w)"
)
_DENIAL_WORDS = ("nié", "nie", "démen", "contest", "réfut", "fauss", "inexact", "infond", "faux")


def might_deny(text: str) -> bool:
    """Cheap test before DENIAL: whether a denial word can be in text at all."""
    lower = text.lower()
    return any(word in lower for word in _DENIAL_WORDS)


def might_identify(text: str) -> bool:
    """Cheap test before CHIP_IDENTIFIED."""
    return "concern" in text or "porte" in text or "portant" in text or "visent" in text or "agit" in text
