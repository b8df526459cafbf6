#!/usr/bin/python3
"""Starts the real binaries exactly as the rendered manifests declare them,
and performs the probes the manifests declare.

  run_manifests.py INGEST_BIN QUERY_BIN CLI_BIN WORK_DIR [OVERLAY...]

For each overlay (default: base, overlays/dev, overlays/prod), rendered by
render.py, and for the ingest StatefulSet and the query Deployment:

  * the binary is the image's entrypoint (communique-ingest or
    communique-query, by image name; the containers declare no `command`),
    with the container's `args`;
  * the environment is exactly the container's `env` and `envFrom`
    ConfigMaps, nothing inherited;
  * every volume mount becomes a directory under WORK_DIR and every path in
    the environment is mapped into it: the ingest PVC and the query emptyDir
    start empty; Secret volumes hold the files deploy/README.md tells the
    operator to create (communique-tls: tls.crt, tls.key, ca.crt; the token
    Secrets: writer.tokens, replica.tokens, replica.token), made here with
    scripts/dev-certs.sh's CA and a server certificate with the SANs the
    README asks for;
  * ports: every declared containerPort must be the port of exactly one
    0.0.0.0:PORT listen address in the environment (they must agree), and
    each is remapped to a free loopback port (ingest and query both declare
    8081 for health, which would collide on one host);
  * host:port values naming a Service of the overlay (COMMUNIQUE_UPSTREAM:
    communique-ingest[.NS.svc]:50051) resolve like cluster DNS: the Service
    must exist in the namespace, select the target pod's labels and map the
    port to a declared container port (by name or number); that becomes
    127.0.0.1:<the ingest pod's remapped port>.

Then, per pod: the startup probe until it passes (within periodSeconds x
failureThreshold), liveness, readiness (the query replica: caught up),
each as declared (native gRPC health on the declared numeric port with the
declared service name, or tcpSocket); the Prometheus annotations' port and
path answer /metrics. The CLI ingests an article into ingest (writer token
from the Secret, TLS verified as `communique-ingest`) and reads it back from
the query replica with the consistency token: the replica followed ingest
through the Service with the replica token. On SIGTERM readiness turns
NOT_SERVING first (gRPC probes), and each process exits 0 within its
terminationGracePeriodSeconds: ingest first, while the replica's change-feed
stream holds its drain open (the case of an upgrade), then the replica.
Last, the backup Job of ops/checkpoint-job.yaml runs on the stopped ingest
pod's volume (its PVC claim resolved to the StatefulSet's) and a server on
the checkpoint it wrote lists the article. Prints "N passed, N failed".
"""
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import render  # noqa: E402

PASS = FAIL = 0


def check(ok, what):
  global PASS, FAIL
  if ok:
    PASS += 1
    print(f"ok: {what}")
  else:
    FAIL += 1
    print(f"FAIL: {what}")
  return ok


def free_port():
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


# --- probes ------------------------------------------------------------------

def grpc_health(port, service, timeout=2):
  """Plaintext grpc.health.v1 Check, as the kubelet's gRPC probe does."""
  import grpc  # python3-grpcio
  from grpc_health_probe import STATUS, decode_status, encode_request
  with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
    call = channel.unary_unary("/grpc.health.v1.Health/Check",
                               request_serializer=lambda b: b,
                               response_deserializer=lambda b: b)
    try:
      return STATUS.get(decode_status(call(encode_request(service), timeout=timeout)), "?")
    except grpc.RpcError as e:
      return e.code().name


def tcp_open(port):
  try:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
      return "SERVING"
  except OSError as e:
    return f"refused ({e.strerror})"


def probe_once(pod, probe):
  if "grpc" in probe:
    return grpc_health(pod.port(probe["grpc"]["port"]), probe["grpc"].get("service", ""))
  if "tcpSocket" in probe:
    return tcp_open(pod.port(probe["tcpSocket"]["port"]))
  raise SystemExit(f"unsupported probe {probe}")


def describe(probe):
  if "grpc" in probe:
    return f"grpc port {probe['grpc']['port']} service {probe['grpc'].get('service', '')!r}"
  return f"tcpSocket port {probe['tcpSocket']['port']}"


def wait_probe(pod, name, budget):
  """Polls a declared probe until it passes or `budget` seconds pass."""
  probe = pod.container[name]
  deadline = time.monotonic() + budget
  start = time.monotonic()
  while True:
    status = probe_once(pod, probe)
    if status == "SERVING" or time.monotonic() >= deadline or pod.proc.poll() is not None:
      break
    time.sleep(0.1)
  return check(status == "SERVING",
               f"{pod.where}: {name} ({describe(probe)}) -> {status} "
               f"after {time.monotonic() - start:.1f} s")


# --- a pod, from its manifest --------------------------------------------------

class Pod:
  def __init__(self, overlay, workload, objects, bins, work, secrets):
    self.workload = workload
    self.where = f"{overlay} {workload['kind']}/{workload['metadata']['name']}"
    self.namespace = workload["metadata"].get("namespace", "default")
    self.spec = workload["spec"]["template"]["spec"]
    self.labels = workload["spec"]["template"]["metadata"].get("labels", {})
    containers = self.spec["containers"]
    check(len(containers) == 1, f"{self.where}: one container")
    self.container = c = containers[0]
    self.dir = work / workload["metadata"]["name"]
    self.dir.mkdir(parents=True)
    image = c["image"].split("@")[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]
    check(image in bins, f"{self.where}: image {c['image']} is one of ours")
    check("command" not in c, f"{self.where}: no command (the image's entrypoint runs)")
    self.argv = [bins[image]] + list(c.get("args", []))
    # Ports: declared, then remapped.
    self.ports = {}  # containerPort -> local port
    self.port_names = {}
    for p in c.get("ports", []):
      self.ports[p["containerPort"]] = free_port()
      if "name" in p:
        self.port_names[p["name"]] = p["containerPort"]
    # Volumes.
    volumes = {v["name"]: v for v in self.spec.get("volumes", [])}
    for t in workload["spec"].get("volumeClaimTemplates", []):
      volumes[t["metadata"]["name"]] = {"persistentVolumeClaim": t}
    self.mounts = {}
    for m in c.get("volumeMounts", []):
      local = self.dir / m["mountPath"].strip("/").replace("/", "_")
      local.mkdir()
      v = volumes.get(m["name"])
      check(v is not None, f"{self.where}: volume {m['name']} is declared")
      if v and "secret" in v:
        name = v["secret"]["secretName"]
        check(name in secrets, f"{self.where}: Secret {name} is one deploy/README.md documents")
        for key, content in secrets.get(name, {}).items():
          (local / key).write_text(content)
          (local / key).chmod(v["secret"].get("defaultMode", 0o644))
      self.mounts[m["mountPath"]] = local
    # Environment: env and envFrom ConfigMaps, nothing inherited.
    env = {}
    for source in c.get("envFrom", []):
      ref = source.get("configMapRef", {}).get("name")
      check(ref is not None, f"{self.where}: envFrom is a ConfigMap")
      cms = [o for o in objects if o["kind"] == "ConfigMap" and o["metadata"]["name"] == ref]
      check(len(cms) == 1, f"{self.where}: ConfigMap {ref} exists")
      if cms:
        env.update(cms[0].get("data", {}))
    for e in c.get("env", []):
      check("value" in e, f"{self.where}: env {e['name']} has a literal value")
      env[e["name"]] = e.get("value", "")
    self.declared_env = dict(env)
    self.env = env

  def port(self, ref):
    """The local port of a declared container port (number or name)."""
    number = self.port_names.get(ref, ref)
    if number not in self.ports:
      raise SystemExit(f"{self.where}: port {ref} is not declared")
    return self.ports[number]

  def map_values(self, services):
    """Rewrites paths, listen addresses and Service addresses in the env and
    args; checks that declared ports and listen addresses agree."""
    listened = {}

    def rewrite(key, value):
      for mount_path, local in sorted(self.mounts.items(), key=lambda x: -len(x[0])):
        if value == mount_path or value.startswith(mount_path.rstrip("/") + "/"):
          return str(local) + value[len(mount_path.rstrip("/")):]
      m = re.fullmatch(r"(0\.0\.0\.0|\[::\]|):(\d+)", value)
      if m:
        port = int(m.group(2))
        check(port in self.ports,
              f"{self.where}: {key}={value} listens on a declared container port")
        listened.setdefault(port, []).append(key)
        return f"127.0.0.1:{self.ports.get(port, 0)}"
      m = re.fullmatch(r"([a-z0-9-]+)(\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?)?:(\d+)", value)
      if m and m.group(1) in services:
        return services[m.group(1)](self, key, m.group(3), int(m.group(6)))
      return value

    self.env = {k: rewrite(k, v) for k, v in self.env.items()}
    self.argv = [self.argv[0]] + [
        (a.split("=", 1)[0] + "=" + rewrite(a, a.split("=", 1)[1])) if "=" in a else a
        for a in self.argv[1:]]
    for port in self.ports:
      keys = listened.get(port, [])
      check(len(keys) == 1,
            f"{self.where}: containerPort {port} is served by exactly one listen "
            f"address ({', '.join(keys) or 'none'}), remapped to {self.ports[port]}")

  def start(self):
    self.log = open(self.dir / "log.txt", "w")
    self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.dir,
                                 stdout=self.log, stderr=subprocess.STDOUT)

  def stop(self, sigterm_checks=True):
    if self.proc.poll() is not None:
      return
    grace = self.spec.get("terminationGracePeriodSeconds", 30)
    start = time.monotonic()
    self.proc.send_signal(signal.SIGTERM)
    readiness = self.container.get("readinessProbe", {})
    if sigterm_checks and "grpc" in readiness:
      status = "SERVING"
      while status == "SERVING" and self.proc.poll() is None and time.monotonic() - start < grace:
        status = probe_once(self, readiness)
        time.sleep(0.05)
      check(status != "SERVING",
            f"{self.where}: after SIGTERM readiness turns {status} "
            f"({time.monotonic() - start:.1f} s), before the process exits")
    try:
      code = self.proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
      self.proc.kill()
      code = self.proc.wait()
    took = time.monotonic() - start
    if sigterm_checks:
      check(code == 0 and took < grace,
            f"{self.where}: SIGTERM -> exit {code} in {took:.1f} s "
            f"(terminationGracePeriodSeconds {grace})")
    self.log.close()

  def tail_log(self):
    text = (self.dir / "log.txt").read_text()
    return "\n".join(text.splitlines()[-20:])


# --- secrets, as the README tells the operator to create them ----------------

def make_secrets(work, namespace):
  tls = work / "tls"
  subprocess.run([str(REPO / "scripts" / "dev-certs.sh"), str(tls), "2"], check=True,
                 stdout=subprocess.DEVNULL)
  # The server certificate deploy/README.md asks for (its SANs), signed by
  # dev-certs.sh's throwaway CA.
  sans = ",".join(f"DNS:{n}" for n in [
      "communique-ingest", f"communique-ingest.{namespace}.svc",
      "communique-query", f"communique-query.{namespace}.svc"])
  (tls / "k8s.ext").write_text(f"subjectAltName={sans}\nextendedKeyUsage=serverAuth\n")
  for cmd in (
      ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "k8s.key",
       "-out", "k8s.csr", "-subj", "/CN=communique-ingest"],
      ["openssl", "x509", "-req", "-in", "k8s.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
       "-CAcreateserial", "-out", "k8s.pem", "-days", "2", "-extfile", "k8s.ext"]):
    subprocess.run(cmd, cwd=tls, check=True, capture_output=True)
  writer, replica = os.urandom(24).hex(), os.urandom(24).hex()
  (work / "writer.token").write_text(writer + "\n")
  return {
      "communique-tls": {"tls.crt": (tls / "k8s.pem").read_text(),
                         "tls.key": (tls / "k8s.key").read_text(),
                         "ca.crt": (tls / "ca.pem").read_text()},
      "communique-ingest-tokens": {"writer.tokens": f"# writers\n{writer}\n",
                                   "replica.tokens": f"{replica}\n"},
      "communique-query-tokens": {"replica.token": f"{replica}\n"},
  }


# --- the backup Job (ops/checkpoint-job.yaml) --------------------------------

def run_checkpoint_job(ingest, sts, bins, cli, work):
  """Runs the backup Job's container on the stopped ingest pod's volume, as
  deploy/README.md's backup procedure does, then serves the checkpoint."""
  import yaml
  job = yaml.safe_load((HERE / "ops" / "checkpoint-job.yaml").read_text())
  where = f"{ingest.where} + ops/checkpoint-job.yaml"
  pod = job["spec"]["template"]["spec"]
  c = pod["containers"][0]
  image = c["image"].split("@")[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]
  check(image == "communique-ingest" and "command" not in c,
        f"{where}: runs the ingest image's entrypoint")
  claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
            for v in pod["volumes"] if "persistentVolumeClaim" in v}
  # The StatefulSet's PVC is <template name>-<statefulset>-<ordinal>.
  pvcs = {f"{t['metadata']['name']}-{sts['metadata']['name']}-0": t["metadata"]["name"]
          for t in sts["spec"]["volumeClaimTemplates"]}
  backup = work / "backup-pvc"
  backup.mkdir()
  mounts = {}
  for m in c["volumeMounts"]:
    claim = claims.get(m["name"])
    if claim in pvcs:
      # The ingest pod's mount of the same claim.
      template = pvcs[claim]
      src = next(vm["mountPath"] for vm in ingest.container["volumeMounts"]
                 if vm["name"] == template)
      mounts[m["mountPath"]] = ingest.mounts[src]
      print(f"   {where}: {m['mountPath']} is {claim}, the StatefulSet's volume")
    else:
      mounts[m["mountPath"]] = backup
  check(any(v == ingest.mounts.get("/var/lib/communique") for v in mounts.values()),
        f"{where}: mounts the ingest data volume")

  def local(arg):
    flag, _, value = arg.partition("=")
    for path, directory in sorted(mounts.items(), key=lambda x: -len(x[0])):
      if value == path or value.startswith(path.rstrip("/") + "/"):
        return f"{flag}={directory}{value[len(path.rstrip('/')):]}"
    return arg

  argv = [bins[image]] + [local(a) for a in c.get("args", [])]
  out = subprocess.run(argv, capture_output=True, text=True, env={})
  target = next((a.split("=", 1)[1] for a in argv if a.startswith("--checkpoint_to=")), "")
  if not check(out.returncode == 0 and "checkpoint written" in out.stdout + out.stderr
               and pathlib.Path(target, "CURRENT").exists(),
               f"{where}: the Job writes a checkpoint to the backup volume"):
    print(out.stdout + out.stderr)
    return
  # Restore = serve the checkpoint: the article written above is there.
  port_file = work / "restored.port"
  server = subprocess.Popen([bins[image], "--insecure", "--listen=127.0.0.1:0",
                             f"--port_file={port_file}", f"--data_dir={target}",
                             "--shutdown_delay_seconds=0", "--drain_seconds=1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={})
  try:
    deadline = time.monotonic() + 15
    while not (port_file.exists() and port_file.read_text().strip()):
      if time.monotonic() > deadline or server.poll() is not None:
        break
      time.sleep(0.05)
    out = subprocess.run([cli, "--insecure", f"--ingest=127.0.0.1:{port_file.read_text().strip()}",
                          "--json", "articles", "list"], capture_output=True, text=True)
    check(out.returncode == 0 and out.stdout.count('"name":"articles/') == 1,
          f"{where}: a server on the checkpoint lists the article written before "
          f"the backup ({out.stdout.count(chr(10))} line(s))")
  finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


# --- one overlay -------------------------------------------------------------

def run_overlay(overlay, bins, cli, work):
  print(f"== {overlay}")
  objects = render.render(HERE / overlay)
  by = {(o["kind"], o["metadata"]["name"]): o for o in objects}
  sts = by.get(("StatefulSet", "communique-ingest"))
  dep = by.get(("Deployment", "communique-query"))
  if not (check(sts is not None, f"{overlay}: StatefulSet communique-ingest")
          and check(dep is not None, f"{overlay}: Deployment communique-query")):
    return
  namespace = sts["metadata"].get("namespace", "default")
  work.mkdir(parents=True)
  secrets = make_secrets(work, namespace)
  ingest = Pod(overlay, sts, objects, bins, work, secrets)
  query = Pod(overlay, dep, objects, bins, work, secrets)
  pods_by_labels = [ingest, query]

  def service_resolver(name):
    def resolve(pod, key, ns, port):
      svc = next((o for o in objects if o["kind"] == "Service"
                  and o["metadata"]["name"] == name), None)
      check(ns is None or ns == svc["metadata"].get("namespace", "default"),
            f"{pod.where}: {key} names Service {name} in its namespace {ns or '(same)'}")
      sp = next((p for p in svc["spec"]["ports"] if p["port"] == port), None)
      if not check(sp is not None, f"{pod.where}: {key}: Service {name} has port {port}"):
        return f"127.0.0.1:{free_port()}"
      selector = svc["spec"].get("selector", {})
      targets = [p for p in pods_by_labels
                 if selector and all(p.labels.get(k) == v for k, v in selector.items())]
      if not check(len(targets) == 1, f"{pod.where}: {key}: Service {name} selects one workload"):
        return f"127.0.0.1:{free_port()}"
      target = targets[0]
      tp = sp.get("targetPort", port)
      tp = target.port_names.get(tp, tp)
      check(tp in target.ports, f"{pod.where}: {key}: Service {name} port {port} -> "
            f"{target.where} containerPort {tp} (declared)")
      return f"127.0.0.1:{target.ports.get(tp, 0)}"
    return resolve

  services = {o["metadata"]["name"]: service_resolver(o["metadata"]["name"])
              for o in objects if o["kind"] == "Service"}
  for pod in (ingest, query):
    pod.map_values(services)
  mapped = {k: v for k, v in query.env.items() if k == "COMMUNIQUE_UPSTREAM"}
  print(f"   query upstream {query.declared_env.get('COMMUNIQUE_UPSTREAM')} -> "
        f"{mapped.get('COMMUNIQUE_UPSTREAM')}")
  for pod in (ingest, query):
    print(f"   {pod.where}: {' '.join(pathlib.Path(a).name if i == 0 else a for i, a in enumerate(pod.argv))}"
          f" with {len(pod.env)} env vars; ports " +
          ", ".join(f"{p}->{local}" for p, local in pod.ports.items()))

  started = []
  try:
    for pod in (ingest, query):
      pod.start()
      started.append(pod)
      c = pod.container
      startup = c.get("startupProbe")
      check(startup is not None, f"{pod.where}: declares a startupProbe")
      budget = startup.get("periodSeconds", 10) * startup.get("failureThreshold", 3)
      if not wait_probe(pod, "startupProbe", min(budget, 60)):
        print(pod.tail_log())
        return
      wait_probe(pod, "livenessProbe", 5)
    for pod in (ingest, query):
      # A query replica is ready once caught up with the change feed.
      if not wait_probe(pod, "readinessProbe", 30):
        print(pod.tail_log())
      annotations = pod.workload["spec"]["template"]["metadata"].get("annotations", {})
      if annotations.get("prometheus.io/scrape") == "true":
        port = int(annotations["prometheus.io/port"])
        path = annotations.get("prometheus.io/path", "/metrics")
        try:
          with urllib.request.urlopen(f"http://127.0.0.1:{pod.port(port)}{path}", timeout=5) as r:
            body = r.read().decode()
          ok = r.status == 200 and "communique_" in body
        except (OSError, SystemExit) as e:
          ok, body = False, str(e)
        check(ok, f"{pod.where}: scrape annotation port {port} path {path} serves metrics")

    # Through the real APIs: write to ingest, read it back from the replica.
    tls_mount = next(m for p, m in ingest.mounts.items() if "tls" in p)
    common = [cli, f"--tls_ca={tls_mount / 'ca.crt'}", "--timeout_seconds=20"]
    ingest_addr = f"127.0.0.1:{ingest.port(ingest.port_names.get('grpc', 50051))}"
    query_addr = f"127.0.0.1:{query.port(query.port_names.get('grpc', 50052))}"
    out = subprocess.run(common + [f"--ingest={ingest_addr}", "--authority=communique-ingest",
                                   f"--token_file={work / 'writer.token'}", "ingest",
                                   str(REPO / "data/samples/104_csto-yerevan-2022.txt")],
                         capture_output=True, text=True)
    token = re.search(r"consistency token: (\S+)", out.stdout)
    if check(out.returncode == 0 and token is not None,
             f"{overlay}: an article ingested through ingest's grpc port "
             f"(TLS as communique-ingest, writer token)"):
      out = subprocess.run(common + [f"--query={query_addr}", "--authority=communique-query",
                                     f"--consistency_token={token.group(1)}", "--json",
                                     "summits", "list", "--organization=CSTO"],
                           capture_output=True, text=True)
      names = re.findall(r'"name":"(summits/[^"]+)"', out.stdout)
      check(out.returncode == 0 and any("yerevan" in n for n in names),
            f"{overlay}: the query replica serves it (read-your-write through "
            f"the Service-mapped change feed): {names}")
      if out.returncode != 0:
        print(out.stdout + out.stderr)
    else:
      print(out.stdout + out.stderr)
    # Ingest first, as in an upgrade of the StatefulSet: the replicas'
    # change-feed streams stay open and hold its drain for the whole
    # COMMUNIQUE_DRAIN_SECONDS, which terminationGracePeriodSeconds must
    # cover.
    for pod in (ingest, query):
      pod.stop()
    run_checkpoint_job(ingest, sts, bins, cli, work)
  finally:
    for pod in reversed(started):
      pod.stop(sigterm_checks=False)
    if FAIL:
      for pod in started:
        print(f"--- {pod.where} log (last lines)\n{pod.tail_log()}")


def main():
  if len(sys.argv) < 5:
    print(__doc__, file=sys.stderr)
    return 2
  try:
    import grpc  # noqa: F401
    import yaml  # noqa: F401
  except ImportError as e:
    print(f"SKIP: {e} (apt-get install python3-grpcio python3-yaml)")
    return 77  # ctest: skipped (SKIP_RETURN_CODE)
  bins = {"communique-ingest": os.path.realpath(sys.argv[1]),
          "communique-query": os.path.realpath(sys.argv[2])}
  cli = os.path.realpath(sys.argv[3])
  work = pathlib.Path(sys.argv[4]).resolve()
  overlays = sys.argv[5:] or ["base", "overlays/dev", "overlays/prod"]
  shutil.rmtree(work, ignore_errors=True)
  for overlay in overlays:
    run_overlay(overlay, bins, cli, work / overlay.replace("/", "_"))
  print(f"{PASS} passed, {FAIL} failed")
  return 1 if FAIL else 0


if __name__ == "__main__":
  sys.exit(main())
