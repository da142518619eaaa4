// The Node.js loader child: import one app, compile its manifest, reply in JSON.
//
// Started by schemagen/loader/node/parent.py as
//   node --experimental-loader hooks.mjs extract.mjs
// with the request on stdin ({"appDir", "entrypoint", "options"}) and
// hooks.mjs's configuration in $SCHEMAGEN_NODE_CONFIG. The reply is one JSON
// document on stdout, in the Python child's protocol (schemagen/loader/child.py):
// {"ok": true, "manifest", "warnings"} or {"ok": false, "error": {...}}.
// Whatever the app prints goes to stderr. No App is instantiated and no
// method is called: functions are read from App.prototype and the exports.

import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, sep } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

import { SchemaError, convertSchema, isZodSchema } from "./convert.mjs";
import { makeStub, stubModuleOf, stubbedModules } from "./stub.mjs";

const CONFIG = JSON.parse(process.env.SCHEMAGEN_NODE_CONFIG ?? "{}");
const SDK_MARK = Symbol.for("schemagen.inferenceshApp");
// Methods the platform never exposes as functions.
const LIFECYCLE = new Set(["constructor", "setup", "unload", "onCancel"]);

class ChildError extends Error {
  constructor(message, { kind = "app", file = null, line = null, hint = null, detail = null } = {}) {
    super(message);
    this.fields = { kind, message, file, line, hint, detail };
  }
}

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
    try {
      const found = original.call(this, request, parent, ...rest);
      if (found.startsWith(modules)) return found;
    } catch (error) {
      if (error?.code !== "MODULE_NOT_FOUND") throw error;
    }
    const vendor = CONFIG.vendor ?? {};
    const target =
      request === "zod"
        ? vendor[`zod${CONFIG.zodMajor}`]
        : request === "zod/v3"
          ? vendor.zod3
          : request === "zod/v4"
            ? vendor.zod4
            : null;
    if (target) return target;
    const name = request.startsWith("@") ? request.split("/").slice(0, 2).join("/") : request.split("/")[0];
    const id = `schemagen-stub:${request}`;
    Module._cache[id] ??= { id, filename: id, loaded: true, exports: makeStub(name), children: [] };
    return id;
  };
}

// ---------------------------------------------------------------- errors

/** The innermost stack frame in the app's own files (not node_modules, not schemagen). */
function appFrame(error, appDir) {
  const text = String(error?.stack ?? "");
  const runtime = dirname(fileURLToPath(import.meta.url));
  let found = { file: null, line: null };
  const frames = [...text.matchAll(/(file:\/\/[^\s):]+|\/[^\s():]+):(\d+)(?::\d+)?/g)];
  for (const match of frames) {
    let file = match[1];
    if (file.startsWith("file:")) file = fileURLToPath(file);
    if (file.includes(`${sep}node_modules${sep}`) || file.startsWith(runtime)) continue;
    if (!file.startsWith(appDir + sep)) continue;
    found = { file, line: Number(match[2]) };
    break;
  }
  return found;
}

function firstLine(error, appDir) {
  const message = String(error?.message ?? error).trim().split("\n")[0];
  return message.split(pathToFileURL(appDir).href + "/").join("").split(appDir + sep).join("");
}

function importFailure(error, appDir, entrypoint) {
  const { file, line } = appFrame(error, appDir);
  const kind = error?.name ?? typeof error;
  const detail = String(error?.stack ?? error);
  if (error instanceof SyntaxError && !file) {
    // An ESM syntax error carries no location: `node --check` finds the file and line.
    const at = syntaxErrorAt(entrypoint, new Set());
    return new ChildError(`syntax error: ${firstLine(error, appDir)}`, {
      file: at?.file ?? entrypoint,
      line: at?.line ?? null,
      detail,
    });
  }
  let hint = null;
  let message = `the app raised ${kind} while being imported: ${firstLine(error, appDir)}`;
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    message = `import failed: ${firstLine(error, appDir)}`;
    hint = "the app's own module is missing or broken";
  }
  return new ChildError(message, { file: file ?? entrypoint, line, hint, detail });
}

/** The first file (the entrypoint, then its relative imports) `node --check` refuses. */
function syntaxErrorAt(file, seen) {
  if (seen.has(file) || !existsSync(file)) return null;
  seen.add(file);
  const type = file.endsWith(".cjs") ? "commonjs" : "module";
  const done = spawnSync(process.execPath, [`--input-type=${type}`, "--check"], {
    input: sourceOf(file),
    encoding: "utf8",
  });
  if (done.status !== 0) {
    const at = (done.stderr ?? "").match(/^\[stdin\]:(\d+)/m);
    return { file, line: at ? Number(at[1]) : null };
  }
  for (const match of sourceOf(file).matchAll(/\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const found = syntaxErrorAt(join(dirname(file), match[1]), seen);
    if (found) return found;
  }
  return null;
}

// ---------------------------------------------------------------- discovery

function sourceOf(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function lineAt(source, index) {
  return index < 0 ? null : source.slice(0, index).split("\n").length;
}

/** The line where `name` is exported (export const NAME / export { NAME }), or null. */
function exportLine(source, name) {
  const patterns = [
    new RegExp(`export\\s+(?:const|let|var|class|function\\*?|async\\s+function\\*?)\\s+${name}\\b`),
    new RegExp(`export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`),
    new RegExp(`\\b(?:const|let|var|class)\\s+${name}\\b`),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(source);
    if (match) return lineAt(source, match.index);
  }
  return null;
}

/** The line of the field at `path` ("RunInput.author.name") inside its export, else the export's. */
function fieldLine(source, path) {
  const [name, ...fields] = path.split(".").map((p) => p.replace(/(\[\d*\]|\{\}|[|&]\d+)+$/, ""));
  const start = new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`).exec(source);
  if (!start) return exportLine(source, name);
  let at = start.index;
  for (const field of fields) {
    const escaped = field.replace(/[$]/g, "\\$&");
    const found = new RegExp(`(?:^|[\\s{,])["']?${escaped}["']?\\s*:`, "m").exec(source.slice(at));
    if (!found) break;
    at += found.index + found[0].length;
  }
  return lineAt(source, at);
}

function methodNames(App) {
  const names = new Set();
  for (
    let proto = App.prototype;
    proto && proto !== Object.prototype && proto !== Function.prototype && stubModuleOf(proto) === null;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === "function") names.add(name);
    }
  }
  return [...names].sort();
}

/** The parameter names of a function, read from its source. */
function parameterNames(fn) {
  const text = Function.prototype.toString.call(fn);
  const open = text.indexOf("(");
  if (open < 0) return [];
  let depth = 0;
  let close = open;
  for (; close < text.length; close++) {
    if ("([{".includes(text[close])) depth++;
    else if (")]}".includes(text[close]) && --depth === 0) break;
  }
  const names = [];
  let current = "";
  depth = 0;
  for (const ch of text.slice(open + 1, close)) {
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      names.push(current);
      current = "";
    } else current += ch;
  }
  names.push(current);
  return names.map((p) => p.trim().replace(/^\.\.\./, "").split(/[\s=]/)[0]).filter(Boolean);
}

/** The JSDoc comment right before the method's definition in the source, cleaned. */
function methodDescription(fn, source) {
  const text = Function.prototype.toString.call(fn);
  const at = source.indexOf(text);
  if (at < 0) return "";
  const before = source.slice(0, at).replace(/\s+$/, "");
  if (!before.endsWith("*/")) return "";
  const start = before.lastIndexOf("/**");
  if (start < 0 || before.slice(start).indexOf("*/") !== before.length - start - 2) return "";
  const lines = before
    .slice(start + 3, -2)
    .split("\n")
    .map((l) => l.replace(/^\s*\*? ?/, "").replace(/\s+$/, ""));
  const tag = lines.findIndex((l) => l.startsWith("@"));
  const kept = tag < 0 ? lines : lines.slice(0, tag);
  return kept.join("\n").trim();
}

function kindOfFunction(fn) {
  const tag = Object.prototype.toString.call(fn);
  return { streaming: tag === "[object AsyncGeneratorFunction]" || tag === "[object GeneratorFunction]" };
}

function exportedSchema(ns, name, role, file, source) {
  const value = ns[name];
  const module = stubModuleOf(value);
  if (module !== null) {
    throw new ChildError(`${name} (${role}) is a value of the stubbed module '${module}'`, {
      kind: "contamination",
      file,
      line: exportLine(source, name),
      hint: "install the app's dependencies in its folder (npm install)",
    });
  }
  return isZodSchema(value) ? value : null;
}

function toJson(schema, name, role, warnings, file, source) {
  try {
    return convertSchema(schema, {
      where: name,
      warn: (path, message) =>
        warnings.push({ message: `${path} (${role}): ${message}`, file, line: fieldLine(source, path) }),
    });
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    const [path, ...rest] = error.message.split(": ");
    throw new ChildError(`${path} (${role}): ${rest.join(": ")}`, {
      kind: error.stub ? "contamination" : "app",
      file,
      line: fieldLine(source, path),
      hint: error.stub ? "install the app's dependencies in its folder (npm install)" : null,
    });
  }
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
  let ns;
  try {
    ns = await import(pathToFileURL(entrypoint).href);
  } catch (error) {
    throw importFailure(error, appDir, entrypoint);
  }
  const source = sourceOf(entrypoint);
  const App = ns.App;
  if (typeof App !== "function" || stubModuleOf(App) !== null) {
    throw new ChildError(
      stubModuleOf(App) !== null
        ? `App is a value of the stubbed module '${stubModuleOf(App)}'`
        : "the entrypoint exports no class App",
      { file: entrypoint, hint: "export class App { async run(inputData) { ... } }" },
    );
  }
  const warnings = [];
  const functions = {};
  for (const name of methodNames(App)) {
    if (name.startsWith("_") || LIFECYCLE.has(name)) continue;
    const pascal = name[0].toUpperCase() + name.slice(1);
    const input = exportedSchema(ns, `${pascal}Input`, `input of ${name}`, entrypoint, source);
    const output = exportedSchema(ns, `${pascal}Output`, `output of ${name}`, entrypoint, source);
    if (!input || !output) {
      if (input || output) {
        const missing = input ? `${pascal}Output` : `${pascal}Input`;
        warnings.push({
          message: `App.${name} is not a function: no zod schema ${missing} is exported`,
          file: entrypoint,
          line: exportLine(source, input ? `${pascal}Input` : `${pascal}Output`),
        });
      }
      continue;
    }
    const method = App.prototype[name];
    const entry = { description: methodDescription(method, source) };
    if (parameterNames(method)[1] === "socket") entry.kind = "stream";
    entry.input_schema = toJson(input, `${pascal}Input`, `input of ${name}`, warnings, entrypoint, source);
    entry.output_schema = toJson(output, `${pascal}Output`, `output of ${name}`, warnings, entrypoint, source);
    entry.streaming = kindOfFunction(method).streaming;
    functions[name] = entry;
  }
  if (Object.keys(functions).length === 0) {
    throw new ChildError(
      "App has no functions: no public method has {PascalName}Input and {PascalName}Output " +
        "zod schemas exported beside it",
      {
        file: entrypoint,
        line: exportLine(source, "App"),
        hint: warnings.map((w) => w.message).join("; ") || "export RunInput and RunOutput for run()",
      },
    );
  }
  const setupSchema = exportedSchema(ns, "AppSetup", "setup", entrypoint, source);
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
  return { manifest, warnings };
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
