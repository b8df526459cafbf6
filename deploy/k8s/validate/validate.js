// Validates rendered Kubernetes objects against the OpenAPI schemas and the
// TypeScript types that npm kubernetes-models ships (Kubernetes 1.27; the
// ServiceMonitor against @kubernetes-models/prometheus-operator). Offline:
// no cluster, no network.
//
//   node validate.js < objects.json
//
// Input: a JSON array of {"source": "...", "object": {...}}. Every object
// must be of a kind the packages model; an unknown apiVersion/kind fails
// rather than passing unchecked. Prints one line per failure, then
// "N validated, N failed" and exits 1 on any failure.
//
// Two passes over every object:
//  * schema: the packages' JSON-schema validators (ajv, generated from the
//    OpenAPI document): types (an integer port, a string label value),
//    required fields (a container's name, a probe's port, a selector),
//    formats (int32) at every level. The OpenAPI schemas allow unknown
//    fields, so a misspelt field (`readinesProbe`) would pass them;
//  * strict: the same packages' TypeScript declarations, with each object
//    written as a typed object literal and type-checked by tsc, whose
//    excess-property check rejects every field the type does not declare,
//    at any depth (what the API server's strict field validation does).
"use strict";

const fs = require("fs");
const path = require("path");
const ts = require("typescript");

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
  return { model, module };
}

// JSON text of `value`, one line per field, each with its JSON pointer.
function serialize(value, pointer, depth, key) {
  const pad = " ".repeat(depth);
  const head = key === undefined ? "" : `${JSON.stringify(key)}: `;
  if (value === null || typeof value !== "object") {
    return [{ text: pad + head + JSON.stringify(value), pointer }];
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return [{ text: pad + head + open + close, pointer }];
  const lines = [{ text: pad + head + open, pointer }];
  entries.forEach(([k, v], j) => {
    const sub = serialize(v, `${pointer}/${k}`, depth + 1, isArray ? undefined : k);
    if (j < entries.length - 1) sub[sub.length - 1].text += ",";
    lines.push(...sub);
  });
  lines.push({ text: pad + close, pointer });
  return lines;
}

// Type-checks each object as a literal of its kind's interface; returns
// one list of messages per object (empty when it type-checks).
function strictCheck(objects) {
  const file = path.join(__dirname, "__rendered__.ts");
  const lines = [];
  const pointers = [];  // JSON pointer of each line, within its object
  const owner = [];     // index of the object each line belongs to
  objects.forEach(({ module, kind }, i) => {
    lines.push(`import type { I${kind} as T${i} } from "${module}";`);
    pointers.push("");
    owner.push(-1);
  });
  objects.forEach(({ object }, i) => {
    const body = serialize(object, "", 0);
    body[0].text = `export const o${i}: T${i} = ${body[0].text}`;
    body[body.length - 1].text += ";";
    for (const { text, pointer } of body) {
      lines.push(text);
      pointers.push(pointer || "/");
      owner.push(i);
    }
  });
  const text = lines.join("\n") + "\n";
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version)
                  : getSourceFile.call(host, name, version, ...rest);
  const fileExists = host.fileExists;
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  const problems = objects.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (!d.file || d.file.fileName !== file) {
      problems.forEach((p) => p.push(message));
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const i = owner[line];
    if (i === undefined || i < 0) {
      problems.forEach((p) => p.push(message));
    } else {
      problems[i].push(`${pointers[line]}: ${message}`);
    }
  }
  return problems;
}

function main() {
  const items = JSON.parse(fs.readFileSync(0, "utf8"));
  const problems = items.map(() => []);
  const typed = [];
  items.forEach(({ object }, i) => {
    const { model, module, error } = modelFor(String(object.apiVersion), String(object.kind));
    if (error) {
      problems[i].push(error);
      return;
    }
    try {
      new model(object).validate();
    } catch (e) {
      const details = (e.errors || []).map(
          (x) => `schema: ${x.instancePath || "/"} ${x.message}`);
      problems[i].push(...(details.length ? details : [`schema: ${e.message}`]));
    }
    typed.push({ index: i, module, kind: object.kind, object });
  });
  const strict = strictCheck(typed);
  typed.forEach(({ index }, j) => {
    problems[index].push(...strict[j].map((m) => `strict: ${m}`));
  });
  let failed = 0;
  items.forEach(({ source, object }, i) => {
    if (problems[i].length === 0) return;
    failed++;
    const what = `${source} ${object.kind}/${(object.metadata || {}).name}`;
    console.log(`FAIL: ${what}: ${problems[i].join("; ")}`);
  });
  console.log(`${items.length - failed} validated, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
