// What the Node.js loader child (extract.mjs) and the serve runner (serve.mjs)
// share: importing an app's entrypoint, the errors that reports, and finding
// the App class, its functions and their exported zod schemas the way the
// platform does (docs/node-apps.md, section 2).

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve as resolvePath, sep } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

import { SchemaError, convertSchema, isZodSchema } from "./convert.mjs";
import { stubModuleOf } from "./stub.mjs";

// Methods the platform never exposes as functions.
export const LIFECYCLE = new Set(["constructor", "setup", "unload", "onCancel"]);

export class ChildError extends Error {
  constructor(message, { kind = "app", file = null, line = null, column = null, hint = null, detail = null } = {}) {
    super(message);
    this.fields = { kind, message, file, line, column, hint, detail };
  }
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
  // A quoted path of the app's own stays a path ('./helpers/util.js'), not a package's name.
  return message
    .split(`'${pathToFileURL(appDir).href}/`).join("'./")
    .split(`"${pathToFileURL(appDir).href}/`).join('"./')
    .split(`'${appDir}${sep}`).join("'./")
    .split(pathToFileURL(appDir).href + "/").join("")
    .split(appDir + sep).join("");
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;

/** The line of `file` whose import specifier is `name` (a package) or resolves to path `target`. */
function specifierLine(file, { name = null, target = null }) {
  const source = sourceOf(file);
  for (const match of source.matchAll(SPECIFIER)) {
    const spec = match[2];
    const hit = name
      ? spec === name || spec.startsWith(`${name}/`)
      : /^\.{1,2}\//.test(spec) && join(dirname(file), spec) === target;
    if (hit) return lineAt(source, match.index);
  }
  return null;
}

/** What an import of a missing file or package, or of JSON without its attribute, says and where. */
function badImport(error, appDir, entrypoint) {
  const text = String(error?.message ?? "");
  const missing = /Cannot find (module|package) '([^']+)' imported from (\S+)/.exec(text);
  if (error?.code === "ERR_MODULE_NOT_FOUND" && missing) {
    let importer = missing[3].startsWith("file:") ? fileURLToPath(missing[3]) : missing[3];
    if (!importer.startsWith(appDir + sep)) importer = entrypoint;
    if (missing[1] === "package") {
      const line = specifierLine(importer, { name: missing[2] });
      return { file: importer, line, hint: "run npm install in the app's folder" };
    }
    const target = missing[2].startsWith("file:") ? fileURLToPath(missing[2]) : missing[2];
    const line = specifierLine(importer, { target });
    const near = [".js", ".mjs", ".cjs", "/index.js"].find((ext) => existsSync(target + ext));
    const hint = near
      ? `an ES module import names the file itself: './${(target + near).slice(dirname(importer).length + 1)}'`
      : "the app's own module is missing or broken";
    return { file: importer, line, hint };
  }
  const json = /Module "([^"]+)" needs an import attribute of type "json"/.exec(text);
  if (json) {
    const target = json[1].startsWith("file:") ? fileURLToPath(json[1]) : json[1];
    return {
      file: entrypoint,
      line: specifierLine(entrypoint, { target }),
      hint: 'a JSON module is imported with its attribute: import data from "./data.json" with { type: "json" }',
    };
  }
  return null;
}

/**
 * Where a syntax error report (`FILE:LINE`, the source line, a caret under
 * the column: Node's for a CommonJS file and for `node --check`) points.
 */
function caretAt(text) {
  const match = /^(.*):(\d+)\n[^\n]*\n([ \t]*)\^/m.exec(text ?? "");
  return match ? { file: match[1], line: Number(match[2]), column: match[3].length + 1 } : null;
}

export function importFailure(error, appDir, entrypoint) {
  const { file, line } = appFrame(error, appDir);
  const kind = error?.name ?? typeof error;
  const detail = String(error?.stack ?? error);
  const compiled = caretAt(detail);  // a CommonJS file's own syntax error
  const cjsSyntax = compiled?.file.startsWith(appDir + sep) && !compiled.file.includes(`${sep}node_modules${sep}`);
  if (error instanceof SyntaxError && (!file || cjsSyntax)) {
    // An ESM syntax error carries no location: `node --check` finds the file, line and column.
    const at = cjsSyntax ? compiled : syntaxErrorAt(entrypoint, new Set());
    return new ChildError(`syntax error: ${firstLine(error, appDir)}`, {
      file: at?.file ?? entrypoint,
      line: at?.line ?? null,
      column: at?.line ? at.column : null,
      detail,
    });
  }
  // Loaded by the app's require() when a CommonJS loader frame comes before the app's own.
  const required = file && /\bModule\._load\b/.test(detail.slice(0, detail.indexOf(`${file}:`)));
  const failed = (!file || required) && packageFrame(error, appDir);
  if (failed) {
    // An installed package that throws while it is imported (a native addon built for
    // another platform, a missing peer): name it and the app's import of it.
    const importer = file ?? entrypoint;
    return new ChildError(`importing '${failed}' raised ${kind}: ${firstLine(error, appDir)}`, {
      file: importer,
      line: line ?? specifierLine(importer, { name: failed }),
      hint: `the package is installed in the app's node_modules but fails to load: reinstall it (npm ci) or stub it (--stub ${failed})`,
      detail,
    });
  }
  let hint = null;
  let message = `the app raised ${kind} while being imported: ${firstLine(error, appDir)}`;
  const bad = badImport(error, appDir, entrypoint);
  if (bad) {
    if (error?.code === "ERR_MODULE_NOT_FOUND") message = `import failed: ${firstLine(error, appDir)}`;
    return new ChildError(message, { file: file ?? bad.file, line: line ?? bad.line, hint: bad.hint, detail });
  }
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    message = `import failed: ${firstLine(error, appDir)}`;
    hint = "the app's own module is missing or broken";
  }
  const read = error?.code === "ENOENT" && typeof error.path === "string" ? resolvePath(appDir, error.path) : null;
  if (read && read.startsWith(appDir + sep)) {
    // As for a Python app: a data file of the app's folder, read at import, that is not there.
    hint =
      `the app reads ${read.slice(appDir.length + 1)} from its folder when it is imported: is the file ` +
      "left out of the repository (.gitignore), or made by a build or download step? Commit it, " +
      "or read it in setup()";
  }
  return new ChildError(message, { file: file ?? entrypoint, line, hint, detail });
}

/** The package of `<app>/node_modules` the innermost frame of `error` is in, or null. */
function packageFrame(error, appDir) {
  const modules = join(appDir, "node_modules") + sep;
  const match = /(?:file:\/\/)?(\/[^\s():]+):\d+/.exec(String(error?.stack ?? ""));
  if (!match) return null;
  const file = match[1].startsWith("file:") ? fileURLToPath(match[1]) : match[1];
  if (!file.startsWith(modules)) return null;
  const parts = file.slice(modules.length).split(sep);
  return parts[0].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
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
    const at = caretAt(done.stderr);
    return { file, line: at?.line ?? null, column: at?.column ?? null };
  }
  for (const match of sourceOf(file).matchAll(/\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const found = syntaxErrorAt(join(dirname(file), match[1]), seen);
    if (found) return found;
  }
  return null;
}

// ---------------------------------------------------------------- discovery

export function sourceOf(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

export function lineAt(source, index) {
  return index < 0 ? null : source.slice(0, index).split("\n").length;
}

/** The line where `name` is exported (export const NAME / export { NAME }), or null. */
export function exportLine(source, name) {
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
export function fieldLine(source, path) {
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

export function methodNames(App) {
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
export function parameterNames(fn) {
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
export function methodDescription(fn, source) {
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

/** Whether a method is a generator (sync or async): its outputs stream. */
export function isStreaming(fn) {
  const tag = Object.prototype.toString.call(fn);
  return tag === "[object AsyncGeneratorFunction]" || tag === "[object GeneratorFunction]";
}

export function exportedSchema(ns, name, role, file, source) {
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

export function toJson(schema, name, role, warnings, file, source) {
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


/** Import the app's entrypoint; a ChildError saying where when that fails. */
export async function importEntrypoint(appDir, entrypoint, warnings = null) {
  let ns;
  try {
    ns = await import(pathToFileURL(entrypoint).href);
  } catch (error) {
    throw importFailure(error, appDir, entrypoint);
  }
  return withCommonJsExports(ns, entrypoint, warnings);
}

/**
 * A CommonJS entrypoint's exports as require() gives them. An ES import of
 * one sees only the names Node's export detection finds in its source
 * (`module.exports = { App, RunInput: z.object(...), RunOutput }` yields App
 * and RunInput): a name only module.exports has is taken from it, with a
 * warning, as the platform's kernel may import the file either way.
 */
function withCommonJsExports(ns, entrypoint, warnings) {
  const cached = createRequire(import.meta.url).cache[entrypoint];
  const exported = cached?.exports;
  if (!exported || (typeof exported !== "object" && typeof exported !== "function")) return ns;
  const hidden = Object.keys(exported).filter((name) => !(name in ns) && name !== "default");
  if (hidden.length === 0) return ns;
  warnings?.push({
    message:
      `module.exports has ${hidden.join(", ")}, which an ES import of the file does not see ` +
      "(Node detects CommonJS exports from the source): assign each as exports.NAME = ... or " +
      "list it as a name in module.exports = { NAME }",
    file: entrypoint,
    line: null,
  });
  return { ...Object.fromEntries(hidden.map((name) => [name, exported[name]])), ...ns };
}

/** The App class the entrypoint exports. */
export function appClassOf(ns, entrypoint) {
  const App = ns.App;
  if (typeof App !== "function" || stubModuleOf(App) !== null) {
    throw new ChildError(
      stubModuleOf(App) !== null
        ? `App is a value of the stubbed module '${stubModuleOf(App)}'`
        : "the entrypoint exports no class App",
      {
        file: entrypoint,
        hint:
          typeof ns.default === "function" && stubModuleOf(ns.default) === null
            ? `a default export is not read: the platform takes the class exported as App, export class App { ... }`
            : "export class App { async run(inputData) { ... } }",
      },
    );
  }
  return App;
}

/**
 * The app's functions, by name: each public method of App (inherited ones
 * too) that is no lifecycle method and has `{Pascal}Input` and
 * `{Pascal}Output` zod schemas exported beside it. A method with only one of
 * the two adds a warning; no function at all is an error.
 */
export function findFunctions(ns, App, entrypoint, source, warnings) {
  const found = [];
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
    found.push({
      name,
      pascal,
      input,
      output,
      method,
      streaming: isStreaming(method),
      // A stream function takes a socket after its input (async stream(input, socket)).
      socket: parameterNames(method)[1] === "socket",
    });
  }
  // A pair of exports that names no method: a snake_case method (text_to_speech is looked for
  // as Text_to_speechInput), a class field or a static method (not on App's prototype).
  const matched = new Set(found.map((f) => f.pascal));
  for (const key of Object.keys(ns).sort()) {
    const pascal = key.endsWith("Input") ? key.slice(0, -"Input".length) : "";
    if (!pascal || matched.has(pascal) || !isZodSchema(ns[key]) || !isZodSchema(ns[`${pascal}Output`])) continue;
    const method = pascal[0].toLowerCase() + pascal.slice(1);
    if (methodNames(App).includes(method)) continue;  // lifecycle or private: not a function by choice
    warnings.push({
      message: `${pascal}Input and ${pascal}Output match no method of App (${method}() is looked for${whyNot(source, method)})`,
      file: entrypoint,
      line: exportLine(source, `${pascal}Input`),
    });
  }
  if (found.length === 0) {
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
  return found;
}

/** Why `name` written in the source is not a method of App's prototype ("" when it is not written). */
function whyNot(source, name) {
  const escaped = name.replace(/[$]/g, "\\$");
  if (new RegExp(`\\bstatic\\s+(?:async\\s+)?\\*?\\s*${escaped}\\s*\\(`).test(source)) {
    return `; static ${name}() is the class's, not its instances'`;
  }
  if (new RegExp(`(?:^|[;{}\\s])${escaped}\\s*=\\s*(?:async\\b|\\(|function\\b)`, "m").test(source)) {
    return `; a class field ${name} = ... is no method: write async ${name}(inputData) { ... }`;
  }
  return "";
}

/** The setup config's schema (an exported `AppSetup`), or null. */
export function setupSchemaOf(ns, entrypoint, source) {
  return exportedSchema(ns, "AppSetup", "setup", entrypoint, source);
}
