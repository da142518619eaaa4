// The Node.js loader child: import one app, compile its manifest, reply in JSON.
//
// Started by schemagen/loader/node/parent.py as
//   node --experimental-loader hooks.mjs extract.mjs
// with the request on stdin ({"appDir", "entrypoint", "positions"}) and
// hooks.mjs's configuration in $SCHEMAGEN_NODE_CONFIG. The reply is one JSON
// document on stdout, in the Python child's protocol (schemagen/loader/child.py):
// {"ok": true, "manifest", "warnings"[, "sources"]} or {"ok": false, "error": {...}};
// "sources" (positions.mjs) when the request asks for positions.
// Whatever the app prints goes to stderr. No App is instantiated and no
// method is called: functions are read from App.prototype and the exports.

import { readFileSync, existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, relative, sep } from "node:path";

import {
  ChildError,
  appClassOf,
  findFunctions,
  importEntrypoint,
  methodDescription,
  setupSchemaOf,
  sourceOf,
  toJson,
} from "./app.mjs";
import { appSources } from "./positions.mjs";
import { makeStub, stubbedModules } from "./stub.mjs";

const CONFIG = JSON.parse(process.env.SCHEMAGEN_NODE_CONFIG ?? "{}");
const SDK_MARK = Symbol.for("schemagen.inferenceshApp");
const replyOut = process.stdout.write.bind(process.stdout);
// The app's prints must not corrupt the reply.
process.stdout.write = process.stderr.write.bind(process.stderr);

function send(reply) {
  replyOut(JSON.stringify(reply), () => process.exit(0));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** Bare require() calls of the app's own CommonJS files: vendored zod, else stubs. */
function installRequireHooks(appDir) {
  const require = createRequire(import.meta.url);
  const Module = require("node:module");
  const original = Module._resolveFilename;
  const modules = join(appDir, "node_modules") + sep;
  Module._resolveFilename = function (request, parent, ...rest) {
    const from = parent?.filename ?? "";
    const bare = !/^(\.{0,2}\/|\/|node:)/.test(request) && !Module.builtinModules.includes(request);
    if (!bare || from.includes(`${sep}node_modules${sep}`) || from.startsWith(CONFIG.vendorDir)) {
      return original.call(this, request, parent, ...rest);
    }
    // As hooks.mjs resolves an import: --stub/--stub-all and --sdk bundled pass over what is installed.
    const name = request.startsWith("@") ? request.split("/").slice(0, 2).join("/") : request.split("/")[0];
    const ours = name === "zod" || name === "@inferencesh/app";
    const forced = !ours && ((CONFIG.stubs ?? []).includes(name) || CONFIG.stubAll);
    const bundledSdk = name === "@inferencesh/app" && CONFIG.sdk === "bundled";
    try {
      const found = original.call(this, request, parent, ...rest);
      if (found.startsWith(modules) && !forced && !bundledSdk) {
        if (name === "@inferencesh/app") globalThis[SDK_MARK] ??= "installed";
        return found;
      }
    } catch (error) {
      if (error?.code !== "MODULE_NOT_FOUND") throw error;
    }
    if (name === "@inferencesh/app" && CONFIG.sdk === "installed") {
      throw new Error("--sdk installed: @inferencesh/app is not installed in the app's node_modules");
    }
    const vendor = CONFIG.vendor ?? {};
    const target =
      request === "zod"
        ? vendor[`zod${CONFIG.zodMajor}`]
        : request === "zod/v3"
          ? vendor.zod3
          : request === "zod/v4"
            ? vendor.zod4
            : ["zod/mini", "zod/v4-mini", "zod/v4/mini"].includes(request)
              ? vendor.zod4mini
              : request === "@inferencesh/app"
                ? vendor.inferenceshApp
                : null;
    // require() of the SDK (an ES module, Node 20.19 and 22.12 can) passes no loader hook to mark it.
    if (target && name === "@inferencesh/app") globalThis[SDK_MARK] ??= "bundled";
    if (target) return target;
    const id = `schemagen-stub:${request}`;
    Module._cache[id] ??= { id, filename: id, loaded: true, exports: makeStub(name), children: [] };
    return id;
  };
}

function packageVersion(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8")).version ?? null;
  } catch {
    return null;
  }
}

function sdkInfo(appDir) {
  const loaded = globalThis[SDK_MARK];
  if (!loaded) return { source: "none", version: null };
  const installed = join(appDir, "node_modules", "@inferencesh", "app", "package.json");
  if (loaded === "installed" && existsSync(installed)) {
    return { source: "installed", version: packageVersion(installed) };
  }
  return { source: "bundled", version: CONFIG.vendorVersions?.inferenceshApp ?? null };
}

function zodVersion(appDir) {
  const installed = join(appDir, "node_modules", "zod", "package.json");
  if (existsSync(installed)) return packageVersion(installed);
  return CONFIG.vendorVersions?.[`zod${CONFIG.zodMajor}`] ?? null;
}

async function load(request) {
  const appDir = realpathSync(request.appDir);
  const entrypoint = request.entrypoint;
  installRequireHooks(appDir);
  process.chdir(appDir);
  const warnings = [];
  const ns = await importEntrypoint(appDir, entrypoint, warnings);
  const source = sourceOf(entrypoint);
  const App = appClassOf(ns, entrypoint);
  const functions = {};
  const found = findFunctions(ns, App, entrypoint, source, warnings);
  for (const fn of found) {
    const { name, pascal } = fn;
    const entry = { description: methodDescription(fn.method, source) };
    if (fn.socket) entry.kind = "stream";
    entry.input_schema = toJson(fn.input, `${pascal}Input`, `input of ${name}`, warnings, entrypoint, source);
    entry.output_schema = toJson(fn.output, `${pascal}Output`, `output of ${name}`, warnings, entrypoint, source);
    entry.streaming = fn.streaming;
    functions[name] = entry;
  }
  const setupSchema = setupSchemaOf(ns, entrypoint, source);
  const manifest = {
    format: "schemagen-manifest",
    format_version: 1,
    app: {
      name: basename(request.appDir),
      language: "node",
      entrypoint: relative(request.appDir, entrypoint).split(sep).join("/"),
      app_class: "App",
      origin: "app",
      sdk: sdkInfo(appDir),
      pydantic_version: null,
      zod_version: zodVersion(appDir),
      stubbed_modules: stubbedModules(),
    },
    setup: setupSchema ? toJson(setupSchema, "AppSetup", "setup", warnings, entrypoint, source) : null,
    functions,
  };
  const reply = { manifest, warnings };
  if (request.positions) reply.sources = appSources(appDir, entrypoint, found, manifest);
  return reply;
}

async function main() {
  const major = Number(process.versions.node.split(".")[0]);
  let request;
  try {
    request = await readStdin();
    if (major < 18) {
      throw new ChildError(`Node.js ${process.versions.node} is too old for schemagen`, {
        hint: "install Node.js 18 or newer",
      });
    }
    send({ ok: true, ...(await load(request)) });
  } catch (error) {
    if (error instanceof ChildError) {
      send({ ok: false, error: error.fields });
      return;
    }
    send({
      ok: false,
      error: {
        kind: "internal",
        message: `schemagen failed while compiling the app: ${error?.name ?? "Error"}: ${error?.message ?? error}`,
        hint: "this is a schemagen bug; please report it with -v output",
        detail: String(error?.stack ?? error),
      },
    });
  }
}

await main();
