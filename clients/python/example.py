#!/usr/bin/python3
"""Communiqué from Python: a tour of the API with generated stubs.

Against a running communique-ingest and communique-query (TLS, a writer
bearer token), this program:
  1. shows that a write without a token is refused (UNAUTHENTICATED),
  2. ingests the first article and reads its own write on the replica with
     the returned consistency_token,
  3. opens a WatchSummits stream (when the API has it), ingests the other
     articles, and prints the summit changes the watch reports,
  4. lists summits with a filter, pages through every declaration, and gets
     one initiative.

Stubs are generated from proto/communique/v1 with Debian's protoc and
grpc_python_plugin (see clients/python/README.md); put the output directory
on PYTHONPATH or pass --gen_dir. Every line of output is "key: value ...",
the same in the Python, Node and Go examples (clients/README.md).

  example.py --ingest=HOST:PORT --query=HOST:PORT --ca=ca.pem \
      --token_file=writer.token ARTICLE.txt [ARTICLE.txt...]
"""

import argparse
import json
import os
import pathlib
import queue
import sys
import threading


def parse_args():
  p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  p.add_argument("--ingest", required=True, help="IngestService host:port")
  p.add_argument("--query", required=True, help="QueryService host:port")
  p.add_argument("--ca", required=True, help="PEM CA of the servers")
  p.add_argument("--token_file", required=True,
                 help="file with a writer bearer token (first non-comment "
                 "line)")
  p.add_argument("--server_name", default="",
                 help="TLS name to verify instead of the host (optional)")
  p.add_argument("--organization", default="CSTO",
                 help="filter of the summit list and the watch")
  p.add_argument("--page_size", type=int, default=2,
                 help="page size used to page through declarations")
  p.add_argument("--gen_dir", default="",
                 help="directory of the generated *_pb2*.py modules")
  p.add_argument("--timeout", type=float, default=15.0,
                 help="deadline of each call, seconds")
  p.add_argument("articles", nargs="+", help="article text files")
  return p.parse_args()


ARGS = parse_args()
if ARGS.gen_dir:
  sys.path.insert(0, ARGS.gen_dir)

import grpc  # noqa: E402  (after sys.path is set up)
from communique.v1 import change_feed_pb2 as change_pb  # noqa: E402
from communique.v1 import ingest_service_pb2 as ingest_pb  # noqa: E402
from communique.v1 import ingest_service_pb2_grpc as ingest_grpc  # noqa: E402
from communique.v1 import query_service_pb2 as query_pb  # noqa: E402
from communique.v1 import query_service_pb2_grpc as query_grpc  # noqa: E402


def read_token(path):
  for line in pathlib.Path(path).read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
      return line
  raise SystemExit(f"no token in {path}")


def channel(address, credentials):
  options = []
  if ARGS.server_name:
    options.append(("grpc.ssl_target_name_override", ARGS.server_name))
  return grpc.secure_channel(address, credentials, options)


def has_field(message, field):
  return field in message.DESCRIPTOR.fields_by_name


def date_text(date):
  if date.year == 0:
    return "unknown"
  parts = [f"{date.year:04d}"]
  if date.month:
    parts.append(f"{date.month:02d}")
    if date.day:
      parts.append(f"{date.day:02d}")
  return "-".join(parts)


def enum_name(enum_type, value):
  return enum_type.Name(value) if value in enum_type.values() else str(value)


def ingest(stub, path):
  # A page (.html) goes as the bytes fetched, with their Content-Type; the
  # service converts it and takes title, date, URL and outlet from it.
  data = pathlib.Path(path).read_bytes()
  if path.endswith(".html"):
    article = ingest_pb.ArticleInput(
        html=data, content_type="text/html; charset=utf-8",
        external_id=os.path.basename(path))
  else:
    article = ingest_pb.ArticleInput(text=data,
                                     external_id=os.path.basename(path))
  request = ingest_pb.IngestArticleRequest(
      article=article, request_id=os.path.basename(path))
  response = stub.IngestArticle(request, timeout=ARGS.timeout)
  outcome = ingest_pb.IngestOutcome.Name(response.outcome)
  print(f"ingest: {response.article} outcome={outcome} "
        f"token={response.consistency_token} "
        f"summits={','.join(response.affected_summits) or '-'}")
  return response


def watch_in_background(query, request):
  """Starts WatchSummits; returns (call, queue of responses or errors)."""
  call = query.WatchSummits(request, timeout=ARGS.timeout)
  responses = queue.Queue()

  def pump():
    try:
      for response in call:
        responses.put(response)
    except grpc.RpcError as e:
      responses.put(e)
    responses.put(None)

  threading.Thread(target=pump, daemon=True).start()
  return call, responses


def main():
  ssl = grpc.ssl_channel_credentials(
      root_certificates=pathlib.Path(ARGS.ca).read_bytes())
  # The token rides on every call as "authorization: Bearer <token>".
  writer = grpc.composite_channel_credentials(
      ssl, grpc.access_token_call_credentials(read_token(ARGS.token_file)))
  ingest_channel = channel(ARGS.ingest, writer)
  query_channel = channel(ARGS.query, ssl)
  ingest_stub = ingest_grpc.IngestServiceStub(ingest_channel)
  query = query_grpc.QueryServiceStub(query_channel)

  # 1. Writes need the writer role.
  anonymous = ingest_grpc.IngestServiceStub(channel(ARGS.ingest, ssl))
  try:
    anonymous.IngestArticle(ingest_pb.IngestArticleRequest(
        article=ingest_pb.ArticleInput(text=b"x")), timeout=ARGS.timeout)
    print("auth: ingest without token -> OK (unexpected)")
  except grpc.RpcError as e:
    print(f"auth: ingest without token -> {e.code().name}")

  # 2. Ingest, then read the write back from the replica.
  first = ingest(ingest_stub, ARGS.articles[0])
  token = first.consistency_token
  if first.affected_summits:
    summit = query.GetSummit(
        query_pb.GetSummitRequest(name=first.affected_summits[0],
                                  consistency_token=token),
        timeout=ARGS.timeout)
    print(f"read-your-write: {summit.name} organization={summit.organization} "
          f"date={date_text(summit.date)} city={summit.location.city or '-'} "
          f"token={token}")
  else:
    print("read-your-write: no summit affected")

  # 3. Watch summit changes while the other articles go in.
  watch = None
  if hasattr(query, "WatchSummits"):
    call, responses = watch_in_background(query, query_pb.WatchSummitsRequest(
        filter=query_pb.SummitFilter(organization=ARGS.organization),
        consistency_token=token))
    confirmation = responses.get(timeout=ARGS.timeout)
    if isinstance(confirmation, grpc.RpcError):
      print(f"watch: {confirmation.code().name}")
    elif confirmation is None:
      print("watch: ended at once")
    else:
      print(f"watch: started organization={ARGS.organization} "
            f"through={confirmation.through_sequence}")
      watch = (call, responses)
  else:
    print("watch: not in this API version")

  for path in ARGS.articles[1:]:
    token = ingest(ingest_stub, path).consistency_token or token

  if watch:
    call, responses = watch
    changes, through = 0, 0
    while through < int(token):
      try:
        item = responses.get(timeout=ARGS.timeout)
      except queue.Empty:
        break
      if item is None or isinstance(item, grpc.RpcError):
        break
      for change in item.changes:
        changes += 1
        print(f"watch: change seq={change.sequence} "
              f"type={enum_name(change_pb.ChangeType, change.type)} "
              f"summit={change.name}")
      through = item.through_sequence
    call.cancel()
    print(f"watch: done changes={changes} through={through}")

  # 4a. Summits of one organisation, oldest first, every page.
  filter_ = query_pb.SummitFilter(organization=ARGS.organization)
  names, page_token, total = [], "", None
  while True:
    page = query.ListSummits(query_pb.ListSummitsRequest(
        filter=filter_, page_size=50, page_token=page_token,
        order=query_pb.SUMMIT_ORDER_DATE_ASCENDING, consistency_token=token),
        timeout=ARGS.timeout)
    for s in page.summits:
      names.append(s.name)
      print(f"summit: {s.name} date={date_text(s.date)} "
            f"city={s.location.city or '-'} "
            f"participants={len(s.participants)}")
    if total is None and has_field(page, "total_size"):
      total = page.total_size
    page_token = page.next_page_token
    if not page_token:
      break
  print(f"summits: organization={ARGS.organization} count={len(names)}"
        + (f" total_size={total}" if total is not None else ""))

  # 4b. Every declaration of every summit, a few per page.
  seen, pages, page_token = [], 0, ""
  while True:
    page = query.ListDeclarations(query_pb.ListDeclarationsRequest(
        parent="summits/-", page_size=ARGS.page_size, page_token=page_token,
        consistency_token=token), timeout=ARGS.timeout)
    pages += 1
    seen.extend(d.name for d in page.declarations)
    page_token = page.next_page_token
    if not page_token:
      break
  print(f"declarations: count={len(seen)} unique={len(set(seen))} "
        f"pages={pages} page_size={ARGS.page_size}")

  # 4c. One initiative, fetched by name.
  listed = query.ListInitiatives(query_pb.ListInitiativesRequest(
      parent="summits/-", page_size=1, consistency_token=token),
      timeout=ARGS.timeout)
  if listed.initiatives:
    initiative = query.GetInitiative(query_pb.GetInitiativeRequest(
        name=listed.initiatives[0].name, consistency_token=token),
        timeout=ARGS.timeout)
    print(f"initiative: {initiative.name} "
          f"proposer={initiative.proposer.country or '-'} "
          f"title={json.dumps(initiative.title, ensure_ascii=False)}")
  else:
    print("initiative: none")

  # 4d. A missing resource is NOT_FOUND.
  try:
    query.GetSummit(query_pb.GetSummitRequest(
        name="summits/no-such-summit", consistency_token=token),
        timeout=ARGS.timeout)
    print("not-found: OK (unexpected)")
  except grpc.RpcError as e:
    print(f"not-found: {e.code().name}")

  print("done")


if __name__ == "__main__":
  main()
