"""Find the companies, chips and authorities an article names, by gazetteer matching.

A gazetteer plus regular expressions beats a statistical NER here: spaCy's French model labels ByteDance,
Tencent and Alibaba as organisations in none of their seed mentions (research, section 3.2). Every name and
alias of the gazetteer goes into one compiled alternation, cached per Gazetteer value (it is frozen and
hashable), so matching costs one regex scan per sentence.

Matching rules:
- case-insensitive, whole words, any run of whitespace or a hyphen between words ("Byte Dance",
  "RTX4090"), either apostrophe (’ or '); at one position the longest alias wins;
- the governments that allow or forbid sales are built in as authorities ("Pékin", "administration
  Biden", "BIS" in capitals only), since editors keep only companies and chips in the database;
- an apposition naming one company twice ("le propriétaire de TikTok ByteDance") is one mention;
- chip models missing from the gazetteer but written in a maker's naming scheme ("Ascend 950", "GB200",
  "MI308") are found by pattern, so an article about a new chip does not lose its events until an editor
  adds it.

Whether a company buys, sells or is only a platform ("sur WeChat") is a question for the event rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from articles.extraction.types import AUTHORITY, CHIP, COMPANY, Gazetteer, MentionFound

CHINA, USA = "Chine", "États-Unis"

# Canonical authority -> the ways the press names it. Case-insensitive except the (?-i:...) parts.
AUTHORITIES: dict[str, tuple[str, ...]] = {
    CHINA: (
        "Chine", "Pékin", "Beijing", "autorités chinoises", "gouvernement chinois", "régulateurs chinois",
        "ministère chinois du Commerce", "ministère du Commerce chinois", "responsables chinois",
        "Empire du Milieu", "Cyberspace Administration of China",
    ),
    USA: (
        "États-Unis", "Etats-Unis", "Washington", "administration Biden", "administration Trump",
        "gouvernement Biden", "gouvernement Trump", "gouvernement américain", "autorités américaines",
        "régulateurs américains", "département du Commerce", "département du Commerce américain",
        "département américain du Commerce", "ministère américain du Commerce", "Maison Blanche",
        "Maison-Blanche", "Bureau of Industry and Security", "BIS", "Donald Trump", "Joe Biden",
    ),
}  # fmt: skip
# Acronyms that are ordinary words in lower case ("12 bis").
CASE_SENSITIVE = frozenset({"BIS"})

# Chip models by naming scheme, for chips the gazetteer does not know yet: (pattern, maker). Each pattern
# starts with a capital letter, which lets the scan skip ahead to capitals (see _scheme_scan).
CHIP_SCHEMES: tuple[tuple[str, str], ...] = (
    (r"Ascend\s?\d{3}[A-Z]?", "Huawei"),
    (r"GeForce\sRTX\s?(?:Pro\s?)?\d{4}(?:\s?(?:D|Ti|Super))?", "Nvidia"),
    (r"RTX\s?(?:Pro\s?)?\d{4}(?:\s?(?:D|Ti|Super))?", "Nvidia"),
    (r"GB\d{3}", "Nvidia"),
    (r"H\d{1,2}0", "Nvidia"),
    (r"B\d{1,2}0", "Nvidia"),
    (r"B\d{2}A", "Nvidia"),
    (r"L[24]0S?", "Nvidia"),
    (r"A\d{2}0", "Nvidia"),
    (r"MI\d{3}X?", "AMD"),
)


def _scheme_scan() -> re.Pattern[str]:
    """All schemes in one regex that starts with a character class: re then finds the candidate capitals
    in C and runs the pattern only there. The word-start guard comes after the first letter, as a
    two-character lookbehind, and each scheme checks its own first letter by a lookbehind."""
    letters = "".join(sorted({scheme[0] for scheme, _ in CHIP_SCHEMES}))
    rests = "|".join(f"(?<={scheme[0]}){scheme[1:]}" for scheme, _ in CHIP_SCHEMES)
    return re.compile(rf"[{letters}](?<![\w-].)(?:{rests})(?![\w-])")


_SCHEME_SCAN = _scheme_scan()
_SEPARATOR = r"(?:\s|-)*"
_APOSTROPHE = "['’]"
# Between two mentions of one company: an apposition is only spaces, a comma or a dash.
_APPOSITION = re.compile(r"[\s,–—-]{1,4}")


@dataclass(frozen=True, slots=True)
class _Matcher:
    pattern: re.Pattern[str]
    names: dict[str, tuple[str, str]]  # alias, as written or folded -> (kind, canonical name)
    schemes: re.Pattern[str]
    makers: dict[str, str]  # canonical chip name -> canonical maker
    roles: dict[str, str]  # canonical company name -> role


def find_mentions(text: str, gazetteer: Gazetteer) -> list[MentionFound]:
    """Companies, chips and authorities named in text, in order, with offsets into text."""
    matcher = _matcher(gazetteer)
    found: list[MentionFound] = []
    names = matcher.names
    for match in matcher.pattern.finditer(text):
        surface = match.group()
        kind, name = names.get(surface) or names.get(_fold(surface), ("", ""))
        if kind:
            found.append(MentionFound(match.start(), match.end(), surface, kind, name))
    found = _with_scheme_chips(text, found, matcher)
    return _merge_appositions(text, found)


def chip_maker(name: str | None, gazetteer: Gazetteer) -> str | None:
    """Canonical name of the company that designs chip `name` (gazetteer first, then naming scheme)."""
    if not name:
        return None
    matcher = _matcher(gazetteer)
    if name in matcher.makers:
        return matcher.makers[name]
    for pattern, maker in CHIP_SCHEMES:
        if re.fullmatch(pattern, name):
            return maker
    return None


def company_role(name: str, gazetteer: Gazetteer) -> str:
    """The gazetteer role of a company ("tech", "chipmaker", "foundry", "other"); "" when unknown."""
    return _matcher(gazetteer).roles.get(name, "")


_last: tuple[Gazetteer, _Matcher] | None = None


def _matcher(gazetteer: Gazetteer) -> _Matcher:
    """The compiled matcher of a gazetteer; the one just used is found by identity (hashing a whole
    gazetteer on every lookup would cost more than the matching)."""
    global _last
    last = _last
    if last is not None and last[0] is gazetteer:
        return last[1]
    matcher = _compile(gazetteer)
    _last = (gazetteer, matcher)
    return matcher


@functools.lru_cache(maxsize=16)
def _compile(gazetteer: Gazetteer) -> _Matcher:
    surfaces: dict[str, tuple[str, str]] = {}
    for kind, entries in ((COMPANY, gazetteer.companies), (CHIP, gazetteer.chips)):
        for entry in entries:
            for alias in (entry.name, *entry.aliases):
                if alias.strip():
                    surfaces.setdefault(alias.strip(), (kind, entry.name))
    for name, aliases in AUTHORITIES.items():
        for alias in (name, *aliases):
            surfaces.setdefault(alias, (AUTHORITY, name))
    trie = _Trie()
    for alias in surfaces:
        trie.add(_atoms(alias))
    pattern = re.compile(rf"(?<!\w)(?:{trie.pattern()})(?!\w)", re.IGNORECASE)
    return _Matcher(
        pattern=pattern,
        # Keyed by the folded alias, and by the alias as written, which most surfaces are.
        names={**{_fold(alias): value for alias, value in surfaces.items()}, **surfaces},
        schemes=_SCHEME_SCAN,
        makers={chip.name: chip.maker for chip in gazetteer.chips if chip.maker},
        roles={company.name: company.role for company in gazetteer.companies},
    )


def _atoms(alias: str) -> tuple[str, ...]:
    """The alias as regex atoms: flexible spaces and hyphens, either apostrophe, and an optional space
    inside CamelCase ("ByteDance" is also printed "Byte Dance")."""
    if alias in CASE_SENSITIVE:
        return (f"(?-i:{re.escape(alias)})",)
    atoms: list[str] = []
    for position, char in enumerate(alias):
        if char.isspace() or char == "-":
            if atoms[-1:] != [_SEPARATOR]:
                atoms.append(_SEPARATOR)
        elif char in "'’":
            atoms.append(_APOSTROPHE)
        else:
            if position and alias[position - 1].islower() and char.isupper():
                atoms.append(r"\s?")
            atoms.append(re.escape(char.lower()))
    return tuple(atoms)


class _Trie:
    """Aliases merged by common prefix, so that the alternation costs one path per position, not one
    attempt per alias; at a branch the longer continuation is tried first (longest match wins)."""

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.final = False

    def add(self, atoms: tuple[str, ...]) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        node.final = True

    def pattern(self) -> str:
        branches = [atom + child.pattern() for atom, child in sorted(self.children.items())]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if self.final:
            return f"(?:{body})?"
        return body


@functools.lru_cache(maxsize=4096)
def _fold(surface: str) -> str:
    """Lookup key of a surface: case and spacing folded, one apostrophe (the same few names recur)."""
    return _SPACING.sub("", surface.replace("’", "'")).casefold()


_SPACING = re.compile(r"[\s\-]+")


def _with_scheme_chips(text: str, found: list[MentionFound], matcher: _Matcher) -> list[MentionFound]:
    """Add chips written in a known naming scheme where no gazetteer mention already sits."""
    extra = []
    position = 0  # both lists go by start: walk the gazetteer mentions once
    for match in matcher.schemes.finditer(text):
        start, end = match.span()
        while position < len(found) and found[position].end <= start:
            position += 1
        if position < len(found) and found[position].start < end:
            continue
        extra.append(MentionFound(start, end, match.group(), CHIP, _chip_name(match.group())))
    if not extra:
        return found
    return sorted(found + extra, key=lambda m: m.start)


def _chip_name(surface: str) -> str:
    """Canonical spelling of a scheme chip: single spaces, the family word apart ("Ascend 950")."""
    name = " ".join(surface.split())
    name = re.sub(r"^(Ascend|RTX)(?=\d)", r"\1 ", name)
    name = re.sub(r"(?<=\d)(D|Ti|Super)$", r" \1", name)
    return name.removeprefix("GeForce ")


def _merge_appositions(text: str, found: list[MentionFound]) -> list[MentionFound]:
    merged: list[MentionFound] = []
    for mention in found:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind == mention.kind == COMPANY
            and previous.name == mention.name
            and _APPOSITION.fullmatch(text, previous.end, mention.start)
        ):
            merged[-1] = MentionFound(
                previous.start, mention.end, text[previous.start : mention.end], mention.kind, mention.name
            )
        else:
            merged.append(mention)
    return merged
