#!/usr/bin/python3
"""Renders every kustomize overlay and checks what the cluster would get.

  check_manifests.py INGEST_BIN QUERY_BIN

Rendering: render.py (this repository's kustomize subset; Debian 12 has no
kubectl with kustomize v5) and, where kubectl is installed, `kubectl
kustomize` too, whose output must then be the same objects (ConfigMap name
hash suffixes aside).

Schema: every rendered object of every overlay (and every manifest under
ops/) is validated offline against the Kubernetes 1.27 OpenAPI schemas of
npm kubernetes-models, and type-checked against its TypeScript types, which
also rejects unknown (misspelt) fields (validate/, pinned by its
package-lock.json; `npm ci` when node_modules is missing).
testdata/broken, the dev overlay with deliberate errors (wrong type,
missing required fields, a misspelt field), must be rejected with exactly
those errors.

For each of base, overlays/dev and overlays/prod:
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
    PDB and a topology spread; every workload is covered by a NetworkPolicy;
  - every container image is the one the overlay's `images:` names.
Prints the rendered resources per overlay and "N passed, N failed".
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import render as renderer  # noqa: E402

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


def _kubectl(overlay):
  out = subprocess.run(["kubectl", "kustomize", str(HERE / overlay)],
                       capture_output=True, text=True)
  if out.returncode != 0:
    raise SystemExit(f"kubectl kustomize {overlay} failed:\n{out.stderr}")
  return [d for d in yaml.safe_load_all(out.stdout) if d]


def _without_hashes(objects):
  """Objects as JSON text with generated ConfigMap names' suffixes masked."""
  generated = [o["metadata"]["name"] for o in objects if o["kind"] == "ConfigMap"]
  text = json.dumps(objects, sort_keys=True)
  for name in generated:
    if re.fullmatch(r".+-[a-z0-9]{10}", name):
      text = text.replace(f'"{name}"', f'"{name[:-10]}HASH"')
  return sorted(json.loads(text), key=lambda o: (o["kind"], o["metadata"]["name"]))


def render(overlay):
  """Renders with render.py; compares with kubectl kustomize where present."""
  try:
    objects = renderer.render(HERE / overlay)
  except renderer.RenderError as e:
    raise SystemExit(f"render.py {overlay} failed: {e}")
  if shutil.which("kubectl"):
    theirs = _kubectl(overlay)
    check(_without_hashes(objects) == _without_hashes(theirs),
          f"{overlay}: render.py and kubectl kustomize render the same objects")
    check([o["kind"] for o in objects] == [o["kind"] for o in theirs],
          f"{overlay}: render.py orders kinds like kubectl kustomize")
  return objects


def validate_schemas(sources):
  """Runs validate/validate.js on [(source, object)]; (exit code, output)."""
  validate_dir = HERE / "validate"
  packages = ["kubernetes-models", "@kubernetes-models/prometheus-operator", "typescript"]
  if not all((validate_dir / "node_modules" / p).is_dir() for p in packages):
    print("validate/node_modules missing: npm ci")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=validate_dir, check=True)
  items = [{"source": s, "object": o} for s, o in sources]
  out = subprocess.run(["node", str(validate_dir / "validate.js")],
                       input=json.dumps(items), capture_output=True, text=True)
  return out.returncode, out.stdout + out.stderr


def check_schemas(rendered):
  """Validates every rendered object; False when node/npm are absent (skipped)."""
  if not (shutil.which("node") and shutil.which("npm")):
    print("SKIP: schema validation needs node and npm (scripts/install-deps.sh)")
    return False
  sources = [(overlay, o) for overlay, objects in rendered for o in objects]
  for path in sorted((HERE / "ops").glob("*.yaml")):
    sources += [(f"ops/{path.name}", o) for o in yaml.safe_load_all(path.read_text()) if o]
  code, output = validate_schemas(sources)
  print("schema (kubernetes-models): " + output.strip().replace("\n", "\n  "))
  check(code == 0, "every rendered object is valid against its schema")
  # The validation must be able to fail: the broken overlay's three errors.
  code, output = validate_schemas(
      [("testdata/broken", o) for o in render("testdata/broken")])
  expected = [
      "StatefulSet/communique-ingest: schema: /spec/template/spec/containers/0/ports/0/containerPort must be integer",
      "schema: /spec/template/spec/containers/0/readinessProbe/grpc must have required property port",
      "HorizontalPodAutoscaler/communique-query: schema: /spec must have required property maxReplicas",
      "strict: /spec/template/spec/containers/0/readinesProbe: Object literal may only specify known properties",
  ]
  check(code != 0, "testdata/broken is rejected by the schema validation")
  for e in expected:
    check(e in output, f"testdata/broken: schema validation reports '{e}'")
  check(output.count("FAIL:") == 3, f"testdata/broken: exactly three objects fail:\n{output}")
  print("schema (testdata/broken, must fail): " +
        output.strip().replace("FAIL: ", "rejected: ").replace("\n", "\n  "))
  return True


def check_images(overlay, objects):
  k = yaml.safe_load((HERE / overlay / "kustomization.yaml").read_text())
  wanted = {f"{i['newName']}:{i['newTag']}" for i in k.get("images", [])}
  for o in objects:
    for c in o.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
      if wanted:
        check(c["image"] in wanted,
              f"{overlay} {o['kind']}/{o['metadata']['name']}: image {c['image']} "
              f"is one of the overlay's images {sorted(wanted)}")


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
  ingest_flags, query_flags = flags_of(sys.argv[1]), flags_of(sys.argv[2])
  print("rendering with render.py" + (
      ", compared with kubectl kustomize" if shutil.which("kubectl")
      else " (kubectl not found: no comparison)"))
  rendered = []
  for overlay in OVERLAYS:
    objects = render(overlay)
    rendered.append((overlay, objects))
    print(f"== {overlay} ({len(objects)} objects): " + ", ".join(
        f"{o['kind']}/{o['metadata']['name']}" for o in objects))
    check_images(overlay, objects)
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
  schemas_checked = check_schemas(rendered)
  print(f"{PASS} passed, {FAIL} failed")
  if FAIL:
    return 1
  # 77: ctest reports the test as skipped (SKIP_RETURN_CODE), not passed,
  # when the schema half could not run.
  return 0 if schemas_checked else 77


if __name__ == "__main__":
  sys.exit(main())
