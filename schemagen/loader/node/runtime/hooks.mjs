// Module resolution for loading an app without its node_modules (ESM loader hooks).
//
// The app's own files (anything outside a node_modules folder) resolve as
// on the platform, where the app's dependencies are installed in its own
// folder: a bare import resolves when it is found in <app>/node_modules.
// Otherwise `zod` is schemagen's vendored zod of the major version the app's
// package.json asks for (`zod/v3` and `zod/v4` those majors, `zod/mini`,
// `zod/v4-mini` and `zod/v4/mini` zod 4's mini API), `@inferencesh/app` is the
// vendored real package, and any other bare import is a stub module
// (stub.mjs) exporting whatever names the importing file asks of it.
// Imports made by installed packages resolve as Node resolves them.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { fileURLToPath, pathToFileURL } from "node:url";

const CONFIG = JSON.parse(process.env.SCHEMAGEN_NODE_CONFIG ?? "{}");
const APP_MODULES = CONFIG.appDir ? pathToFileURL(CONFIG.appDir).href + "/node_modules/" : null;
const STUB_URL = new URL("./stub.mjs", import.meta.url).href;
const STUB_SCHEME = "schemagen-stub:";

function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z+.-]*:)/.test(specifier);
}

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const VENDOR_DIR = CONFIG.vendorDir ? pathToFileURL(CONFIG.vendorDir).href + "/" : null;

function ownFile(url) {
  return (
    typeof url === "string" &&
    url.startsWith("file:") &&
    !url.includes("/node_modules/") &&
    !(VENDOR_DIR && url.startsWith(VENDOR_DIR))
  );
}

const MINI = new Set(["zod/mini", "zod/v4-mini", "zod/v4/mini"]);

/** The vendored module for a specifier, or null. */
function vendored(specifier) {
  const vendor = CONFIG.vendor ?? {};
  if (specifier === "zod") return vendor[`zod${CONFIG.zodMajor}`];
  if (specifier === "zod/v3") return vendor.zod3;
  if (specifier === "zod/v4") return vendor.zod4;
  // zod 4's mini API, under each name zod 3.25 and zod 4 give it.
  if (MINI.has(specifier)) return vendor.zod4mini;
  if (specifier === "@inferencesh/app") return vendor.inferenceshApp;
  return null;
}

export async function resolve(specifier, context, nextResolve) {
  if (!isBare(specifier) || !ownFile(context.parentURL) || specifier.startsWith("node:")) {
    return nextResolve(specifier, context);
  }
  const name = packageName(specifier);
  const ours = name === "zod" || name === "@inferencesh/app";
  // --stub-all: every package but zod and the SDK is a stub, and those are schemagen's.
  const forced = (CONFIG.stubs ?? []).includes(name) || CONFIG.stubAll;
  const bundledSdk = name === "@inferencesh/app" && CONFIG.sdk === "bundled";
  let found = null;
  try {
    found = await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" && error?.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      throw error;
    }
  }
  const builtin = found && !found.url.startsWith("file:");
  const installed = found && found.url.startsWith(APP_MODULES);
  // A built-in (fs, path ...) or a package installed in the app's own folder.
  if (builtin || (installed && !forced && !bundledSdk)) return found;
  if (name === "@inferencesh/app" && CONFIG.sdk === "installed") {
    throw new Error("--sdk installed: @inferencesh/app is not installed in the app's node_modules");
  }
  const vendor = vendored(specifier);
  if (vendor) return { url: pathToFileURL(vendor).href, shortCircuit: true };
  if (ours && !vendor) {
    throw new Error(`schemagen carries no '${specifier}'; install the app's dependencies (npm install)`);
  }
  const names = importedNames(context.parentURL, specifier);
  const query = new URLSearchParams({ module: name, names: names.join(",") });
  return { url: `${STUB_SCHEME}${specifier}?${query}`, shortCircuit: true };
}

const SDK_MARK = 'globalThis[Symbol.for("schemagen.inferenceshApp")]';
const SDK_BUNDLED = CONFIG.vendor?.inferenceshApp ? pathToFileURL(CONFIG.vendor.inferenceshApp).href : null;
const SDK_INSTALLED = APP_MODULES ? `${APP_MODULES}@inferencesh/app/` : null;

export async function load(url, context, nextLoad) {
  if (url === SDK_BUNDLED || (SDK_INSTALLED && url.startsWith(SDK_INSTALLED) && url.endsWith("/index.js"))) {
    // Tell the loader which @inferencesh/app the app got (the manifest's sdk).
    const loaded = await nextLoad(url, context);
    const mark = `\n;${SDK_MARK} = ${JSON.stringify(url === SDK_BUNDLED ? "bundled" : "installed")};\n`;
    return { ...loaded, source: String(loaded.source) + mark };
  }
  if (ownFile(url) && url.endsWith(".js") && !typeDeclared(fileURLToPath(url))) {
    // No "type" in the nearest package.json (hyperframes-render has no package.json at
    // all): Node 22 decides by the syntax, and so does this on a Node without that.
    const source = readFileSync(fileURLToPath(url), "utf8");
    if (esmSyntax(source)) return { format: "module", source, shortCircuit: true };
  }
  if (!url.startsWith(STUB_SCHEME)) return nextLoad(url, context);
  const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
  const module = query.get("module");
  const names = (query.get("names") || "").split(",").filter((n) => n && n !== "default");
  const lines = [
    `import { makeStub } from ${JSON.stringify(STUB_URL)};`,
    `const stub = makeStub(${JSON.stringify(module)});`,
    "export default stub;",
    ...names.map((n, i) => `const _${i} = stub[${JSON.stringify(n)}]; export { _${i} as ${n} };`),
  ];
  return { format: "module", source: lines.join("\n"), shortCircuit: true };
}

/** Whether the package.json nearest to `file` says its "type". */
function typeDeclared(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const text = readFileSync(join(dir, "package.json"), "utf8");
      try {
        return typeof JSON.parse(text).type === "string";
      } catch {
        return true; // not JSON: Node's own error is the one to see
      }
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) return false;
  }
}

/** Whether `source` fails to compile as CommonJS only for syntax ES modules allow, as Node checks. */
function esmSyntax(source) {
  try {
    new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`);
    return false;
  } catch (error) {
    return /Cannot use import statement|Unexpected token 'export'|import\.meta|await is only valid/.test(
      String(error?.message),
    );
  }
}

const IMPORT = /\b(?:import|export)\s+(?:type\s+)?([\w$\s{},*]*?)\s*from\s*(["'])([^"']+)\2/g;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The names `parentURL` imports (or re-exports) from `specifier`, read from its source. */
function importedNames(parentURL, specifier) {
  let source = "";
  try {
    source = readFileSync(fileURLToPath(parentURL), "utf8");
  } catch {
    return [];
  }
  const names = new Set();
  for (const match of source.matchAll(IMPORT)) {
    if (match[3] !== specifier) continue;
    const braces = match[1].match(/\{([^}]*)\}/);
    if (!braces) continue;
    for (const part of braces[1].split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
      if (IDENTIFIER.test(name)) names.add(name);
    }
  }
  return [...names].sort();
}
