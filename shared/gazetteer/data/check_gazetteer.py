#!/usr/bin/env python3
"""Check the gazetteer data file (stdlib only).

Usage:
  check_gazetteer.py [GAZETTEER.textproto] [--proto-root DIR] [--no-protoc] [-v]

1. Runs `protoc --encode=communique.gazetteer.v1.Gazetteer` on the file (unless
   --no-protoc or protoc is not on PATH), so the schema itself is enforced.
2. Parses the text format with a small built-in parser and checks referential
   integrity and conventions:
   - organisation ids lowercase and unique, acronyms unique, body ids unique
     within an organisation, at most one heads_of_state body;
   - every member / observer / term country / city country is a State.name,
     no state is both member and observer of one organisation;
   - State iso2/iso3 well-formed and unique, capital is a City of that state;
   - every term organisation is an Organization.acronym, every term has
     exactly one of country / organization, every term role is a RoleTitle;
   - person ids unique and slug-shaped;
   - dates are YYYY, YYYY-MM or YYYY-MM-DD (valid calendar dates), start <= end;
   - no two terms of the same single-holder office (role + country, or role +
     organisation) overlap; an "Acting X" term must not overlap an "X" term of
     the same office either. A same-day handover (end == next start) is fine,
     and partial dates are compared generously (only certain overlaps count);
   - role aliases and topic phrases lowercase and unique; topic labels are
     exactly the fixed vocabulary;
   - every chairmanship's organisation is an Organization.acronym and its
     country a State.name that is a member of it; dates well formed, start <=
     end; no two chairmanships of one organisation overlap (a handover day,
     end == next start, is fine; partial dates compared as for terms); gaps
     between them are reported as warnings.
Exits 0 when there are no errors (warnings are printed but do not fail).
"""
import datetime
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FILE = os.path.join(HERE, "gazetteer.textproto")
DEFAULT_PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "proto"))
PROTO_FILE = "communique/gazetteer/v1/gazetteer.proto"
MESSAGE = "communique.gazetteer.v1.Gazetteer"

TOPIC_LABELS = [
    "terrorism", "extremism", "drug trafficking", "cybersecurity", "illegal migration",
    "arms trafficking", "transnational crime", "afghanistan", "peacekeeping",
    "military cooperation", "border security", "biological security", "nagorno-karabakh",
    "ukraine", "wwii anniversary", "pandemic", "sanctions", "emergency response",
    "information security", "collective forces", "international cooperation",
]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# --------------------------------------------------------------------------
# Minimal protobuf text-format parser: messages become dicts mapping a field
# name to the list of its values (strings, numbers, booleans or dicts).
# --------------------------------------------------------------------------

class ParseError(Exception):
    pass


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<punct>[{}<>:;,\[\]])
  | (?P<word>[A-Za-z_][A-Za-z0-9_.]*|[-+]?[0-9][0-9A-Za-z_.+-]*)
""", re.VERBOSE)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a",
            "b": "\b", "f": "\f", "v": "\v", "?": "?"}


def _unescape(body):
    out = bytearray()
    i = 0
    raw = body.encode("utf-8")
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        i += 1
        e = chr(raw[i])
        if e in _ESCAPES:
            out += _ESCAPES[e].encode()
            i += 1
        elif e in "01234567":
            m = re.match(rb"[0-7]{1,3}", raw[i:])
            out.append(int(m.group(0), 8))
            i += len(m.group(0))
        elif e in "xX":
            m = re.match(rb"[0-9A-Fa-f]{1,2}", raw[i + 1:])
            out.append(int(m.group(0), 16))
            i += 1 + len(m.group(0))
        else:
            raise ParseError("bad escape \\" + e)
    return out.decode("utf-8")


def _tokens(text):
    pos, line = 0, 1
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise ParseError("line %d: unexpected %r" % (line, text[pos:pos + 20]))
        kind = m.lastgroup
        val = m.group(kind)
        if kind not in ("ws", "comment"):
            yield kind, val, line
        line += val.count("\n")
        pos = m.end()


def parse_textproto(text):
    toks = list(_tokens(text))
    i = 0

    def parse_message(end):
        nonlocal i
        msg = {}
        while True:
            if i >= len(toks):
                if end is None:
                    return msg
                raise ParseError("unexpected end of file")
            kind, val, line = toks[i]
            if kind == "punct" and val == end:
                i += 1
                return msg
            if kind != "word":
                raise ParseError("line %d: expected field name, got %r" % (line, val))
            name = val
            i += 1
            if i < len(toks) and toks[i][1] == ":":
                i += 1
            kind, val, line = toks[i]
            if kind == "punct" and val in "{<":
                i += 1
                value = parse_message("}" if val == "{" else ">")
            elif kind == "string":
                parts = []
                while i < len(toks) and toks[i][0] == "string":
                    parts.append(_unescape(toks[i][1][1:-1]))
                    i += 1
                value = "".join(parts)
            elif kind == "word":
                i += 1
                value = {"true": True, "false": False}.get(val, val)
            else:
                raise ParseError("line %d: unexpected %r" % (line, val))
            msg.setdefault(name, []).append(value)
            if i < len(toks) and toks[i][1] in (",", ";"):
                i += 1

    return parse_message(None)


def one(msg, field, default=""):
    v = msg.get(field)
    return v[-1] if v else default


def many(msg, field):
    return msg.get(field, [])


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

def date_bounds(s):
    """(earliest, latest) day a possibly partial date can denote, or None."""
    m = DATE_RE.match(s)
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    y = int(y)
    try:
        if d:
            x = datetime.date(y, int(mo), int(d))
            return x, x
        if mo:
            mo = int(mo)
            lo = datetime.date(y, mo, 1)
            hi = (datetime.date(y + (mo == 12), mo % 12 + 1, 1) - datetime.timedelta(days=1))
            return lo, hi
        return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    except ValueError:
        return None


FAR_FUTURE = datetime.date(9999, 12, 31)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

class Report:
    def __init__(self, verbose):
        self.errors = []
        self.warnings = []
        self.verbose = verbose

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def check(g, rep):
    orgs = many(g, "organizations")
    states = many(g, "states")
    cities = many(g, "cities")
    people = many(g, "people")
    roles = many(g, "roles")
    topics = many(g, "topics")

    state_names = set()
    for s in states:
        n = one(s, "name")
        if not n:
            rep.error("state without name")
        if n in state_names:
            rep.error("duplicate state %r" % n)
        state_names.add(n)

    # --- organisations
    acronyms, org_ids = set(), set()
    for o in orgs:
        oid, acr = one(o, "id"), one(o, "acronym")
        where = "organization %r" % (acr or oid)
        if not oid or oid != oid.lower() or not re.match(r"^[a-z0-9_-]+$", oid):
            rep.error("%s: id %r must be lowercase" % (where, oid))
        if oid in org_ids:
            rep.error("%s: duplicate id" % where)
        org_ids.add(oid)
        if not acr:
            rep.error("%s: missing acronym" % where)
        if acr in acronyms:
            rep.error("%s: duplicate acronym" % where)
        acronyms.add(acr)
        if not one(o, "name"):
            rep.error("%s: missing name" % where)
        aliases = many(o, "aliases")
        if len(set(aliases)) != len(aliases):
            rep.error("%s: duplicate aliases" % where)
        if acr in aliases or one(o, "name") in aliases:
            rep.warn("%s: alias repeats acronym/name" % where)
        body_ids, hos = set(), 0
        for b in many(o, "bodies"):
            bid = one(b, "id")
            if not bid or not re.match(r"^[a-z0-9_-]+$", bid):
                rep.error("%s: body id %r not lowercase" % (where, bid))
            if bid in body_ids:
                rep.error("%s: duplicate body id %r" % (where, bid))
            body_ids.add(bid)
            if not one(b, "name"):
                rep.error("%s: body %r without name" % (where, bid))
            if one(b, "heads_of_state", False) is True:
                hos += 1
        if hos > 1:
            rep.error("%s: %d heads_of_state bodies" % (where, hos))
        members, observers = many(o, "members"), many(o, "observers")
        for kind, lst in (("member", members), ("observer", observers)):
            if len(set(lst)) != len(lst):
                rep.error("%s: duplicate %ss" % (where, kind))
            for m in lst:
                if m not in state_names:
                    rep.error("%s: %s %r is not a State.name" % (where, kind, m))
        for m in set(members) & set(observers):
            rep.error("%s: %r is both member and observer" % (where, m))

    # --- cities
    city_country = {}
    alias_owner = {}
    for c in cities:
        n, cc = one(c, "name"), one(c, "country")
        if not n:
            rep.error("city without name")
        if cc not in state_names:
            rep.error("city %r: country %r is not a State.name" % (n, cc))
        if (n, cc) in city_country:
            rep.error("duplicate city %r (%s)" % (n, cc))
        city_country[(n, cc)] = True
        for a in [n] + many(c, "aliases"):
            key = a.lower()
            prev = alias_owner.get(key)
            if prev and prev != (n, cc):
                rep.warn("city name/alias %r used by %s and %s" % (a, prev, (n, cc)))
            alias_owner[key] = (n, cc)

    # --- states
    iso2s, iso3s = set(), set()
    for s in states:
        n = one(s, "name")
        i2, i3 = one(s, "iso2"), one(s, "iso3")
        if not re.match(r"^[A-Z]{2}$", i2):
            rep.error("state %r: bad iso2 %r" % (n, i2))
        if not re.match(r"^[A-Z]{3}$", i3):
            rep.error("state %r: bad iso3 %r" % (n, i3))
        if i2 in iso2s or i3 in iso3s:
            rep.error("state %r: duplicate ISO code" % n)
        iso2s.add(i2)
        iso3s.add(i3)
        cap = one(s, "capital")
        if cap and (cap, n) not in city_country:
            rep.error("state %r: capital %r is not a City of that state" % (n, cap))
        if not cap:
            rep.warn("state %r: no capital" % n)
        names = [n] + many(s, "aliases") + many(s, "demonyms")
        if len({x.lower() for x in names}) != len(names):
            rep.error("state %r: duplicate alias/demonym" % n)

    # --- roles
    role_names = set()
    role_alias = {}
    for r in roles:
        rn = one(r, "role")
        if rn in role_names:
            rep.error("duplicate role %r" % rn)
        role_names.add(rn)
        for a in many(r, "aliases"):
            if a != a.lower():
                rep.error("role %r: alias %r not lowercase" % (rn, a))
            if a in role_alias:
                rep.error("role alias %r used by %r and %r" % (a, role_alias[a], rn))
            role_alias[a] = rn

    # --- people and terms
    ids = set()
    offices = {}
    for p in people:
        pid, name = one(p, "id"), one(p, "name")
        if not SLUG_RE.match(pid):
            rep.error("person %r: id %r is not a slug" % (name, pid))
        if pid in ids:
            rep.error("duplicate person id %r" % pid)
        ids.add(pid)
        if not name:
            rep.error("person %r: no name" % pid)
        aliases = many(p, "aliases")
        if len({a.lower() for a in aliases}) != len(aliases):
            rep.error("person %r: duplicate aliases" % pid)
        if not many(p, "terms"):
            rep.warn("person %r: no terms" % pid)
        for t in many(p, "terms"):
            role, cc, org = one(t, "role"), one(t, "country"), one(t, "organization")
            start, end = one(t, "start"), one(t, "end")
            where = "person %r term %s/%s %s..%s" % (pid, role, cc or org, start, end)
            if role not in role_names:
                rep.error("%s: role %r is not a RoleTitle.role" % (where, role))
            if bool(cc) == bool(org):
                rep.error("%s: needs exactly one of country / organization" % where)
            if cc and cc not in state_names:
                rep.error("%s: country %r is not a State.name" % (where, cc))
            if org and org not in acronyms:
                rep.error("%s: organization %r is not an Organization.acronym" % (where, org))
            sb = date_bounds(start)
            if sb is None:
                rep.error("%s: bad start date %r" % (where, start))
                continue
            if end:
                eb = date_bounds(end)
                if eb is None:
                    rep.error("%s: bad end date %r" % (where, end))
                    continue
                if eb[1] < sb[0]:
                    rep.error("%s: end before start" % where)
            else:
                eb = (FAR_FUTURE, FAR_FUTURE)
            base = role[len("Acting "):] if role.startswith("Acting ") else role
            place = ("country", cc) if cc else ("organization", org)
            offices.setdefault((base, place), []).append((sb, eb, role, pid, start, end))

    for (base, place), terms in sorted(offices.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        for a in range(len(terms)):
            for b in range(a + 1, len(terms)):
                sa, ea, ra, pa, xa, ya = terms[a]
                sb, eb, rb, pb, xb, yb = terms[b]
                # Only overlaps that hold under every reading of partial dates,
                # and longer than a same-day handover.
                if max(sa[1], sb[1]) < min(ea[0], eb[0]):
                    rep.error("overlapping terms of %s %s: %s %s %s..%s and %s %s %s..%s" % (
                        base, place[1], pa, ra, xa, ya or "", pb, rb, xb, yb or ""))
        open_terms = [t for t in terms if t[1][0] == FAR_FUTURE and not t[2].startswith("Acting ")]
        if len(open_terms) > 1:
            rep.error("several open-ended terms of %s %s: %s" % (
                base, place[1], ", ".join(t[3] for t in open_terms)))

    # --- topics
    labels = [one(t, "label") for t in topics]
    if sorted(labels) != sorted(TOPIC_LABELS):
        missing = set(TOPIC_LABELS) - set(labels)
        extra = set(labels) - set(TOPIC_LABELS)
        rep.error("topic labels differ from the fixed vocabulary: missing %s, extra %s" % (
            sorted(missing), sorted(extra)))
    if len(set(labels)) != len(labels):
        rep.error("duplicate topic labels")
    phrase_owner = {}
    for t in topics:
        label = one(t, "label")
        phrases = many(t, "phrases")
        if not phrases:
            rep.error("topic %r has no phrases" % label)
        if len(set(phrases)) != len(phrases):
            rep.error("topic %r: duplicate phrases" % label)
        for ph in phrases:
            if ph != ph.lower() or ph != ph.strip() or not ph:
                rep.error("topic %r: phrase %r must be lowercase and trimmed" % (label, ph))
            if ph in phrase_owner and phrase_owner[ph] != label:
                rep.warn("phrase %r signals both %r and %r" % (ph, phrase_owner[ph], label))
            phrase_owner.setdefault(ph, label)

    # --- chairmanships
    chairmanships = many(g, "chairmanships")
    org_members = {one(o, "acronym"): set(many(o, "members")) for o in orgs}
    chairs_by_org = {}
    for i, c in enumerate(chairmanships):
        org, cc = one(c, "organization"), one(c, "country")
        start, end = one(c, "start"), one(c, "end")
        where = "chairmanship %d (%s %s %s..%s)" % (i + 1, org, cc, start, end)
        if org not in org_members:
            rep.error("%s: organization %r is not an Organization.acronym" % (where, org))
            continue
        if cc not in state_names:
            rep.error("%s: country %r is not a State.name" % (where, cc))
        elif cc not in org_members[org]:
            rep.error("%s: %s is not a member of %s" % (where, cc, org))
        sb = date_bounds(start)
        if sb is None:
            rep.error("%s: bad start date %r" % (where, start))
            continue
        if end:
            eb = date_bounds(end)
            if eb is None:
                rep.error("%s: bad end date %r" % (where, end))
                continue
            if eb[1] < sb[0]:
                rep.error("%s: end before start" % where)
        else:
            eb = (FAR_FUTURE, FAR_FUTURE)
        chairs_by_org.setdefault(org, []).append((sb, eb, cc, start, end))
    for org, chairs in sorted(chairs_by_org.items()):
        chairs.sort(key=lambda t: t[0][0])
        # Overlaps as for terms: only certain ones, longer than a handover day.
        for a in range(len(chairs)):
            for b in range(a + 1, len(chairs)):
                sa, ea, ca, xa, ya = chairs[a]
                sb, eb, cb, xb, yb = chairs[b]
                if max(sa[1], sb[1]) < min(ea[0], eb[0]):
                    rep.error("overlapping %s chairmanships: %s %s..%s and %s %s..%s" % (
                        org, ca, xa, ya, cb, xb, yb))
        # Gaps are allowed (not curated) but worth seeing.
        for (sa, ea, ca, xa, ya), (sb, eb, cb, xb, yb) in zip(chairs, chairs[1:]):
            if sb[0] > ea[1] + datetime.timedelta(days=1):
                rep.warn("%s chairmanship gap between %s (to %s) and %s (from %s)" % (
                    org, ca, ya, cb, xb))

    return {
        "organizations": len(orgs), "bodies": sum(len(many(o, "bodies")) for o in orgs),
        "states": len(states), "cities": len(cities), "people": len(people),
        "terms": sum(len(many(p, "terms")) for p in people), "roles": len(roles),
        "topics": len(topics), "topic phrases": sum(len(many(t, "phrases")) for t in topics),
        "chairmanships": len(chairmanships),
    }


def run_protoc(path, proto_root):
    protoc = shutil.which("protoc")
    if not protoc:
        return None, "protoc not found on PATH; schema check skipped"
    with open(path, "rb") as f:
        r = subprocess.run([protoc, "--encode=" + MESSAGE, "-I", proto_root, PROTO_FILE],
                           stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        return False, r.stderr.decode("utf-8", "replace")
    return True, ""


def main(argv):
    path, proto_root, use_protoc, verbose = DEFAULT_FILE, DEFAULT_PROTO_ROOT, True, False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--proto-root":
            proto_root = args.pop(0)
        elif a == "--no-protoc":
            use_protoc = False
        elif a in ("-v", "--verbose"):
            verbose = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            path = a
    rep = Report(verbose)
    if use_protoc:
        ok, msg = run_protoc(path, proto_root)
        if ok is False:
            print("ERROR: protoc --encode failed:\n" + msg)
            return 1
        if ok is None:
            rep.warn(msg)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        g = parse_textproto(text)
    except ParseError as e:
        print("ERROR: parse: %s" % e)
        return 1
    counts = check(g, rep)
    for w in rep.warnings:
        if verbose or not w.startswith("phrase "):
            print("warning: " + w)
    for e in rep.errors:
        print("ERROR: " + e)
    print(", ".join("%d %s" % (v, k) for k, v in counts.items()))
    print("%d error(s), %d warning(s)" % (len(rep.errors), len(rep.warnings)))
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
