#!/usr/bin/python3
"""Renders a kustomization the way `kubectl kustomize` does, for machines
without kubectl (Debian 12 has no kubectl with kustomize v5; its
kubernetes-client 1.20 embeds kustomize v2, which cannot read these files).

  render.py DIR            prints the rendered YAML stream
  render.render(DIR)       the rendered objects (dicts), kustomize's order

Only the subset deploy/k8s uses, and anything else is an error rather than a
silent misrender: resources (files and directories), components,
namespace, labels (includeSelectors false), configMapGenerator (literals,
behavior create/merge, a name hash suffix and its references), patches (JSON
6902, inline or by path, targeted by kind/name) and images
(newName/newTag/digest). check_manifests.py compares this output with
`kubectl kustomize` wherever kubectl is installed.
"""
import copy
import hashlib
import json
import pathlib
import sys

import yaml

KUSTOMIZATION_KEYS = {"apiVersion", "kind", "resources", "components",
                      "namespace", "labels", "configMapGenerator", "patches",
                      "images"}
# Kinds that are not namespaced (of those kustomize knows); the rest get
# the kustomization's namespace.
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding",
                  "CustomResourceDefinition", "PersistentVolume",
                  "StorageClass", "PriorityClass",
                  "ValidatingWebhookConfiguration",
                  "MutatingWebhookConfiguration"}
# kustomize's default ("legacy") output order; other kinds follow, by
# group, version and kind.
ORDER_FIRST = ["Namespace", "ResourceQuota", "StorageClass",
               "CustomResourceDefinition", "ServiceAccount",
               "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
               "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints",
               "Service", "LimitRange", "PriorityClass", "PersistentVolume",
               "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob",
               "PodDisruptionBudget"]
ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]


class RenderError(Exception):
  pass


class Resource:
  """One object plus what kustomize tracks beside it."""

  def __init__(self, obj, generated=False):
    self.obj = obj
    self.generated = generated  # a configMapGenerator output (hash suffix)
    self.original_name = obj["metadata"]["name"]


def _load_yaml_stream(path):
  # Through JSON: YAML anchors (&labels ... *labels) must not leave two
  # fields sharing one dict that a later transformer changes in both.
  return [json.loads(json.dumps(d)) for d in yaml.safe_load_all(path.read_text()) if d]


def _kustomization(directory):
  path = directory / "kustomization.yaml"
  if not path.exists():
    raise RenderError(f"{directory}: no kustomization.yaml")
  k = yaml.safe_load(path.read_text()) or {}
  unknown = set(k) - KUSTOMIZATION_KEYS
  if unknown:
    raise RenderError(f"{path}: unsupported fields {sorted(unknown)}")
  return k


def _find(resources, kind, name):
  return [r for r in resources
          if r.obj["kind"] == kind and r.original_name == name]


# --- JSON 6902 -------------------------------------------------------------

def _pointer(path):
  if not path.startswith("/"):
    raise RenderError(f"patch path {path!r} must start with /")
  return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc, parts):
  for p in parts:
    if isinstance(doc, list):
      doc = doc[int(p)]
    elif isinstance(doc, dict):
      if p not in doc:
        raise RenderError(f"patch: no {p!r} on the path")
      doc = doc[p]
    else:
      raise RenderError(f"patch: cannot descend into {p!r}")
  return doc


def _apply_op(doc, op):
  kind = op["op"]
  parts = _pointer(op["path"])
  parent = _walk(doc, parts[:-1])
  key = parts[-1]
  if kind == "add":
    value = copy.deepcopy(op["value"])
    if isinstance(parent, list):
      if key == "-":
        parent.append(value)
      else:
        parent.insert(int(key), value)
    else:
      parent[key] = value
  elif kind == "replace":
    if isinstance(parent, list):
      parent[int(key)] = copy.deepcopy(op["value"])
    else:
      if key not in parent:
        raise RenderError(f"patch: replace of missing {op['path']}")
      parent[key] = copy.deepcopy(op["value"])
  elif kind == "remove":
    if isinstance(parent, list):
      del parent[int(key)]
    else:
      del parent[key]
  else:
    raise RenderError(f"patch: unsupported op {kind!r}")


def _apply_patches(directory, patches, resources):
  for patch in patches or []:
    if set(patch) - {"target", "path", "patch"}:
      raise RenderError(f"{directory}: unsupported patch fields {sorted(patch)}")
    target = patch.get("target") or {}
    if set(target) - {"kind", "name"}:
      raise RenderError(f"{directory}: unsupported patch target {target}")
    text = (directory / patch["path"]).read_text() if "path" in patch \
        else patch["patch"]
    ops = yaml.safe_load(text)
    if not isinstance(ops, list):
      raise RenderError(f"{directory}: only JSON 6902 patches are supported")
    matched = [r for r in resources
               if target.get("kind", r.obj["kind"]) == r.obj["kind"]
               and target.get("name", r.original_name) == r.original_name]
    if not matched:
      raise RenderError(f"{directory}: patch target {target} matches nothing")
    for r in matched:
      for op in ops:
        _apply_op(r.obj, op)


# --- generators, transformers ----------------------------------------------

def _literals(entry):
  data = {}
  for literal in entry.get("literals", []):
    key, sep, value = literal.partition("=")
    if not sep:
      raise RenderError(f"configMapGenerator literal {literal!r} has no '='")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
      value = value[1:-1]
    data[key] = value
  return data


def _generate(directory, generators, resources):
  for entry in generators or []:
    if set(entry) - {"name", "literals", "behavior"}:
      raise RenderError(f"{directory}: unsupported configMapGenerator fields "
                        f"{sorted(entry)}")
    behavior = entry.get("behavior", "create")
    name = entry["name"]
    existing = _find(resources, "ConfigMap", name)
    if behavior == "create":
      if existing:
        raise RenderError(f"{directory}: ConfigMap {name} already exists")
      resources.append(Resource({"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": name},
                                 "data": _literals(entry)}, generated=True))
    elif behavior in ("merge", "replace"):
      if len(existing) != 1:
        raise RenderError(f"{directory}: {behavior} of unknown ConfigMap {name}")
      data = existing[0].obj.setdefault("data", {})
      if behavior == "replace":
        data.clear()
      data.update(_literals(entry))
    else:
      raise RenderError(f"{directory}: unknown behavior {behavior}")


def _set_namespace(namespace, resources):
  for r in resources:
    if r.obj["kind"] not in CLUSTER_SCOPED:
      r.obj["metadata"]["namespace"] = namespace


def _add_labels(directory, labels, resources):
  for entry in labels or []:
    if set(entry) - {"pairs", "includeSelectors"} or entry.get("includeSelectors"):
      raise RenderError(f"{directory}: only labels with includeSelectors false")
    for r in resources:
      r.obj["metadata"].setdefault("labels", {}).update(entry["pairs"])


def _pod_specs(obj):
  spec = obj.get("spec", {})
  if "template" in spec:
    yield spec["template"]["spec"]
  if "jobTemplate" in spec:
    yield spec["jobTemplate"]["spec"]["template"]["spec"]


def _set_images(directory, images, resources):
  for image in images or []:
    if set(image) - {"name", "newName", "newTag", "digest"}:
      raise RenderError(f"{directory}: unsupported image fields {sorted(image)}")
    for r in resources:
      for pod in _pod_specs(r.obj):
        for c in pod.get("initContainers", []) + pod.get("containers", []):
          ref = c["image"]
          name = ref.split("@")[0]
          if ":" in name.rsplit("/", 1)[-1]:
            name = name.rsplit(":", 1)[0]
          if name != image["name"]:
            continue
          new = image.get("newName", name)
          if "digest" in image:
            new += "@" + image["digest"]
          elif "newTag" in image:
            new += ":" + str(image["newTag"])
          else:
            new = ref.replace(name, image.get("newName", name), 1)
          c["image"] = new


def _hash(configmap):
  """A name suffix in kustomize's style (10 characters of a SHA-256 of the
  name and data): it changes whenever the data does, so pods roll. Not
  byte-identical to kustomize's, which hashes its own encoding;
  check_manifests.py compares names up to this suffix."""
  encoded = json.dumps({"kind": "ConfigMap", "name": configmap["metadata"]["name"],
                        "data": configmap.get("data", {})},
                       sort_keys=True, separators=(",", ":"))
  digest = hashlib.sha256(encoded.encode()).hexdigest()[:10]
  return digest.translate(str.maketrans("013ae", "ghkmt"))


def _rename_generated(resources):
  renamed = {}
  for r in resources:
    if r.generated:
      new = f"{r.original_name}-{_hash(r.obj)}"
      renamed[r.original_name] = new
      r.obj["metadata"]["name"] = new
  for r in resources:
    for pod in _pod_specs(r.obj):
      for c in pod.get("initContainers", []) + pod.get("containers", []):
        for source in c.get("envFrom", []):
          ref = source.get("configMapRef")
          if ref and ref.get("name") in renamed:
            ref["name"] = renamed[ref["name"]]
        for env in c.get("env", []):
          ref = env.get("valueFrom", {}).get("configMapKeyRef")
          if ref and ref.get("name") in renamed:
            ref["name"] = renamed[ref["name"]]
      for v in pod.get("volumes", []):
        ref = v.get("configMap")
        if ref and ref.get("name") in renamed:
          ref["name"] = renamed[ref["name"]]


# --- the build ---------------------------------------------------------------

def _accumulate(directory, resources, is_component=False):
  k = _kustomization(directory)
  expected = "Component" if is_component else "Kustomization"
  if k.get("kind", "Kustomization") != expected:
    raise RenderError(f"{directory}: expected kind {expected}, got {k.get('kind')}")
  own = []
  for entry in k.get("resources", []):
    path = (directory / entry).resolve()
    if path.is_dir():
      own.extend(_build(path))
    else:
      own.extend(Resource(d) for d in _load_yaml_stream(path))
  if is_component:
    # A component works on what its parent has accumulated so far.
    resources.extend(own)
    own = resources
  for entry in k.get("components", []):
    _accumulate((directory / entry).resolve(), own, is_component=True)
  _generate(directory, k.get("configMapGenerator"), own)
  _apply_patches(directory, k.get("patches"), own)
  if "namespace" in k:
    _set_namespace(k["namespace"], own)
  _add_labels(directory, k.get("labels"), own)
  _set_images(directory, k.get("images"), own)
  return own


def _build(directory):
  return _accumulate(directory, [], is_component=False)


def _sort_key(r):
  kind = r.obj["kind"]
  if kind in ORDER_FIRST:
    rank = ORDER_FIRST.index(kind)
  elif kind in ORDER_LAST:
    rank = len(ORDER_FIRST) + 1 + ORDER_LAST.index(kind)
  else:
    rank = len(ORDER_FIRST)
  group, _, version = r.obj["apiVersion"].rpartition("/")
  return (rank, group, version, kind, r.obj["metadata"].get("namespace", ""),
          r.obj["metadata"]["name"])


def render(directory):
  """The objects `kubectl kustomize DIRECTORY` would print, in its order."""
  resources = _build(pathlib.Path(directory).resolve())
  _rename_generated(resources)
  keys = [(r.obj["kind"], r.obj["metadata"].get("namespace"),
           r.obj["metadata"]["name"]) for r in resources]
  if len(set(keys)) != len(keys):
    raise RenderError(f"{directory}: duplicate objects")
  return [r.obj for r in sorted(resources, key=_sort_key)]


def main():
  if len(sys.argv) != 2:
    print(__doc__, file=sys.stderr)
    return 2
  try:
    objects = render(sys.argv[1])
  except RenderError as e:
    print(f"render.py: {e}", file=sys.stderr)
    return 1
  sys.stdout.write(yaml.safe_dump_all(objects, sort_keys=True))
  return 0


if __name__ == "__main__":
  sys.exit(main())
