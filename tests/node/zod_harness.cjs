// Node side of the zod tests and benchmark: loads generated zod modules under
// zod 3 and zod 4 in one process and answers batches of questions about them.
//
// Protocol: one JSON request per stdin line, one JSON response per stdout line.
//   {"modules": [{"id", "source"}],                 TypeScript module text
//    "checks": [{"module", "export", "instances"}], -> verdicts[zod][i][j]: true/false/"error: …"
//    "tojson": [{"module", "export"}],              -> zod 4 z.toJSONSchema (io: "input")
//    "parse": [{"module", "export", "instance"}]}   -> parsed[i][zod]: the parse result
// Modules are transpiled with esbuild and evaluated with `require("zod")` bound to
// the zod under test (package "zod3" is zod 3, "zod" is zod 4).
"use strict";

const esbuild = require("esbuild");
const readline = require("readline");

const ZODS = { zod3: require("zod3"), zod4: require("zod") };

function transpile(source) {
  return esbuild.transformSync(source, { loader: "ts", format: "cjs", target: "es2022" }).code;
}

function evaluate(js, zod) {
  const module = { exports: {} };
  const requireZod = (name) => {
    if (name === "zod") return zod;
    throw new Error(`generated module requires ${name}`);
  };
  new Function("require", "module", "exports", js)(requireZod, module, module.exports);
  return module.exports;
}

function verdict(schema, instance) {
  try {
    return schema.safeParse(instance).success;
  } catch (error) {
    return `error: ${error && error.message}`;
  }
}

function handle(request) {
  const loaded = {};
  const errors = {};
  const timings = {};
  for (const { id, source } of request.modules || []) {
    const started = process.hrtime.bigint();
    try {
      const js = transpile(source);
      loaded[id] = {};
      for (const [name, zod] of Object.entries(ZODS)) loaded[id][name] = evaluate(js, zod);
    } catch (error) {
      errors[id] = String(error && error.stack ? error.stack : error);
    }
    timings[id] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  const verdicts = { zod3: [], zod4: [] };
  for (const check of request.checks || []) {
    for (const name of Object.keys(ZODS)) {
      const exports = loaded[check.module] && loaded[check.module][name];
      const schema = exports && exports[check.export];
      verdicts[name].push(
        check.instances.map((instance) =>
          schema ? verdict(schema, instance) : `error: no export ${check.export}`,
        ),
      );
    }
  }
  const tojson = [];
  for (const { module, export: name } of request.tojson || []) {
    try {
      const schema = loaded[module].zod4[name];
      tojson.push(ZODS.zod4.z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
    } catch (error) {
      tojson.push({ error: String(error && error.message) });
    }
  }
  const parsed = [];
  for (const { module, export: name, instance } of request.parse || []) {
    const result = {};
    for (const zod of Object.keys(ZODS)) {
      const outcome = loaded[module][zod][name].safeParse(instance);
      result[zod] = outcome.success
        ? { data: outcome.data, ownKeys: Object.keys(outcome.data) }
        : { issues: outcome.error.issues.map((issue) => issue.message) };
    }
    parsed.push(result);
  }
  return { errors, verdicts, tojson, parsed, timings };
}

module.exports = { transpile, evaluate, verdict, handle, ZODS };

if (require.main === module) {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let response;
    try {
      response = handle(JSON.parse(line));
    } catch (error) {
      response = { fatal: String(error && error.stack ? error.stack : error) };
    }
    process.stdout.write(JSON.stringify(response) + "\n");
  });
}
