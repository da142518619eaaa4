// Calls apps through generated TypeScript clients (client.ts over schemas.ts) and the
// official @inferencesh/sdk from npm, in one node process (tests/serve/test_sdk_node.py).
//
// stdin: {"modules": [{"id", "dir"}], "steps": [{"module", "class", "baseUrl",
//          "sdk": {InferenceConfig extras}, "options": {client options}, "method",
//          "input", "stream", "spy"}]}
// stdout: one result per step: {"outputs": [...], "requests": n} or
//         {"error": {"name", "message", "taskError", "status", "taskId"}, "requests": n}.
// A step with "echo" uses a stand-in client whose tasks output their input, and reports
// the functions it was asked to run as "sent".
// client.ts is bundled with esbuild (zod from the repository's node_modules); so is the
// SDK, whose ESM build imports its own files without extensions (it targets bundlers).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function bundle(out, entry) {
  const file = join(out, `${Math.random().toString(36).slice(2)}.mjs`);
  await esbuild.build({
    ...entry,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    outfile: file,
    nodePaths: [join(ROOT, "node_modules")],
    logLevel: "silent",
  });
  return import(pathToFileURL(file).href);
}

const load = (dir, out) => bundle(out, { entryPoints: [join(dir, "client.ts")] });

async function runStep(modules, inference, step) {
  let requests = 0;
  const sent = [];
  // "echo": a client with the SDK's run shape whose tasks output their input.
  const echo = {
    run: async (params, options) => {
      sent.push(params.function);
      options?.onUpdate?.({ id: "t", status: 7, output: params.input });
      return { id: "t", status: 10, output: params.input };
    },
  };
  const sdk = step.echo
    ? echo
    : inference({ apiKey: "local", baseUrl: step.baseUrl, ...(step.sdk || {}) });
  const transport = step.spy
    ? { run: (params, options) => { requests += 1; return sdk.run(params, options); } }
    : sdk;
  try {
    const Client = modules[step.module][step.class];
    const client = new Client(transport, step.options || {});
    const outputs = [];
    if (step.stream) {
      for await (const output of client[step.method](step.input)) outputs.push(output);
    } else {
      outputs.push(await client[step.method](step.input));
    }
    return { outputs, requests, sent };
  } catch (error) {
    return {
      error: {
        name: error && error.name,
        message: String(error && error.message),
        taskError: error && error.taskError,
        status: error && error.status,
        taskId: error && error.taskId,
        issues: error && error.issues ? error.issues.length : undefined,
      },
      requests,
    };
  }
}

const request = JSON.parse(readFileSync(0, "utf8"));
const out = mkdtempSync(join(tmpdir(), "client-e2e-"));
try {
  const sdkSource = 'export { inference } from "@inferencesh/sdk";';
  const { inference } = await bundle(out, {
    stdin: { contents: sdkSource, resolveDir: ROOT, loader: "js" },
  });
  const modules = {};
  for (const { id, dir } of request.modules) modules[id] = await load(dir, out);
  const results = [];
  for (const step of request.steps) {
    if (process.env.E2E_DEBUG) process.stderr.write(`step ${step.module} ${step.method}\n`);
    results.push(await runStep(modules, inference, step));
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  rmSync(out, { recursive: true, force: true });
}
