// Node half of benchmarks/zod_bench.py: loads schemagen's modules and times
// json-schema-to-zod and zod 4's z.fromJSONSchema on the same schemas, and gathers
// every tool's safeParse verdicts on the same labelled instances.
//
// stdin: {"cases": [{"id", "schema", "instances": [...], "module", "export"}]}
//        ("module": schemagen's schemas.ts for that one schema, "export": its name)
// stdout: {"<tool>": {"ms": [...per case], "check_ms": [...per case] | null,
//                     "verdicts": [[...per instance]...] | null, "errors": n}}
// ("ms": building the zod schema; "check_ms": then safeParse of the case's instances)
"use strict";

const path = require("path");
const esbuild = require("esbuild");
const { evaluate, verdict, ZODS } = require(path.join(__dirname, "..", "tests", "node", "zod_harness.cjs"));
const { jsonSchemaToZod } = require("json-schema-to-zod");

// schemagen's module in the plain CommonJS form json-schema-to-zod's "cjs" output has:
// esbuild's ESM output (what a bundler reads) with its one import and its one export
// list written as require / module.exports. esbuild's own CommonJS output adds an
// interop wrapper (a getter per export) that costs more to load than a small schema,
// and that no bundle pays.
function plainCommonJs(source) {
  const esm = esbuild.transformSync(source, { loader: "ts", format: "esm", target: "es2022" }).code;
  const js = esm
    .replace(/^import \{ z \} from "zod";$/m, 'const { z } = require("zod");')
    .replace(/^export \{([^}]*)\};\s*$/m, "module.exports = {$1};");
  if (/^(import|export)\b/m.test(js)) throw new Error(`unexpected module syntax:\n${js}`);
  return js;
}

function ms(started) {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

// Times `build` on every case (a thrown error counts as a failed conversion), then
// times and records the verdicts of what it built on the case's instances.
function run(cases, build) {
  const out = { ms: [], check_ms: [], verdicts: [], errors: 0 };
  for (const item of cases) {
    const started = process.hrtime.bigint();
    let schema = null;
    try {
      schema = build(item);
    } catch (error) {
      out.errors += 1;
    }
    out.ms.push(ms(started));
    const checking = process.hrtime.bigint();
    out.verdicts.push(
      item.instances.map((instance) => (schema ? verdict(schema, instance) : "error: no schema")),
    );
    out.check_ms.push(ms(checking));
  }
  return out;
}

function timed(cases, build) {
  const out = run(cases, build);
  out.verdicts = null;
  out.check_ms = null;
  return out;
}

function main(cases) {
  plainCommonJs("export const warm = 1;"); // start esbuild's service outside the timings
  const result = {};
  result["schemagen transpile (esbuild)"] = timed(cases, (item) => {
    item.js = plainCommonJs(item.module);
  });
  result["json-schema-to-zod generate"] = timed(cases, (item) => {
    item.jstz = null;
    item.jstz = jsonSchemaToZod(item.schema, { module: "cjs" });
  });
  for (const [name, zod] of Object.entries(ZODS)) {
    result[`schemagen load (${name})`] = run(cases, (item) => evaluate(item.js, zod)[item.export]);
    // json-schema-to-zod writes zod 3 code; it is loaded under each zod.
    result[`json-schema-to-zod load (${name})`] = run(cases, (item) =>
      item.jstz === null ? null : evaluate(item.jstz, zod),
    );
  }
  result["z.fromJSONSchema (zod4)"] = run(cases, (item) => ZODS.zod4.z.fromJSONSchema(item.schema));
  return result;
}

// Every tool runs `ROUNDS` times (zod and the JIT warm up in the first); each case
// keeps its fastest round.
const ROUNDS = 5;

function best(cases) {
  const kept = main(cases);
  for (let round = 1; round < ROUNDS; round++) {
    for (const [tool, data] of Object.entries(main(cases))) {
      for (const key of ["ms", "check_ms"]) {
        if (data[key]) kept[tool][key] = kept[tool][key].map((fastest, i) => Math.min(fastest, data[key][i]));
      }
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
  process.stdout.write(JSON.stringify(best(JSON.parse(input).cases)));
});
