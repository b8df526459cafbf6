#!/usr/bin/env python3
"""Communiqué from Python: a tour of the API through the `communique` package.

Against a running communique-ingest and communique-query (TLS, a writer
bearer token), this program:
  1. shows that a write without a token is refused (UNAUTHENTICATED),
  2. ingests the first article and reads its own write on the replica with
     the returned consistency_token,
  3. opens a WatchSummits stream, ingests the other articles, and prints
     the summit changes the watch reports,
  4. lists summits with a filter, pages through every declaration, and gets
     one initiative.

It uses the installed package (`pip install clients/python`, see
clients/python/README.md): `communique.Client` for connections, paging and
the watch, the generated `communique.v1` messages for results. Every line
of output is "key: value ...", the same in the Python, Node and Go examples
(clients/README.md).

  example.py --ingest=HOST:PORT --query=HOST:PORT --ca=ca.pem \
      --token_file=writer.token ARTICLE.txt [ARTICLE.txt...]
"""

import argparse
import json
import queue
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
  p.add_argument("--timeout", type=float, default=15.0,
                 help="deadline of each call, seconds")
  p.add_argument("articles", nargs="+", help="article text files")
  return p.parse_args()


ARGS = parse_args()

import grpc  # noqa: E402
from communique import Client  # noqa: E402
from communique.v1 import change_feed_pb2 as change_pb  # noqa: E402
from communique.v1 import ingest_service_pb2 as ingest_pb  # noqa: E402
from communique.v1 import query_service_pb2 as query_pb  # noqa: E402


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


def ingest(client, path):
  response = client.ingest_file(path)
  outcome = ingest_pb.IngestOutcome.Name(response.outcome)
  print(f"ingest: {response.article} outcome={outcome} "
        f"token={response.consistency_token} "
        f"summits={','.join(response.affected_summits) or '-'}")
  return response


def watch_in_background(watch):
  """Pumps a Watch's responses into a queue (None at the end)."""
  responses = queue.Queue()

  def pump():
    try:
      for response in watch.responses():
        responses.put(response)
    except grpc.RpcError as e:
      responses.put(e)
    responses.put(None)

  threading.Thread(target=pump, daemon=True).start()
  return responses


def main():
  connection = dict(query=ARGS.query, ingest=ARGS.ingest, ca=ARGS.ca,
                    server_name=ARGS.server_name, timeout=ARGS.timeout)
  client = Client(token_file=ARGS.token_file, **connection)

  # 1. Writes need the writer role.
  anonymous = Client(**connection)
  try:
    anonymous.ingest_article(b"x")
    print("auth: ingest without token -> OK (unexpected)")
  except grpc.RpcError as e:
    print(f"auth: ingest without token -> {e.code().name}")
  anonymous.close()

  # 2. Ingest, then read the write back from the replica.
  first = ingest(client, ARGS.articles[0])
  token = first.consistency_token
  if first.affected_summits:
    summit = client.get_summit(first.affected_summits[0],
                               consistency_token=token)
    print(f"read-your-write: {summit.name} organization={summit.organization} "
          f"date={date_text(summit.date)} city={summit.location.city or '-'} "
          f"token={token}")
  else:
    print("read-your-write: no summit affected")

  # 3. Watch summit changes while the other articles go in.
  watch = None
  try:
    watch = client.watch_summits(organization=ARGS.organization,
                                 consistency_token=token,
                                 timeout=ARGS.timeout)
    print(f"watch: started organization={ARGS.organization} "
          f"through={watch.started_after}")
    responses = watch_in_background(watch)
  except grpc.RpcError as e:
    print(f"watch: {e.code().name}")
  except StopIteration:
    print("watch: ended at once")

  for path in ARGS.articles[1:]:
    token = ingest(client, path).consistency_token or token

  if watch:
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
    watch.cancel()
    print(f"watch: done changes={changes} through={through}")

  # 4a. Summits of one organisation, oldest first, every page (the
  # iterator follows next_page_token).
  names = []
  for s in client.summits(organization=ARGS.organization,
                          order="date_ascending", page_size=50,
                          consistency_token=token):
    names.append(s.name)
    print(f"summit: {s.name} date={date_text(s.date)} "
          f"city={s.location.city or '-'} "
          f"participants={len(s.participants)}")
  # total_size: the service's estimate, from the first page (raw stub).
  first_page = client.query.ListSummits(query_pb.ListSummitsRequest(
      filter=query_pb.SummitFilter(organization=ARGS.organization),
      order=query_pb.SUMMIT_ORDER_DATE_ASCENDING, page_size=50,
      consistency_token=token), timeout=ARGS.timeout)
  print(f"summits: organization={ARGS.organization} count={len(names)} "
        f"total_size={first_page.total_size}")

  # 4b. Every declaration of every summit, a few per page: pages counted
  # by hand with the raw stub, then the same list through the iterator.
  seen, pages = [], 0
  request = query_pb.ListDeclarationsRequest(
      parent="summits/-", page_size=ARGS.page_size, consistency_token=token)
  while True:
    page = client.query.ListDeclarations(request, timeout=ARGS.timeout)
    pages += 1
    seen.extend(d.name for d in page.declarations)
    if not page.next_page_token:
      break
    request.page_token = page.next_page_token
  assert seen == [d.name for d in client.declarations(
      page_size=ARGS.page_size, consistency_token=token)]
  print(f"declarations: count={len(seen)} unique={len(set(seen))} "
        f"pages={pages} page_size={ARGS.page_size}")

  # 4c. One initiative, fetched by name.
  listed = next(iter(client.initiatives(page_size=1,
                                        consistency_token=token)), None)
  if listed is not None:
    initiative = client.get_initiative(listed.name, consistency_token=token)
    print(f"initiative: {initiative.name} "
          f"proposer={initiative.proposer.country or '-'} "
          f"title={json.dumps(initiative.title, ensure_ascii=False)}")
  else:
    print("initiative: none")

  # 4d. A missing resource is NOT_FOUND.
  try:
    client.get_summit("summits/no-such-summit", consistency_token=token)
    print("not-found: OK (unexpected)")
  except grpc.RpcError as e:
    print(f"not-found: {e.code().name}")

  client.close()
  print("done")


if __name__ == "__main__":
  main()
