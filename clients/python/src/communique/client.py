"""A thin typed helper over the generated stubs.

  from communique import Client
  with Client(query="127.0.0.1:50052", ingest="127.0.0.1:50051",
              ca="var/tls/ca.pem", token_file="var/secrets/writer.token") as c:
    token = c.ingest_file("data/samples/104_csto-yerevan-2022.txt").consistency_token
    for summit in c.summits(organization="CSTO", consistency_token=token):
      print(summit.name)

Results are the generated messages (communique.v1.summit_pb2.Summit, ...).
Lists are iterators that follow next_page_token; filters are keyword
arguments named as the proto fields (SummitFilter.format is `format`,
enum values as lower-case names: format="narrow", kind="treaty").
Errors are grpc.RpcError with the service's status code.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any, Dict, Iterator, Optional, Union

import grpc

from communique.v1 import common_pb2
from communique.v1 import declaration_pb2
from communique.v1 import ingest_service_pb2
from communique.v1 import ingest_service_pb2_grpc
from communique.v1 import initiative_pb2
from communique.v1 import query_service_pb2
from communique.v1 import query_service_pb2_grpc
from communique.v1 import summit_pb2

PathLike = Union[str, os.PathLike]

_ENUM_PREFIXES = {
    "format": (summit_pb2.SummitFormat, "SUMMIT_FORMAT_"),
    "kind": (declaration_pb2.DeclarationKind, "DECLARATION_KIND_"),
    "declaration_status": (declaration_pb2.DeclarationStatus,
                           "DECLARATION_STATUS_"),
    "initiative_status": (initiative_pb2.InitiativeStatus,
                          "INITIATIVE_STATUS_"),
    "order": (query_service_pb2.SummitOrder, "SUMMIT_ORDER_"),
}


def _enum(field: str, value: Union[str, int, None]) -> int:
  if value is None or value == "":
    return 0
  if isinstance(value, int):
    return value
  enum_type, prefix = _ENUM_PREFIXES[field]
  name = prefix + value.upper()
  try:
    return enum_type.Value(name)
  except ValueError:
    choices = ", ".join(n[len(prefix):].lower() for n in enum_type.keys()
                        if not n.endswith("_UNSPECIFIED"))
    raise ValueError(f"{field}: unknown value {value!r} (one of: {choices})")


def _date(value: Union[str, common_pb2.PartialDate, None]
          ) -> Optional[common_pb2.PartialDate]:
  """"YYYY", "YYYY-MM" or "YYYY-MM-DD" (or a PartialDate) as a PartialDate."""
  if value is None or value == "":
    return None
  if isinstance(value, common_pb2.PartialDate):
    return value
  parts = [int(p) for p in str(value).split("-")]
  if not 1 <= len(parts) <= 3:
    raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
  parts += [0] * (3 - len(parts))
  return common_pb2.PartialDate(year=parts[0], month=parts[1], day=parts[2])


def read_token(path: PathLike) -> str:
  """The first non-blank, non-comment line of a token file."""
  for line in pathlib.Path(path).read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
      return line
  raise ValueError(f"no token in {path}")


def summit_filter(**fields: Any) -> query_service_pb2.SummitFilter:
  """A SummitFilter from keyword arguments named as its fields."""
  for key in ("start_date", "end_date"):
    if key in fields:
      date = _date(fields.pop(key))
      if date is not None:
        fields[key] = date
  if "format" in fields:
    fields["format"] = _enum("format", fields["format"])
  return query_service_pb2.SummitFilter(
      **{k: v for k, v in fields.items() if v is not None})


class Watch:
  """An open WatchSummits stream: iterate for SummitChange messages.

  `through_sequence` is the sequence the stream has delivered every
  matching change up to (resume with start_sequence=through_sequence).
  `started_after` is the sequence of the first (confirmation) message.
  """

  def __init__(self, call):
    self._call = call
    self.through_sequence = 0
    self.started_after: Optional[int] = None
    first = next(call)  # the confirmation, without changes
    self.started_after = first.through_sequence
    self.through_sequence = first.through_sequence

  def __iter__(self) -> Iterator[query_service_pb2.SummitChange]:
    for response in self._call:
      for change in response.changes:
        yield change
      self.through_sequence = max(self.through_sequence,
                                  response.through_sequence)

  def responses(self) -> Iterator[query_service_pb2.WatchSummitsResponse]:
    """The raw responses (batches), for callers that track progress."""
    for response in self._call:
      self.through_sequence = max(self.through_sequence,
                                  response.through_sequence)
      yield response

  def cancel(self) -> None:
    self._call.cancel()

  def __enter__(self) -> "Watch":
    return self

  def __exit__(self, *exc) -> None:
    self.cancel()


class Client:
  """Connections to the query and ingest services.

  query, ingest: "host:port". ca: PEM CA file of the services (None: the
  system roots). token / token_file: a bearer token (writes need a writer
  token). server_name: TLS name to verify instead of the host.
  insecure: plaintext (development only). timeout: seconds per call.
  """

  def __init__(self, query: str = "127.0.0.1:50052",
               ingest: str = "127.0.0.1:50051",
               ca: Optional[PathLike] = None,
               token: Optional[str] = None,
               token_file: Optional[PathLike] = None,
               server_name: str = "",
               insecure: bool = False,
               timeout: float = 30.0):
    if token is None and token_file:
      token = read_token(token_file)
    self.timeout = timeout
    options = []
    if server_name:
      options.append(("grpc.ssl_target_name_override", server_name))
    if insecure:
      self._query_channel = grpc.insecure_channel(query, options)
      self._ingest_channel = grpc.insecure_channel(ingest, options)
    else:
      ssl = grpc.ssl_channel_credentials(
          root_certificates=pathlib.Path(ca).read_bytes() if ca else None)
      credentials = ssl
      if token:
        credentials = grpc.composite_channel_credentials(
            ssl, grpc.access_token_call_credentials(token))
      self._query_channel = grpc.secure_channel(query, credentials, options)
      self._ingest_channel = grpc.secure_channel(ingest, credentials, options)
    self.query = query_service_pb2_grpc.QueryServiceStub(self._query_channel)
    self.ingest = ingest_service_pb2_grpc.IngestServiceStub(
        self._ingest_channel)

  @classmethod
  def from_environment(cls, **overrides: Any) -> "Client":
    """A Client configured as the `communique` CLI is: COMMUNIQUE_QUERY,
    COMMUNIQUE_INGEST, COMMUNIQUE_TLS_CA, COMMUNIQUE_TOKEN_FILE,
    COMMUNIQUE_INSECURE over the config file ($COMMUNIQUE_CONFIG, else
    $XDG_CONFIG_HOME/communique/config, else ~/.config/communique/config);
    keyword arguments win."""
    settings: Dict[str, str] = {}
    config = os.environ.get("COMMUNIQUE_CONFIG") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"),
        "communique", "config")
    if os.path.exists(config):
      base = os.path.dirname(os.path.abspath(config))
      for line in pathlib.Path(config).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
          continue
        key, value = (s.strip() for s in line.split("=", 1))
        value = value.strip('"')
        if key in ("tls_ca", "token_file", "tls_cert", "tls_key") and value:
          value = os.path.join(base, value)
        settings[key.lstrip("-")] = value
    for key in ("query", "ingest", "tls_ca", "token_file", "insecure",
                "authority", "timeout_seconds"):
      value = os.environ.get("COMMUNIQUE_" + key.upper())
      if value is not None:
        settings[key] = value
    kwargs: Dict[str, Any] = {}
    for key, arg in (("query", "query"), ("ingest", "ingest"),
                     ("tls_ca", "ca"), ("token_file", "token_file"),
                     ("authority", "server_name")):
      if settings.get(key):
        kwargs[arg] = settings[key]
    if settings.get("insecure", "").lower() in ("1", "true", "yes"):
      kwargs["insecure"] = True
    if settings.get("timeout_seconds"):
      kwargs["timeout"] = float(settings["timeout_seconds"])
    kwargs.update(overrides)
    return cls(**kwargs)

  def close(self) -> None:
    self._query_channel.close()
    self._ingest_channel.close()

  def __enter__(self) -> "Client":
    return self

  def __exit__(self, *exc) -> None:
    self.close()

  # ---------------------------------------------------------------- write --

  def ingest_article(self, text: Union[str, bytes], external_id: str = "",
                     **metadata: Any
                     ) -> ingest_service_pb2.IngestArticleResponse:
    """Ingests one article (IngestArticle); metadata as ArticleInput
    fields (source_url, publisher, title, published)."""
    if isinstance(text, str):
      text = text.encode("utf-8")
    request = ingest_service_pb2.IngestArticleRequest(
        article=ingest_service_pb2.ArticleInput(
            text=text, external_id=external_id, **metadata),
        request_id=external_id)
    return self.ingest.IngestArticle(request, timeout=self.timeout)

  def ingest_page(self, html: bytes, content_type: str = "",
                  external_id: str = "", **metadata: Any
                  ) -> ingest_service_pb2.IngestArticleResponse:
    """Ingests a web page as fetched (ArticleInput.html): the bytes as
    served and, optionally, the HTTP Content-Type (its charset wins). The
    service converts it and fills title, published, source_url and
    publisher from the page where `metadata` leaves them out."""
    request = ingest_service_pb2.IngestArticleRequest(
        article=ingest_service_pb2.ArticleInput(
            html=html, content_type=content_type, external_id=external_id,
            **metadata),
        request_id=external_id)
    return self.ingest.IngestArticle(request, timeout=self.timeout)

  def ingest_file(self, path: PathLike
                  ) -> ingest_service_pb2.IngestArticleResponse:
    """Ingests a file; its name without extension is the external id (as
    `communique ingest` does). A .html / .htm file goes as a page
    (ingest_page), anything else as text."""
    path = pathlib.Path(path)
    if path.suffix.lower() in (".html", ".htm"):
      return self.ingest_page(path.read_bytes(), external_id=path.stem)
    return self.ingest_article(path.read_bytes(), external_id=path.stem)

  # ----------------------------------------------------------------- read --

  def get_summit(self, name: str, consistency_token: str = ""
                 ) -> summit_pb2.Summit:
    return self.query.GetSummit(query_service_pb2.GetSummitRequest(
        name=name, consistency_token=consistency_token), timeout=self.timeout)

  def get_declaration(self, name: str, consistency_token: str = ""
                      ) -> declaration_pb2.Declaration:
    return self.query.GetDeclaration(query_service_pb2.GetDeclarationRequest(
        name=name, consistency_token=consistency_token), timeout=self.timeout)

  def get_initiative(self, name: str, consistency_token: str = ""
                     ) -> initiative_pb2.Initiative:
    return self.query.GetInitiative(query_service_pb2.GetInitiativeRequest(
        name=name, consistency_token=consistency_token), timeout=self.timeout)

  def stats(self, consistency_token: str = ""
            ) -> query_service_pb2.GetStatsResponse:
    return self.query.GetStats(query_service_pb2.GetStatsRequest(
        consistency_token=consistency_token), timeout=self.timeout)

  def _pages(self, method, request, field: str) -> Iterator[Any]:
    while True:
      page = method(request, timeout=self.timeout)
      yield from getattr(page, field)
      if not page.next_page_token:
        return
      request.page_token = page.next_page_token

  def summits(self, order: Union[str, int, None] = None, page_size: int = 0,
              consistency_token: str = "", **filter_fields: Any
              ) -> Iterator[summit_pb2.Summit]:
    """Every summit matching the filter (SummitFilter fields as keyword
    arguments), following page tokens. order: "date_descending" (default)
    or "date_ascending"."""
    request = query_service_pb2.ListSummitsRequest(
        filter=summit_filter(**filter_fields), order=_enum("order", order),
        page_size=page_size, consistency_token=consistency_token)
    return self._pages(self.query.ListSummits, request, "summits")

  def declarations(self, parent: str = "summits/-",
                   kind: Union[str, int, None] = None,
                   status: Union[str, int, None] = None,
                   order: Union[str, int, None] = None, page_size: int = 0,
                   consistency_token: str = "", **fields: Any
                   ) -> Iterator[declaration_pb2.Declaration]:
    """Every declaration matching ListDeclarationsRequest's filter fields
    (organization, year, min_year, max_year, text), following page tokens."""
    request = query_service_pb2.ListDeclarationsRequest(
        parent=parent, kind=_enum("kind", kind),
        status=_enum("declaration_status", status),
        order=_enum("order", order), page_size=page_size,
        consistency_token=consistency_token, **fields)
    return self._pages(self.query.ListDeclarations, request, "declarations")

  def initiatives(self, parent: str = "summits/-",
                  status: Union[str, int, None] = None,
                  order: Union[str, int, None] = None, page_size: int = 0,
                  consistency_token: str = "", **fields: Any
                  ) -> Iterator[initiative_pb2.Initiative]:
    """Every initiative matching ListInitiativesRequest's filter fields
    (proposer_country, proposer_person, topic, organization, year,
    min_year, max_year, text), following page tokens."""
    request = query_service_pb2.ListInitiativesRequest(
        parent=parent, status=_enum("initiative_status", status),
        order=_enum("order", order), page_size=page_size,
        consistency_token=consistency_token, **fields)
    return self._pages(self.query.ListInitiatives, request, "initiatives")

  def chairmanships(self, organization: str = "", country: str = "",
                    page_size: int = 0, consistency_token: str = ""
                    ) -> Iterator[query_service_pb2.Chairmanship]:
    request = query_service_pb2.ListChairmanshipsRequest(
        organization=organization, country=country, page_size=page_size,
        consistency_token=consistency_token)
    return self._pages(self.query.ListChairmanships, request,
                       "chairmanships")

  def watch_summits(self, start_sequence: int = 0,
                    consistency_token: str = "",
                    timeout: Optional[float] = None,
                    **filter_fields: Any) -> Watch:
    """Opens WatchSummits and waits for its confirmation. Iterate the
    returned Watch for SummitChange messages; cancel() (or leave a `with`
    block) to stop. timeout: the stream's deadline (None: none)."""
    call = self.query.WatchSummits(query_service_pb2.WatchSummitsRequest(
        filter=summit_filter(**filter_fields), start_sequence=start_sequence,
        consistency_token=consistency_token), timeout=timeout)
    return Watch(call)
