#!/usr/bin/env python3
"""Turns gold annotations into ArticleExtraction JSON lines, the facts an
ideal extractor would hand the merge, so that the merge policy can be scored
apart from the extractor (merge_policy_test.sh).

Usage: gold_to_extractions.py MODE GOLD_DIR...
  MODE all:  every gold fact, dates as the gold gives them.
  MODE text: only dates the article itself states (date_known_from_text);
             an article without one gets the year before its chairmanship
             handover's start ("chairmanship from January 1, 2024" -> 2023),
             as the extractor's relative-year rule does, else no date.

Only the facts the merge compares are carried over: organisation, body
(null -> the organisation's heads-of-state body), date, city, host country,
formats, participants (name, country, organisation, role, remote) and the
next chair with its start date. The gold's `event` ids are never used: they
are the answer the scorer checks. Article names follow score_merge.py.
"""
import json
import os
import re
import sys

# The body a gold record with "body": null met as (CONVENTIONS.md: null is
# the organisation's heads-of-state body).
PRINCIPAL_BODY = {
    "CSTO": "Collective Security Council",
    "SCO": "Council of Heads of State",
    "CIS": "Council of Heads of State",
    "EAEU": "Supreme Eurasian Economic Council",
    "BRICS": "BRICS Summit",
}
FORMATS = {
    "narrow": "SUMMIT_FORMAT_NARROW",
    "expanded": "SUMMIT_FORMAT_EXPANDED",
    "videoconference": "SUMMIT_FORMAT_VIDEOCONFERENCE",
    "in_person": "SUMMIT_FORMAT_IN_PERSON",
}


def article_name(file_name):
    base = re.sub(r"\.txt$", "", os.path.basename(file_name)).lower()
    return "articles/" + re.sub(r"[^a-z0-9]+", "-", base).strip("-")


def partial_date(text):
    if not text:
        return {}
    parts = [int(p) for p in str(text).split("-")]
    return dict(zip(("year", "month", "day"), parts))


def summit(gold, mode):
    org = gold["organization"]
    date = partial_date(gold.get("date"))
    next_chair = gold.get("next_chair") or {}
    handover = partial_date(next_chair.get("from"))
    if mode == "text" and gold.get("date_known_from_text") is False:
        date = {"year": handover["year"] - 1} if handover else {}
    out = {
        "organization": org,
        "body": gold.get("body") or PRINCIPAL_BODY.get(org.upper(), ""),
        "date": date,
        "location": {"city": gold.get("city") or "",
                     "country": gold.get("country") or ""},
        "formats": [FORMATS[f] for f in gold.get("formats") or [] if f in FORMATS],
        "participants": [],
    }
    for p in gold.get("participants") or []:
        out["participants"].append({
            "name": p.get("name") or "",
            "country": p.get("country") or "",
            "organization": p.get("organization") or "",
            "role": p.get("role") or "",
            "remote": bool(p.get("remote")),
        })
    if next_chair.get("country"):
        out["next_chair"] = {"country": next_chair["country"],
                             "from_date": handover}
    return out


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("all", "text"):
        sys.exit(__doc__)
    mode = sys.argv[1]
    for gold_dir in sys.argv[2:]:
        for name in sorted(os.listdir(gold_dir)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
                gold = json.load(f)
            extraction = {
                "article": article_name(gold["article"]),
                "summits": [summit(s, mode) for s in gold.get("summits") or []],
            }
            print(json.dumps(extraction, ensure_ascii=False))


if __name__ == "__main__":
    main()
