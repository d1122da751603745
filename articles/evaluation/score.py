# Copied verbatim from shared/gold/score.py (the scorer that judges extraction), so that
# `manage.py score_extraction` and the tests work without the shared folder. Do not edit: copy again.
"""Score exported figures and events against an annotated set, by the rules of GUIDELINES.md.

usage: python3 score.py GOLD_DIR FIGURES.json [EVENTS.json]
GOLD_DIR holds NN.json annotations {"file", "figures", "events"}; the articles themselves are in the
sibling folder articles/ (their "url" ties an exported record to its article). FIGURES.json and
EVENTS.json are what `export_figures --format json` and `export_events --format json` print.
A figure matches when unit, value (within 0.5 %), range bound and sentence agree; qualifiers are scored
on matched figures. An event matches on sentence, chip, quantity and amount (loose), plus type and
buyers (strict); events come in groups (two annotators' readings of one event), and only groups both
annotators agreed on ("required") count for recall. Prints misses and extras, then a SUMMARY line.
"""
import json
import os
import re
import sys
import unicodedata

CORE = {"money", "quantity", "percent"}


def norm(s):
    s = unicodedata.normalize("NFKC", s or "")
    s = s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", s).strip().lower()


def close(a, b, tol=0.005):
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-9)


def canon(name):
    n = norm(name)
    n = re.sub(r"\b(group|holdings?|technologies|corp(oration)?|inc)\b", "", n)
    return re.sub(r"[^a-z0-9]", "", n)


def same_sentence(gs, ss):
    g, s = norm(gs), norm(ss)
    if not g or not s:
        return False
    return g == s or g in s or s in g or g[:60] == s[:60]


def load_gold(gold_dir):
    art_dir = os.path.join(os.path.dirname(os.path.abspath(gold_dir.rstrip("/"))), "articles")
    gold = {}
    for fn in sorted(os.listdir(gold_dir)):
        if not re.fullmatch(r"\d+\.json", fn):
            continue
        g = json.load(open(os.path.join(gold_dir, fn), encoding="utf-8"))
        art = json.load(open(os.path.join(art_dir, fn), encoding="utf-8"))
        gold[fn] = {"url": art.get("url"), "figures": g["figures"], "events": g.get("events", [])}
    return gold


def key_of(rec, url_to_file):
    if rec.get("file") in url_to_file.values():
        return rec["file"]
    return url_to_file.get(rec.get("article_url") or rec.get("url"))


def match_figures(gold_figs, sys_figs):
    used, matched, qual_ok, misses = set(), 0, 0, []
    for g in gold_figs:
        hit = None
        for i, s in enumerate(sys_figs):
            if i in used or s.get("unit") != g["unit"]:
                continue
            if not close(s.get("value"), g["value"]):
                continue
            if g.get("value_max") is not None and not close(s.get("value_max"), g["value_max"]):
                continue
            if not same_sentence(g["sentence"], s.get("sentence", "")):
                continue
            hit = i
            break
        if hit is None:
            misses.append(g)
            continue
        used.add(hit)
        matched += 1
        qual_ok += sys_figs[hit].get("qualifier") == g["qualifier"]
    extra = [s for i, s in enumerate(sys_figs) if i not in used]
    return matched, qual_ok, misses, extra


def event_matches(g, s, strict):
    if not same_sentence(g["sentence"], s.get("sentence", "")):
        return False
    if canon(s.get("chip") or "") != canon(g.get("chip") or ""):
        return False
    if not (close(s.get("quantity"), g.get("quantity")) and close(s.get("amount"), g.get("amount"))):
        return False
    if strict:
        if s.get("type") != g["type"]:
            return False
        if {canon(b) for b in s.get("buyers") or []} != {canon(b) for b in g.get("buyers") or []}:
            return False
    return True


def match_events(gold_evs, sys_evs, strict):
    """Gold events come in groups (two annotators' readings of one event); a group is matched when a
    system event matches any reading. Returns (required groups matched, required groups, system events
    that match some group, misses)."""
    groups = {}
    for i, g in enumerate(gold_evs):
        groups.setdefault(g.get("group", i), []).append(g)
    used, req_hit, req_n, misses = set(), 0, 0, []
    for members in groups.values():
        required = members[0].get("required", True)
        req_n += required
        hit = next((i for i, s in enumerate(sys_evs) if i not in used
                    and any(event_matches(g, s, strict) for g in members)), None)
        if hit is None:
            if required:
                misses.append(members[0])
            continue
        used.add(hit)
        req_hit += required
    return req_hit, req_n, len(used), misses


def prf(m, n_sys, n_gold):
    p = m / n_sys if n_sys else 0.0
    r = m / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    gold = load_gold(sys.argv[1])
    url_to_file = {v["url"]: k for k, v in gold.items()}
    sys_figs = json.load(open(sys.argv[2], encoding="utf-8"))
    sys_evs = json.load(open(sys.argv[3], encoding="utf-8")) if len(sys.argv) > 3 else []
    by_file = {k: {"f": [], "e": []} for k in gold}
    for s in sys_figs:
        k = key_of(s, url_to_file)
        if k and s.get("kind") in CORE:
            by_file[k]["f"].append(s)
    for s in sys_evs:
        k = key_of(s, url_to_file)
        if k:
            by_file[k]["e"].append(s)
    tm = tq = ng = ns = 0
    ev = dict(rs=0, rl=0, rn=0, us=0, ul=0, ns=0)
    for k, g in gold.items():
        m, q, misses, extra = match_figures(g["figures"], by_file[k]["f"])
        tm, tq, ng, ns = tm + m, tq + q, ng + len(g["figures"]), ns + len(by_file[k]["f"])
        for x in misses:
            print(f"MISS {k}: {x['surface']!r} {x['value']} {x['unit']} {x['qualifier']}")
        for x in extra:
            print(f"EXTRA {k}: {x.get('surface')!r} {x.get('value')} {x.get('unit')}")
        if sys_evs or g["events"]:
            rs, rn, us, _ = match_events(g["events"], by_file[k]["e"], strict=True)
            rl, _, ul, emiss = match_events(g["events"], by_file[k]["e"], strict=False)
            ev["rs"] += rs; ev["rl"] += rl; ev["rn"] += rn; ev["us"] += us; ev["ul"] += ul
            ev["ns"] += len(by_file[k]["e"])
            for x in emiss:
                print(f"EVMISS {k}: {x['type']} {x.get('buyers')} {x.get('chip')} q={x.get('quantity')} a={x.get('amount')}")
    p, r, f = prf(tm, ns, ng)
    qacc = tq / tm if tm else 0.0
    print(f"figures: gold {ng}, system {ns}, matched {tm}; P {p:.3f} R {r:.3f} F1 {f:.3f}; qualifier accuracy {qacc:.3f}")
    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0
    ep = ev["us"] / ev["ns"] if ev["ns"] else 0.0
    er = ev["rs"] / ev["rn"] if ev["rn"] else 0.0
    lp = ev["ul"] / ev["ns"] if ev["ns"] else 0.0
    lr = ev["rl"] / ev["rn"] if ev["rn"] else 0.0
    ef, lf = f1(ep, er), f1(lp, lr)
    print(f"events: required {ev['rn']}, system {ev['ns']}; strict P {ep:.3f} R {er:.3f} F1 {ef:.3f}; "
          f"loose P {lp:.3f} R {lr:.3f} F1 {lf:.3f}")
    print(f"SUMMARY figures P={p:.3f} R={r:.3f} F1={f:.3f} qual={qacc:.3f} events strictF1={ef:.3f} looseF1={lf:.3f}")


if __name__ == "__main__":
    main()
