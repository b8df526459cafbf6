#!/usr/bin/env python3
"""Generates docs/api.md, the API reference, from the comments in the protos.

Reads proto/communique/v1/*.proto (the public API), parses services, rpcs,
messages, fields, oneofs, enums and enum values with their leading comments
(the comment block directly above a declaration, as protoc attaches it) or,
failing that, a trailing comment on the same line, and writes Markdown.

  docs/gen_api.py            rewrite docs/api.md
  docs/gen_api.py --check    exit 1 if docs/api.md is stale, or if an rpc,
                             message, field, enum or enum value has no comment
                             (other than those listed in docs/undocumented.txt)
  docs/gen_api.py --stdout   print the Markdown instead of writing it

Only the standard library; no protoc needed, so the check runs anywhere.
"""

import argparse
import difflib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
API_GLOB = "communique/v1/*.proto"
OUTPUT = ROOT / "docs" / "api.md"
BASELINE = ROOT / "docs" / "undocumented.txt"

# Files whose services come first in the reference; the rest follow by name.
FILE_ORDER = [
    "communique/v1/query_service.proto",
    "communique/v1/ingest_service.proto",
    "communique/v1/change_feed.proto",
    "communique/v1/summit.proto",
    "communique/v1/declaration.proto",
    "communique/v1/initiative.proto",
    "communique/v1/article.proto",
    "communique/v1/common.proto",
]

SCALARS = {
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32",
    "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string",
    "bytes",
}

# ---------------------------------------------------------------- tokenizer

TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r]+)
  | (?P<nl>\n)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?))
  | (?P<ident>\.?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<symbol>[{}()\[\];=<>,:.+-])
""", re.VERBOSE | re.DOTALL)


class Token:
  __slots__ = ("kind", "text", "line", "leading", "trailing_of_line")

  def __init__(self, kind, text, line, leading):
    self.kind = kind
    self.text = text
    self.line = line
    self.leading = leading  # comment block directly above, or ""


def comment_text(raw):
  """Strips comment markers; keeps line structure."""
  if raw.startswith("//"):
    body = raw[2:]
    return body[1:] if body.startswith(" ") else body
  inner = raw[2:-2]
  lines = [re.sub(r"^\s*\*? ?", "", l) for l in inner.split("\n")]
  return "\n".join(lines).strip("\n")


def tokenize(text, path):
  """Returns (tokens, trailing) where trailing maps a line to its comment."""
  tokens, trailing = [], {}
  pending = []          # comment lines of the current block
  pending_end = -1      # line of the block's last comment
  blank_since = False   # a blank line came after the block
  line = 1
  last_token_line = 0
  pos = 0
  while pos < len(text):
    m = TOKEN_RE.match(text, pos)
    if not m:
      raise SystemExit(f"{path}:{line}: cannot tokenize {text[pos:pos + 20]!r}")
    kind = m.lastgroup
    value = m.group()
    pos = m.end()
    if kind == "ws":
      continue
    if kind == "nl":
      # Two newlines in a row after a comment block detach it.
      if pending and line > pending_end:
        blank_since = True
      line += 1
      continue
    if kind in ("line_comment", "block_comment"):
      body = comment_text(value)
      if last_token_line == line and not pending:
        trailing[line] = (trailing.get(line, "") + "\n" + body).strip("\n")
      else:
        if blank_since:
          pending, blank_since = [], False
        pending.append(body)
        pending_end = line + value.count("\n")
      line += value.count("\n")
      continue
    leading = ""
    if pending and not blank_since:
      leading = "\n".join(pending)
    pending, blank_since = [], False
    tokens.append(Token(kind, value, line, leading))
    last_token_line = line
  return tokens, trailing


# ------------------------------------------------------------------- parser

class Node:
  def __init__(self, kind, name, full_name, comment, line):
    self.kind = kind          # service rpc message field oneof enum value
    self.name = name
    self.full_name = full_name
    self.comment = comment
    self.line = line
    self.children = []
    self.attrs = {}


class Parser:

  def __init__(self, path, text):
    self.path = path
    self.tokens, self.trailing = tokenize(text, path)
    self.i = 0
    self.package = ""
    self.file_comment = ""
    self.nodes = []

  def peek(self, offset=0):
    j = self.i + offset
    return self.tokens[j] if j < len(self.tokens) else None

  def next(self):
    tok = self.peek()
    if tok is None:
      raise SystemExit(f"{self.path}: unexpected end of file")
    self.i += 1
    return tok

  def expect(self, text):
    tok = self.next()
    if tok.text != text:
      raise SystemExit(f"{self.path}:{tok.line}: expected {text!r}, got {tok.text!r}")
    return tok

  def skip_statement(self):
    """Skips to the end of a statement (';') or a balanced block."""
    depth = 0
    while True:
      tok = self.next()
      if tok.text == "{":
        depth += 1
      elif tok.text == "}":
        depth -= 1
        if depth == 0:
          return
      elif tok.text == ";" and depth == 0:
        return

  def doc(self, tok, end_line=None):
    """Leading comment of tok, else the trailing comment of its last line."""
    if tok.leading:
      return tok.leading
    return self.trailing.get(end_line or tok.line, "")

  def parse(self):
    first = self.peek()
    if first is not None and first.text == "syntax":
      self.file_comment = first.leading
    while self.peek() is not None:
      tok = self.peek()
      if tok.text == "package":
        self.next()
        self.package = self.next().text
        self.expect(";")
      elif tok.text == "message":
        self.nodes.append(self.message(self.package))
      elif tok.text == "enum":
        self.nodes.append(self.enum(self.package))
      elif tok.text == "service":
        self.nodes.append(self.service())
      elif tok.text == ";":
        self.next()
      else:  # syntax, import, option, extend
        self.skip_statement()
    return self

  def service(self):
    start = self.expect("service")
    name = self.next().text
    node = Node("service", name, f"{self.package}.{name}", self.doc(start),
                start.line)
    self.expect("{")
    while self.peek().text != "}":
      tok = self.peek()
      if tok.text == "rpc":
        node.children.append(self.rpc(node.full_name))
      else:
        self.skip_statement()
    self.expect("}")
    return node

  def rpc(self, scope):
    start = self.expect("rpc")
    name = self.next().text
    self.expect("(")
    client_stream = self.peek().text == "stream"
    if client_stream:
      self.next()
    request = self.next().text
    self.expect(")")
    self.expect("returns")
    self.expect("(")
    server_stream = self.peek().text == "stream"
    if server_stream:
      self.next()
    response = self.next().text
    self.expect(")")
    end = self.peek()
    if end.text == "{":
      self.skip_statement()
    else:
      self.expect(";")
    node = Node("rpc", name, f"{scope}.{name}",
                self.doc(start, end.line), start.line)
    node.attrs = dict(request=request, response=response,
                      client_stream=client_stream, server_stream=server_stream)
    return node

  def message(self, scope):
    start = self.expect("message")
    name = self.next().text
    full = f"{scope}.{name}"
    node = Node("message", name, full, self.doc(start), start.line)
    self.expect("{")
    self.message_body(node, full, oneof=None)
    self.expect("}")
    return node

  def message_body(self, node, scope, oneof):
    while self.peek().text != "}":
      tok = self.peek()
      if tok.text == "message":
        node.children.append(self.message(scope))
      elif tok.text == "enum":
        node.children.append(self.enum(scope))
      elif tok.text == "oneof":
        self.next()
        name = self.next().text
        group = Node("oneof", name, f"{scope}.{name}", self.doc(tok), tok.line)
        node.children.append(group)
        self.expect("{")
        self.message_body(node, scope, oneof=name)
        self.expect("}")
      elif tok.text in ("option", "reserved", "extensions", "extend"):
        self.skip_statement()
      elif tok.text == ";":
        self.next()
      else:
        node.children.append(self.field(scope, oneof))

  def field(self, scope, oneof):
    start = self.peek()
    label = ""
    if start.text in ("repeated", "optional", "required"):
      label = self.next().text
    type_tok = self.next()
    if type_tok.text == "map":
      self.expect("<")
      key = self.next().text
      self.expect(",")
      value = self.next().text
      self.expect(">")
      type_name = f"map<{key}, {value}>"
    else:
      type_name = type_tok.text
    name = self.next().text
    self.expect("=")
    number = self.next().text
    if self.peek().text == "[":
      while self.next().text != "]":
        pass
    end = self.expect(";")
    node = Node("field", name, f"{scope}.{name}", self.doc(start, end.line),
                start.line)
    node.attrs = dict(label=label, type=type_name, number=int(number, 0),
                      oneof=oneof)
    return node

  def enum(self, scope):
    start = self.expect("enum")
    name = self.next().text
    full = f"{scope}.{name}"
    node = Node("enum", name, full, self.doc(start), start.line)
    self.expect("{")
    while self.peek().text != "}":
      tok = self.peek()
      if tok.text in ("option", "reserved"):
        self.skip_statement()
        continue
      if tok.text == ";":
        self.next()
        continue
      value_tok = self.next()
      self.expect("=")
      number = self.next().text
      if self.peek().text == "[":
        while self.next().text != "]":
          pass
      end = self.expect(";")
      value = Node("value", value_tok.text, f"{full}.{value_tok.text}",
                   self.doc(value_tok, end.line), value_tok.line)
      value.attrs = dict(number=int(number, 0))
      node.children.append(value)
    self.expect("}")
    return node


# ----------------------------------------------------------------- markdown

def walk(nodes):
  for node in nodes:
    yield node
    yield from walk(node.children)


def paragraphs(comment):
  """Comment -> list of paragraphs, each one line of text."""
  out, current = [], []
  for line in comment.split("\n"):
    if line.strip():
      current.append(line.strip())
    elif current:
      out.append(" ".join(current))
      current = []
  if current:
    out.append(" ".join(current))
  return out


def cell(comment):
  text = "<br><br>".join(paragraphs(comment))
  return text.replace("|", "\\|") if text else "—"


def block(comment):
  return "\n\n".join(paragraphs(comment))


class Writer:

  def __init__(self, files):
    self.files = files  # [(relative path, Parser)]
    self.known = {}     # full name -> anchor
    for _, parser in files:
      for node in walk(parser.nodes):
        if node.kind in ("message", "enum", "service"):
          self.known[node.full_name] = anchor(node.full_name)

  def type_link(self, type_name, scope):
    """Markdown for a field or rpc type, linked when it is ours."""
    if type_name in SCALARS:
      return f"`{type_name}`"
    m = re.match(r"map<(\w+), (.+)>", type_name)
    if m:
      return f"map<`{m.group(1)}`, {self.type_link(m.group(2), scope)}>"
    full = self.resolve(type_name, scope)
    if full in self.known:
      return f"[`{type_name}`](#{self.known[full]})"
    return f"`{type_name}`"

  def resolve(self, type_name, scope):
    if type_name.startswith("."):
      return type_name[1:]
    parts = scope.split(".")
    while parts:
      candidate = ".".join(parts + [type_name])
      if candidate in self.known:
        return candidate
      parts.pop()
    return type_name

  def render(self):
    out = [
        "# Communiqué API reference",
        "",
        "<!-- Generated by docs/gen_api.py from proto/communique/v1/*.proto."
        " Do not edit: change the proto comments and run docs/gen_api.py. -->",
        "",
        "Package `communique.v1`. Every RPC, message, field and enum value",
        "below is documented in the `.proto` files; this page is generated",
        "from their comments. Clients: `clients/` (Python, Node, Go).",
        "",
        "## Contents",
        "",
    ]
    for rel, parser in self.files:
      out.append(f"- [{rel}](#{anchor(rel)})")
      for node in parser.nodes:
        out.append(f"  - [{node.kind} `{node.name}`](#{anchor(node.full_name)})")
    out.append("")
    for rel, parser in self.files:
      out.append(f'<a id="{anchor(rel)}"></a>')
      out.append(f"## {rel}")
      out.append("")
      if parser.file_comment:
        out.append(block(parser.file_comment))
        out.append("")
      for node in parser.nodes:
        self.render_node(node, out, level=3)
    return "\n".join(out).rstrip("\n") + "\n"

  def render_node(self, node, out, level):
    heading = "#" * level
    out.append(f'<a id="{anchor(node.full_name)}"></a>')
    out.append(f"{heading} {node.kind} `{node.name}`")
    out.append("")
    if node.comment:
      out.append(block(node.comment))
      out.append("")
    scope = node.full_name
    if node.kind == "service":
      for rpc in node.children:
        a = rpc.attrs
        req = ("stream " if a["client_stream"] else "") + self.type_link(a["request"], scope)
        resp = ("stream " if a["server_stream"] else "") + self.type_link(a["response"], scope)
        out.append(f'<a id="{anchor(rpc.full_name)}"></a>')
        out.append(f"{heading}# rpc `{rpc.name}`")
        out.append("")
        out.append(f"{rpc.name}({req}) returns ({resp})")
        out.append("")
        if rpc.comment:
          out.append(block(rpc.comment))
          out.append("")
    elif node.kind == "message":
      fields = [c for c in node.children if c.kind == "field"]
      oneofs = {c.name: c for c in node.children if c.kind == "oneof"}
      if fields:
        out.append("| Field | Type | # | Description |")
        out.append("|---|---|---|---|")
        for f in fields:
          a = f.attrs
          type_md = self.type_link(a["type"], scope)
          if a["label"] in ("repeated", "optional"):
            type_md = f"{a['label']} {type_md}"
          description = cell(f.comment)
          if a["oneof"]:
            group = oneofs[a["oneof"]]
            note = f"One of `{group.name}`"
            if group.comment:
              note += f": {' '.join(paragraphs(group.comment))}"
            else:
              note += "."
            description = (f"{note} {description}" if f.comment.strip()
                           else note)
            description = description.replace("|", "\\|")
          out.append(f'| <a id="{anchor(f.full_name)}"></a>`{f.name}` | '
                     f"{type_md} | {a['number']} | {description} |")
        out.append("")
      else:
        out.append("No fields.")
        out.append("")
      for child in node.children:
        if child.kind in ("message", "enum"):
          self.render_node(child, out, level + 1)
    elif node.kind == "enum":
      out.append("| Value | # | Description |")
      out.append("|---|---|---|")
      for v in node.children:
        out.append(f'| <a id="{anchor(v.full_name)}"></a>`{v.name}` | '
                   f"{v.attrs['number']} | {cell(v.comment)} |")
      out.append("")


def anchor(name):
  return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --------------------------------------------------------------------- main

def load(proto_root):
  paths = sorted(proto_root.glob(API_GLOB))
  rels = [p.relative_to(proto_root).as_posix() for p in paths]
  order = {name: i for i, name in enumerate(FILE_ORDER)}
  rels.sort(key=lambda r: (order.get(r, len(order)), r))
  return [(rel, Parser(rel, (proto_root / rel).read_text(encoding="utf-8")).parse())
          for rel in rels]


def undocumented(files):
  """(full name, where) of every element that needs a comment and has none."""
  missing = []
  for rel, parser in files:
    for node in walk(parser.nodes):
      if node.kind == "oneof":
        continue  # its fields carry the meaning
      if node.kind == "message":
        # A field of a commented oneof is documented by that comment.
        groups = {c.name: c for c in node.children if c.kind == "oneof"}
        for f in node.children:
          if (f.kind == "field" and f.attrs["oneof"] and not f.comment.strip()
              and groups[f.attrs["oneof"]].comment.strip()):
            f.attrs["documented_by_oneof"] = True
      if node.attrs.get("documented_by_oneof"):
        continue
      if not node.comment.strip():
        missing.append((node.full_name, f"{rel}:{node.line} ({node.kind})"))
  return missing


def read_baseline():
  if not BASELINE.exists():
    return set()
  names = set()
  for line in BASELINE.read_text().splitlines():
    line = line.split("#", 1)[0].strip()
    if line:
      names.add(line)
  return names


def main():
  ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  ap.add_argument("--check", action="store_true")
  ap.add_argument("--stdout", action="store_true")
  ap.add_argument("--proto_root", default=str(PROTO_ROOT),
                  help="directory holding communique/v1/ (default: proto/)")
  args = ap.parse_args()

  files = load(pathlib.Path(args.proto_root))
  markdown = Writer(files).render()
  if args.stdout:
    sys.stdout.write(markdown)
    return 0
  if not args.check:
    OUTPUT.write_text(markdown, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} from {len(files)} files")
    return 0

  failures = 0
  baseline = read_baseline()
  missing = undocumented(files)
  new = [(name, where) for name, where in missing if name not in baseline]
  for name, where in new:
    print(f"FAIL: undocumented {name} at proto/{where}: add a comment "
          "saying what it means (STYLE.md section 7)")
  failures += len(new)
  fixed = sorted(baseline - {name for name, _ in missing})
  for name in fixed:
    print(f"note: {name} is documented now; remove it from docs/undocumented.txt")
  current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
  if current != markdown:
    failures += 1
    diff = list(difflib.unified_diff(current.splitlines(), markdown.splitlines(),
                                     "docs/api.md", "generated", lineterm="", n=1))
    print("FAIL: docs/api.md is stale; run docs/gen_api.py. Differences:")
    print("\n".join(diff[:40]))
    if len(diff) > 40:
      print(f"... ({len(diff) - 40} more diff lines)")
  elements = sum(1 for _, p in files for n in walk(p.nodes) if n.kind != "oneof")
  print(f"checked {elements} documented elements in {len(files)} files; "
        f"{len(missing)} undocumented ({len(missing) - len(new)} known in "
        f"docs/undocumented.txt)")
  passed = 2 - (1 if new else 0) - (1 if current != markdown else 0)
  print(f"{passed} passed, {2 - passed} failed")
  return 1 if failures else 0


if __name__ == "__main__":
  sys.exit(main())
