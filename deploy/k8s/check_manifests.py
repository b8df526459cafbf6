#!/usr/bin/python3
"""Renders every kustomize overlay and checks what the cluster would get.

  check_manifests.py INGEST_BIN QUERY_BIN

For each of base, overlays/dev and overlays/prod (`kubectl kustomize`):
  - every COMMUNIQUE_<FLAG> in a container's environment (ConfigMaps via
    envFrom included) names a flag the binary really has (`--help`); the
    servers ignore unknown environment variables, so a typo would go
    unnoticed until production;
  - every file path a flag points at lies under a volume the container mounts;
  - Pod Security "restricted": runAsNonRoot, no privilege escalation, ALL
    capabilities dropped, seccomp RuntimeDefault, read-only root, no host
    namespaces; resource requests and a memory limit;
  - probes target declared container ports; Secret volumes are mounted as
    whole directories (no subPath), so rotation reaches running pods;
  - ingest is a single-replica StatefulSet with a PVC; query has an HPA, a
    PDB and a topology spread; every workload is covered by a NetworkPolicy.
Prints the rendered resources per overlay and "N passed, N failed".
"""
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
OVERLAYS = ["base", "overlays/dev", "overlays/prod"]
PASS = FAIL = 0


def check(ok, what):
  global PASS, FAIL
  if ok:
    PASS += 1
  else:
    FAIL += 1
    print(f"FAIL: {what}")


def flags_of(binary):
  out = subprocess.run([binary, "--help"], capture_output=True, text=True)
  return set(re.findall(r"^\s+--([a-z_]+)", out.stdout + out.stderr, re.M))


def render(overlay):
  out = subprocess.run(["kubectl", "kustomize", str(HERE / overlay)],
                       capture_output=True, text=True)
  if out.returncode != 0:
    raise SystemExit(f"kubectl kustomize {overlay} failed:\n{out.stderr}")
  return [d for d in yaml.safe_load_all(out.stdout) if d]


def container_env(container, objects):
  env = {e["name"]: e.get("value", "") for e in container.get("env", [])}
  for source in container.get("envFrom", []):
    ref = source.get("configMapRef", {}).get("name")
    for o in objects:
      if o["kind"] == "ConfigMap" and o["metadata"]["name"] == ref:
        env.update(o.get("data", {}))
  return env


def check_workload(overlay, w, objects, flags):
  kind, name = w["kind"], w["metadata"]["name"]
  where = f"{overlay} {kind}/{name}"
  pod = w["spec"]["template"]["spec"]
  psc = pod.get("securityContext", {})
  check(psc.get("runAsNonRoot") is True, f"{where}: pod runAsNonRoot")
  check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
        f"{where}: seccomp RuntimeDefault")
  check(not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC")),
        f"{where}: no host namespaces")
  check(pod.get("automountServiceAccountToken") is False,
        f"{where}: no service account token (the services call no API)")
  volumes = {v["name"]: v for v in pod.get("volumes", [])}
  for t in w["spec"].get("volumeClaimTemplates", []):
    volumes[t["metadata"]["name"]] = {"pvc": True}
  for c in pod["containers"]:
    csc = c.get("securityContext", {})
    cw = f"{where} container {c['name']}"
    check(csc.get("allowPrivilegeEscalation") is False, f"{cw}: allowPrivilegeEscalation false")
    check(csc.get("readOnlyRootFilesystem") is True, f"{cw}: read-only root")
    check(csc.get("capabilities", {}).get("drop") == ["ALL"], f"{cw}: drop ALL")
    res = c.get("resources", {})
    check({"cpu", "memory"} <= set(res.get("requests", {})), f"{cw}: cpu+memory requests")
    check("memory" in res.get("limits", {}), f"{cw}: memory limit")
    ports = {p["containerPort"] for p in c.get("ports", [])}
    names = {p.get("name") for p in c.get("ports", [])}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
      p = c.get(probe)
      check(p is not None, f"{cw}: has {probe}")
      if not p:
        continue
      handler = p.get("grpc") or p.get("tcpSocket") or p.get("httpGet") or {}
      port = handler.get("port")
      check(port in ports or port in names, f"{cw}: {probe} port {port} is declared")
    mounts = c.get("volumeMounts", [])
    for m in mounts:
      if "secret" in volumes.get(m["name"], {}):
        check("subPath" not in m, f"{cw}: Secret {m['name']} mounted whole (rotation)")
    env = container_env(c, objects)
    for key, value in sorted(env.items()):
      if not key.startswith("COMMUNIQUE_"):
        continue
      flag = key[len("COMMUNIQUE_"):].lower()
      check(flag in flags, f"{cw}: {key} is a flag of the binary (--{flag})")
      if value.startswith("/"):
        check(any(value == m["mountPath"] or value.startswith(m["mountPath"].rstrip("/") + "/")
                  for m in mounts), f"{cw}: {key}={value} lies under a mounted volume")
  return pod


def main():
  if shutil.which("kubectl") is None:
    print("SKIP: kubectl not found (kubectl kustomize renders the overlays)")
    return 0
  ingest_flags, query_flags = flags_of(sys.argv[1]), flags_of(sys.argv[2])
  for overlay in OVERLAYS:
    objects = render(overlay)
    print(f"== {overlay}: " + ", ".join(
        f"{o['kind']}/{o['metadata']['name']}" for o in objects))
    by_kind = {}
    for o in objects:
      by_kind.setdefault(o["kind"], []).append(o)
    sts = [o for o in by_kind.get("StatefulSet", []) if o["metadata"]["name"] == "communique-ingest"]
    dep = [o for o in by_kind.get("Deployment", []) if o["metadata"]["name"] == "communique-query"]
    check(len(sts) == 1, f"{overlay}: StatefulSet communique-ingest")
    check(len(dep) == 1, f"{overlay}: Deployment communique-query")
    if sts:
      check(sts[0]["spec"]["replicas"] == 1, f"{overlay}: one ingest replica (single writer)")
      check(bool(sts[0]["spec"].get("volumeClaimTemplates")), f"{overlay}: ingest PVC")
      check_workload(overlay, sts[0], objects, ingest_flags)
    if dep:
      pod = check_workload(overlay, dep[0], objects, query_flags)
      check(bool(pod.get("topologySpreadConstraints")), f"{overlay}: query topology spread")
    check(any(h["spec"]["scaleTargetRef"]["name"] == "communique-query"
              for h in by_kind.get("HorizontalPodAutoscaler", [])), f"{overlay}: query HPA")
    check(any(p["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/name") == "communique-query"
              for p in by_kind.get("PodDisruptionBudget", [])), f"{overlay}: query PDB")
    covered = {p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
               for p in by_kind.get("NetworkPolicy", [])}
    check({"communique-ingest", "communique-query"} <= covered, f"{overlay}: NetworkPolicy for both")
    for ns in by_kind.get("Namespace", []):
      check(ns["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") == "restricted",
            f"{overlay}: namespace enforces Pod Security restricted")
  print(f"{PASS} passed, {FAIL} failed")
  return 1 if FAIL else 0


if __name__ == "__main__":
  sys.exit(main())
