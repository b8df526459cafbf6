// Validates rendered Kubernetes objects against the OpenAPI schemas that
// npm kubernetes-models ships (Kubernetes 1.27; the ServiceMonitor against
// @kubernetes-models/prometheus-operator). Offline: no cluster, no network.
//
//   node validate.js < objects.json
//
// Input: a JSON array of {"source": "...", "object": {...}}. Every object
// must be of a kind the packages model; an unknown apiVersion/kind fails
// rather than passing unchecked. Prints one line per failure, then
// "N validated, N failed" and exits 1 on any failure.
//
// What the schemas check: types (an integer port, a string label value),
// required fields (a container's name, a probe's port, a selector), enums
// and formats (int32, quantities' patterns) at every level. What they do
// not: unknown fields (Kubernetes' OpenAPI does not forbid them; the API
// server's strict field validation does) — check_manifests.py guards the
// fields that matter to us.
"use strict";

const fs = require("fs");

const PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modelFor(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = PACKAGES[group] || "kubernetes-models";
  const module = `${pkg}/${apiVersion}/${kind}`;
  let exports;
  try {
    exports = require(module);
  } catch (e) {
    return { error: `no schema for ${apiVersion} ${kind} (${module})` };
  }
  const model = exports[kind];
  if (typeof model !== "function") {
    return { error: `${module} exports no ${kind}` };
  }
  return { model };
}

function main() {
  const items = JSON.parse(fs.readFileSync(0, "utf8"));
  let validated = 0;
  let failed = 0;
  for (const { source, object } of items) {
    const what = `${source} ${object.kind}/${(object.metadata || {}).name}`;
    const { model, error } = modelFor(String(object.apiVersion), String(object.kind));
    if (error) {
      console.log(`FAIL: ${what}: ${error}`);
      failed++;
      continue;
    }
    try {
      new model(object).validate();
      validated++;
    } catch (e) {
      const details = (e.errors || []).map(
        (x) => `${x.instancePath || "/"} ${x.message}`);
      console.log(`FAIL: ${what}: ${details.length ? details.join("; ") : e.message}`);
      failed++;
    }
  }
  console.log(`${validated} validated, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
