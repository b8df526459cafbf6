#!/usr/bin/env python3
"""Page fixtures vs plain text, with one build of the CLI:

  1. builds the 26 news articles of ../shared/eval/news as pages in six
     templates (make_pages.py),
  2. scores `communique parse --jsonl` on the .txt files and on each
     template's pages against the same gold with ../shared/eval/score.py
     (a page's `file` is renamed to the gold's .txt name for scoring),
  3. scores the metadata html_tool reads from the pages (title, published
     date, canonical URL, site name) against what the pages state.

Prints the template table (text score, page score, ratio) and the metadata
accuracy, and fails when a template's page score is under 0.98 x the text
score or a metadata field is under 0.99.

Usage: page_score_test.py CLI HTML_TOOL EVAL_DIR [--keep DIR]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_RATIO = 0.98
MIN_METADATA = 0.99
FIELDS = ["title", "published", "canonical_url", "site_name"]


def score(scorer, gold, jsonl_lines, work, name):
    path = os.path.join(work, name + ".jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(jsonl_lines))
    out = subprocess.run([sys.executable, scorer, gold, path], capture_output=True, text=True)
    m = re.search(r"^score: ([0-9.]+)", out.stdout, re.M)
    if not m:
        print(out.stdout, out.stderr)
        raise SystemExit("score.py printed no score for %s" % name)
    return float(m.group(1))


def parse(cli, files):
    out = subprocess.run([cli, "parse", "--jsonl"] + files, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        raise SystemExit("communique parse failed")
    return out.stdout.splitlines(keepends=True)


def main():
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        keep = args[args.index("--keep") + 1]
        del args[args.index("--keep"):args.index("--keep") + 2]
    if len(args) != 3:
        print(__doc__)
        return 2
    cli, html_tool, eval_dir = args
    news = os.path.join(eval_dir, "news")
    scorer = os.path.join(eval_dir, "score.py")
    if not os.path.isdir(news) or not os.path.isfile(scorer):
        print("skipped: %s or %s is absent" % (news, scorer))
        return 0
    work = keep or tempfile.mkdtemp(prefix="communique_pages_")
    try:
        pages = os.path.join(work, "pages")
        subprocess.run([sys.executable, os.path.join(HERE, "make_pages.py"), news, pages], check=True)
        expected = json.load(open(os.path.join(pages, "expected.json"), encoding="utf-8"))
        texts = sorted(os.path.join(news, f) for f in os.listdir(news) if f.endswith(".txt"))
        text_score = score(scorer, news, parse(cli, texts), work, "text")

        rows = []
        correct = {f: 0 for f in FIELDS}
        total = 0
        misses = []
        for template in expected:
            files = sorted(os.path.join(pages, template, f) for f in expected[template])
            lines = []
            for line in parse(cli, files):
                obj = json.loads(line)
                obj["file"] = re.sub(r"\.html$", ".txt", obj["file"])
                lines.append(json.dumps(obj) + "\n")
            page_score = score(scorer, news, lines, work, template)
            rows.append((template, text_score, page_score,
                         page_score / text_score if text_score else 0.0))
            out = subprocess.run([html_tool] + files, capture_output=True, text=True)
            found = {}
            for line in out.stdout.splitlines():
                obj = json.loads(line)
                found[obj["file"]] = obj
            for name, want in expected[template].items():
                got = found.get(name, {})
                total += 1
                for field in FIELDS:
                    if got.get(field, None) == want[field]:
                        correct[field] += 1
                    else:
                        misses.append("%s/%s %s: want %r, got %r" % (
                            template, name, field, want[field][:80], str(got.get(field, got.get("error")))[:80]))

        print()
        print("| template | text score | page score | ratio |")
        print("|---|---|---|---|")
        failed = False
        for template, t, p, r in rows:
            flag = "" if r >= MIN_RATIO else "  < %.2f FAIL" % MIN_RATIO
            failed |= r < MIN_RATIO
            print("| %s | %.4f | %.4f | %.4f |%s" % (template, t, p, r, flag))
        print()
        print("metadata accuracy over %d pages:" % total)
        for field in FIELDS:
            acc = correct[field] / total if total else 0.0
            flag = "" if acc >= MIN_METADATA else "  < %.2f FAIL" % MIN_METADATA
            failed |= acc < MIN_METADATA
            print("  %-14s %.4f (%d/%d)%s" % (field, acc, correct[field], total, flag))
        for miss in misses[:40]:
            print("  miss: " + miss)
        print()
        print("FAIL" if failed else "PASS")
        return 1 if failed else 0
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
