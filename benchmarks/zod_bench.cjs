// Node half of benchmarks/zod_bench.py: times json-schema-to-zod and zod 4's
// z.fromJSONSchema on the same schemas as schemagen, and gathers every tool's
// safeParse verdicts on the same labelled instances.
//
// stdin: {"cases": [{"id", "schema", "instances": [...]}],
//         "modules": [{"source", "exports": {"<case id>": "<export name>"}}]}  (schemagen's, per app)
// stdout: {"<tool>": {"ms": [...per case], "verdicts": [[...per instance]...], "errors": n}}
"use strict";

const path = require("path");
const { transpile, evaluate, verdict, ZODS } = require(path.join(__dirname, "..", "tests", "node", "zod_harness.cjs"));
const { jsonSchemaToZod } = require("json-schema-to-zod");

function now() {
  return process.hrtime.bigint();
}

function ms(started) {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function run(cases, build) {
  const out = { ms: [], verdicts: [], errors: 0 };
  for (const item of cases) {
    const started = now();
    let schema = null;
    try {
      schema = build(item);
    } catch (error) {
      out.errors += 1;
    }
    out.ms.push(ms(started));
    out.verdicts.push(
      item.instances.map((instance) => (schema ? verdict(schema, instance) : "error: no schema")),
    );
  }
  return out;
}

function main(request) {
  const { cases, modules } = request;
  const result = {};
  transpile("export const warm = 1;"); // start esbuild's service outside the timings
  let started = now();
  const compiled = modules.map((module) => transpile(module.source));
  const transpileMs = ms(started);
  result["schemagen transpile (esbuild)"] = {
    ms: cases.map(() => transpileMs / cases.length),
    verdicts: null,
    errors: 0,
  };
  const generate = run(cases, (item) => {
    item.jstz = null;
    item.jstz = jsonSchemaToZod(item.schema, { module: "cjs" });
    return null;
  });
  result["json-schema-to-zod generate"] = { ms: generate.ms, verdicts: null, errors: generate.errors };
  for (const [name, zod] of Object.entries(ZODS)) {
    // schemagen: emitted by Python (timed there) and transpiled above; here, evaluated.
    started = now();
    const schemas = {};
    modules.forEach((module, i) => {
      const exports = evaluate(compiled[i], zod);
      for (const [id, exportName] of Object.entries(module.exports)) schemas[id] = exports[exportName];
    });
    const loadMs = ms(started);
    const ours = run(cases, (item) => schemas[item.id]);
    ours.ms = ours.ms.map(() => loadMs / cases.length);
    result[`schemagen load (${name})`] = ours;
    // json-schema-to-zod writes zod 3 code (generated once, below); load it under each zod.
    result[`json-schema-to-zod load (${name})`] = run(cases, (item) =>
      item.jstz === null ? null : evaluate(item.jstz, zod),
    );
  }
  result["z.fromJSONSchema (zod4)"] = run(cases, (item) => ZODS.zod4.z.fromJSONSchema(item.schema));
  return result;
}

// Every tool runs `ROUNDS` times (zod and the JIT warm up in the first); the fastest
// round of each is reported.
const ROUNDS = 3;

function best(request) {
  let kept = null;
  for (let round = 0; round < ROUNDS; round++) {
    const result = main(request);
    if (kept === null) {
      kept = result;
      continue;
    }
    for (const [tool, data] of Object.entries(result)) {
      const total = (entry) => entry.ms.reduce((a, b) => a + b, 0);
      if (total(data) < total(kept[tool])) kept[tool] = data;
    }
  }
  return kept;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(best(JSON.parse(input))));
});
