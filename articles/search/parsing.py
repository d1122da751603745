"""The readers' query language, parsed by hand so that no input can raise and every repair is explained.

    puces nvidia            both words (AND by default)
    "puces A800"            exact phrase («…» and “…” too)
    -H800                   exclusion
    Nvidia OR AMD           either (OR/OU bind tighter than the implicit AND: `Nvidia OR AMD puces`)
    (a OR b) -c             grouping
    commande*               prefix (at least 3 characters before the star)

There is no field syntax: `title:foo` is two words. Malformed input (unbalanced quotes or parentheses,
lone operators, short prefixes, control characters, HTML tags, very long queries) is repaired and the
repair described in `Parsed.messages`; the result is plain data (`Node` tuples), not Whoosh queries.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from articles.search.analysis import normalize_query

MAX_QUERY_CHARS = 300
MIN_PREFIX_CHARS = 3

# Nodes: ("word", text) ("prefix", text) ("phrase", text) ("and", [nodes]) ("or", [nodes]) ("not", node)
Node = tuple

MSG_QUOTE = "Guillemet non fermé : recherche sans la phrase exacte."
MSG_PAREN_OPEN = "Parenthèse non fermée : elle a été fermée en fin de recherche."
MSG_PAREN_CLOSE = "Parenthèse fermante en trop : elle a été ignorée."
MSG_OPERATOR = "Opérateur isolé ignoré ({op}) : il doit relier deux mots."
MSG_PREFIX = "Troncature trop courte ({word}) : au moins 3 lettres avant « * » ; cherché comme un mot."
MSG_TOO_LONG = "Recherche trop longue : seuls les 300 premiers caractères ont été pris en compte."
MSG_CONTROL = "Caractères invisibles ou de contrôle ignorés."
MSG_HTML = "Balises HTML ignorées."
MSG_EMPTY = "Aucun mot cherchable dans la recherche (mots trop courants ou symboles seuls)."

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_OR, _AND, _NOT = {"OR", "OU"}, {"AND", "ET"}, {"NOT", "SAUF"}


@dataclass
class Parsed:
    node: Node | None  # None: nothing to search for
    text: str  # the cleaned query text (what suggestions are built from)
    messages: list[str] = field(default_factory=list)

    def say(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


def clean(q: str, parsed: Parsed) -> str:
    """Remove what cannot be searched (control characters, tags) and cap the length."""
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        parsed.say(MSG_TOO_LONG)
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") and c not in " \t\n" else c for c in q)
    if kept != q:
        parsed.say(MSG_CONTROL)
    without_tags = _TAG.sub(" ", kept)
    if without_tags != kept:
        parsed.say(MSG_HTML)
    return " ".join(without_tags.split())


def tokens(text: str, parsed: Parsed) -> list[tuple[str, str]]:
    """(kind, value) pairs: phrase, word, "(", ")"; OR/AND/NOT as ("op", name); "-" as ("neg", "")."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end == -1:
                parsed.say(MSG_QUOTE)
                i += 1
            else:
                out.append(("phrase", text[i + 1 : end]))
                i = end + 1
        elif char in "()":
            out.append((char, char))
            i += 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in '"()':
                j += 1
            out.extend(word_tokens(text[i:j], parsed))
            i = j
    return out


def word_tokens(raw: str, parsed: Parsed) -> list[tuple[str, str]]:
    if raw in _OR or raw in _AND or raw in _NOT:
        return [("op", raw)]
    out = []
    if raw[0] == "-" and len(raw) > 1 and raw[1] != "-":
        out.append(("neg", ""))
        raw = raw[1:]
    raw = raw.lstrip("+")
    if raw.endswith("*"):
        stem = raw.rstrip("*")
        if len(re.sub(r"\W", "", stem)) >= MIN_PREFIX_CHARS:
            return [*out, ("prefix", stem)]
        parsed.say(MSG_PREFIX.format(word=raw))
        raw = stem
    if not re.search(r"\w", raw):
        if raw.strip("-+*"):
            return []
        if raw:
            parsed.say(MSG_OPERATOR.format(op=raw))
        return []
    return [*out, ("word", raw)]


class _Parser:
    """expr := clause+ ; clause := unit ((OR) unit)* ; unit := [-|NOT] (word | phrase | prefix | (expr))"""

    def __init__(self, items: list, parsed: Parsed):
        self.items, self.pos, self.parsed = items, 0, parsed

    def peek(self):
        return self.items[self.pos] if self.pos < len(self.items) else (None, None)

    def expr(self, depth: int) -> Node | None:
        clauses = []
        while True:
            kind, value = self.peek()
            if kind is None:
                if depth:
                    self.parsed.say(MSG_PAREN_OPEN)
                break
            if kind == ")":
                self.pos += 1
                if depth:
                    break
                self.parsed.say(MSG_PAREN_CLOSE)
                continue
            if kind == "op" and value not in _NOT:
                self.pos += 1
                self.parsed.say(MSG_OPERATOR.format(op=value))
                continue
            clause = self.clause(depth)
            if clause is not None:
                clauses.append(clause)
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else ("and", clauses)

    def clause(self, depth: int) -> Node | None:
        units = [self.unit(depth)]
        while True:
            kind, value = self.peek()
            if kind == "op" and value in _AND:
                nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else (None, None)
                if nxt[0] in (None, ")", "op"):
                    break
                self.pos += 1  # explicit AND is the default anyway
                break
            if not (kind == "op" and value in _OR):
                break
            nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else (None, None)
            if nxt[0] in (None, ")", "op"):
                break
            self.pos += 1
            units.append(self.unit(depth))
        units = [u for u in units if u is not None]
        if not units:
            return None
        return units[0] if len(units) == 1 else ("or", units)

    def unit(self, depth: int) -> Node | None:
        kind, value = self.peek()
        if kind == "neg" or (kind == "op" and value in _NOT):
            self.pos += 1
            inner = self.unit(depth) if self.peek()[0] not in (None, ")", "op") else None
            if inner is None:
                self.parsed.say(MSG_OPERATOR.format(op="-" if kind == "neg" else value))
                return None
            return ("not", inner)
        self.pos += 1
        if kind == "(":
            return self.expr(depth + 1)
        if kind in ("word", "phrase", "prefix"):
            return (kind, value)
        return None


def parse(q: str) -> Parsed:
    """Parse a reader's query; never raises."""
    parsed = Parsed(node=None, text="")
    text = clean(q or "", parsed)
    parsed.text = text
    items = tokens(normalize_query(text.translate(_QUOTES)), parsed)
    parsed.node = _Parser(items, parsed).expr(0)
    return parsed


def query_words(text: str) -> list[str]:
    """The words of a query as typed, for suggestions."""
    return re.findall(r"\w+", text)
