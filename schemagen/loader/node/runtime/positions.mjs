// Where a Node.js app declares what its schemas describe: the file and line of
// each function (its method in the App class), of each exported zod schema
// (`export const RunInput = ...`, CommonJS's `exports.RunInput = ...` and
// `module.exports = { RunInput: ... }`) and of each property of its object
// (`prompt: z.string()`), for `schemagen diff`'s annotations. The reply's
// `sources`, in the shape of the Python child's (loader/child/positions.py).
//
// Read from the source text, not the values: a small JavaScript tokenizer
// (strings, template literals, comments and regular expressions skipped) finds
// a schema's declaration by name in the entrypoint, following `export { A as
// B }`, re-exports and imports of the app's own files (relative specifiers,
// by the path they were imported from, so a linked helper is inside the app).
// A property is a key of an object literal given to `object(`,
// `strictObject(`, `looseObject(`, `extend(` or `safeExtend(` in the
// declaration (`get key()` too, zod 4's recursive getters), or of a schema
// it spreads (`...Base.shape`) or extends (`Base.extend({...})`) declared in
// the same file. A recursive schema's `$defs` entry is placed at the schema of
// its name in that file. Only files inside the app folder are recorded.

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

// ---------------------------------------------------------------- tokens

const REGEX_AFTER_WORD = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
  "case", "do", "else", "yield", "await",
]); // prettier-ignore

/** The index just after the `}` closing a template's `${`, from `i` (inside it). */
function skipExpression(src, i) {
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'") i = skipString(src, i);
    else if (c === "`") i = skipTemplate(src, i);
    else if (c === "/" && src[i + 1] === "/") i = src.indexOf("\n", i) < 0 ? src.length : src.indexOf("\n", i);
    else if (c === "/" && src[i + 1] === "*") i = src.indexOf("*/", i + 2) < 0 ? src.length : src.indexOf("*/", i + 2) + 2;
    else if (c === "{") (depth += 1), (i += 1);
    else if (c === "}") {
      if (depth === 0) return i + 1;
      depth -= 1;
      i += 1;
    } else i += 1;
  }
  return i;
}

function skipString(src, i) {
  const quote = src[i];
  for (i += 1; i < src.length; i++) {
    if (src[i] === "\\") i += 1;
    else if (src[i] === quote || src[i] === "\n") return i + 1;
  }
  return i;
}

function skipTemplate(src, i) {
  for (i += 1; i < src.length; i++) {
    if (src[i] === "\\") i += 1;
    else if (src[i] === "`") return i + 1;
    else if (src[i] === "$" && src[i + 1] === "{") i = skipExpression(src, i + 2) - 1;
  }
  return i;
}

function skipRegex(src, i) {
  let inClass = false;
  for (i += 1; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i += 1;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) break;
    else if (c === "\n") return i;
  }
  i += 1;
  while (i < src.length && /[a-z]/i.test(src[i])) i += 1;
  return i;
}

/** The tokens of `src`: {type: "word" | "string" | "punct" | "other", value, at}. */
export function tokenize(src) {
  const tokens = [];
  let i = 0;
  const push = (type, value, at) => tokens.push({ type, value, at });
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      i = end < 0 ? src.length : end;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      const end = skipString(src, i);
      push("string", src.slice(i + 1, end - 1), i);
      i = end;
    } else if (c === "`") {
      const end = skipTemplate(src, i);
      push("other", "`", i);
      i = end;
    } else if (/[A-Za-z_$#\u0080-\uffff]/.test(c)) {
      const match = /^[#\w$\u0080-\uffff]+/.exec(src.slice(i, i + 256));
      push("word", match[0], i);
      i += match[0].length;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const match = /^[\w.]+/.exec(src.slice(i, i + 256));
      push("other", match[0], i);
      i += match[0].length;
    } else if (c === "/") {
      const previous = tokens[tokens.length - 1];
      const regex =
        !previous ||
        (previous.type === "punct" && !")]}".includes(previous.value)) ||
        (previous.type === "word" && REGEX_AFTER_WORD.has(previous.value));
      if (regex) {
        const end = skipRegex(src, i);
        push("other", "/regex/", i);
        i = end;
      } else {
        push("punct", "/", i);
        i += 1;
      }
    } else if (src.startsWith("...", i)) {
      push("punct", "...", i);
      i += 3;
    } else {
      push("punct", c, i);
      i += 1;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------- files

const parsed = new Map();

/** A file's source, tokens and line lookup (null when it cannot be read). */
function parse(file) {
  if (!parsed.has(file)) {
    let source = null;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      source = null;
    }
    if (source === null) parsed.set(file, null);
    else {
      const starts = [0];
      for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
      const line = (at) => {
        let low = 0;
        let high = starts.length - 1;
        while (low < high) {
          const mid = (low + high + 1) >> 1;
          if (starts[mid] <= at) low = mid;
          else high = mid - 1;
        }
        return low + 1;
      };
      parsed.set(file, { source, tokens: tokenize(source), line });
    }
  }
  return parsed.get(file);
}

/** The file a relative specifier of `from` names, as Node would find it (or null). */
function resolveRelative(from, specifier) {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return null;
  const base = join(dirname(from), specifier);
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, join(base, "index.js")]) {
    try {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    } catch {
      // unreadable: try the next
    }
  }
  return null;
}

// ---------------------------------------------------------------- declarations

const DECLARES = new Set(["const", "let", "var"]);
const SHAPE_CALLS = new Set(["object", "strictObject", "looseObject", "extend", "safeExtend"]);
const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);
const STATEMENT = new Set(["export", "import", "const", "let", "var", "class", "function"]);

/** The brace/bracket depth of each token (depth before an opener, after a closer). */
function depths(tokens) {
  const out = new Array(tokens.length);
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "punct" && CLOSE.has(t.value)) depth -= 1;
    out[i] = depth;
    if (t.type === "punct" && OPEN.has(t.value)) depth += 1;
  }
  return out;
}

function depthOf(file) {
  const info = parse(file);
  info.depths ??= depths(info.tokens);
  return info.depths;
}

/** The names a `{ a, b as c }` list binds: [[imported, local], ...]; `i` at the `{`. */
function nameList(tokens, i) {
  const names = [];
  for (i += 1; i < tokens.length && tokens[i].value !== "}"; i++) {
    const t = tokens[i];
    if (t.type !== "word" && t.type !== "string") continue;
    if (t.value === "type") continue;
    if (tokens[i + 1]?.value === "as" && tokens[i + 2]) {
      names.push([t.value, tokens[i + 2].value]);
      i += 2;
    } else names.push([t.value, t.value]);
  }
  return { names, end: i };
}

/** Where `name` is declared, from `file` on: {file, start (the initializer's first token), line}. */
function declaration(file, name, seen = new Set()) {
  const key = `${file}\0${name}`;
  const info = parse(file);
  if (!info || seen.has(key)) return null;
  seen.add(key);
  const { tokens } = info;
  const depth = depthOf(file);
  // const NAME = ... at the top level
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (depth[i] !== 0 || tokens[i].type !== "word" || !DECLARES.has(tokens[i].value)) continue;
    if (tokens[i + 1].value === name && tokens[i + 2].value === "=") {
      const statement = tokens[i - 1]?.value === "export" ? tokens[i - 1] : tokens[i];
      return { file, start: i + 3, line: info.line(statement.at) };
    }
  }
  // CommonJS: exports.NAME = ..., module.exports.NAME = ..., module.exports = { NAME: ..., NAME }
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (depth[i] !== 0 || tokens[i].type !== "word" || tokens[i - 1]?.value === ".") continue;
    let j = -1;
    if (tokens[i].value === "module" && tokens[i + 1].value === "." && tokens[i + 2].value === "exports") j = i + 3;
    else if (tokens[i].value === "exports") j = i + 1;
    if (j < 0) continue;
    const assigns = (k) => tokens[k]?.value === "=" && tokens[k + 1]?.value !== "=";
    if (tokens[j]?.value === "." && tokens[j + 1]?.value === name && assigns(j + 2)) {
      return { file, start: j + 3, line: info.line(tokens[i].at) };
    }
    if (!assigns(j) || tokens[j + 1]?.value !== "{") continue;
    for (let k = j + 2; k < tokens.length && depth[k] >= 1; k++) {
      const key = tokens[k];
      if (depth[k] !== 1 || key.value !== name || (key.type !== "word" && key.type !== "string")) continue;
      const previous = tokens[k - 1]?.value;
      if (previous !== "{" && previous !== ",") continue; // a key starts an entry
      // NAME: ... (a shorthand { NAME } is a const of this file, found above)
      if (tokens[k + 1]?.value === ":") return { file, start: k + 2, line: info.line(key.at) };
    }
  }
  // export { A as NAME } [from "./x"], import { A as NAME } from "./x", export * from "./x"
  for (let i = 0; i < tokens.length; i++) {
    if (depth[i] !== 0 || tokens[i].type !== "word") continue;
    const word = tokens[i].value;
    if ((word === "export" || word === "import") && tokens[i + 1]?.value === "{") {
      const { names, end } = nameList(tokens, i + 1);
      const from = tokens[end + 1]?.value === "from" ? tokens[end + 2]?.value : null;
      for (const [imported, local] of names) {
        if (local !== name) continue;
        if (from !== null) {
          const target = resolveRelative(file, from);
          const found = target ? declaration(target, imported, seen) : null;
          if (found) return found;
        } else if (word === "export" && imported !== name) {
          const found = declaration(file, imported, seen);
          if (found) return found;
        }
      }
    } else if (word === "export" && tokens[i + 1]?.value === "*" && tokens[i + 2]?.value === "from") {
      const target = resolveRelative(file, tokens[i + 3]?.value ?? "");
      const found = target ? declaration(target, name, seen) : null;
      if (found) return found;
    }
  }
  return null;
}

/** The end (exclusive) of the initializer starting at `start`: a `;` or `,` at its depth,
 * the end of the enclosing block, or a new top-level statement on a later line. */
function initializerEnd(file, start) {
  const { tokens, line } = parse(file);
  const depth = depthOf(file);
  const base = depth[start] ?? 0;
  for (let i = start; i < tokens.length; i++) {
    if (depth[i] < base) return i;
    if (depth[i] !== base) continue;
    const t = tokens[i];
    if (t.type === "punct" && (t.value === ";" || t.value === ",")) return i;
    if (i > start && t.type === "word" && STATEMENT.has(t.value) && line(t.at) > line(tokens[i - 1].at)) {
      return i;
    }
  }
  return tokens.length;
}

/** The property lines of the schema declared at `decl` (in `decl.file`): name -> line. */
function fieldLines(decl, seen = new Set()) {
  const { file, start } = decl;
  const key = `${file}\0${start}`;
  if (seen.has(key)) return {};
  seen.add(key);
  const { tokens, line } = parse(file);
  const depth = depthOf(file);
  const end = initializerEnd(file, start);
  const fields = {};
  const inherit = (name) => {
    const base = declaration(file, name);
    if (base && base.file === file) Object.assign(fields, fieldLines(base, seen));
  };
  // Base.extend({...}), Base.describe(...): Base's fields, then this declaration's.
  if (tokens[start]?.type === "word" && tokens[start + 1]?.value === ".") inherit(tokens[start].value);
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    const isShape =
      t.value === "{" &&
      tokens[i - 1]?.value === "(" &&
      tokens[i - 2]?.type === "word" &&
      SHAPE_CALLS.has(tokens[i - 2].value);
    if (!isShape) continue;
    const inside = depth[i] + 1;
    for (let j = i + 1; j < end && depth[j] >= inside; j++) {
      if (depth[j] !== inside) continue;
      const k = tokens[j];
      const previous = tokens[j - 1];
      const atKey = previous.value === "{" || previous.value === ",";
      if (!atKey) continue;
      if (k.value === "...") {
        if (tokens[j + 1]?.type === "word") inherit(tokens[j + 1].value);
      } else if (k.value === "get" && tokens[j + 1]?.type === "word" && tokens[j + 2]?.value === "(") {
        fields[tokens[j + 1].value] = line(tokens[j + 1].at);
      } else if ((k.type === "word" || k.type === "string") && [":", ",", "}", "("].includes(tokens[j + 1]?.value)) {
        fields[k.value] = line(k.at); // key: value, a shorthand, a method
      }
    }
  }
  return fields;
}

// ---------------------------------------------------------------- the reply

function methodAt(method, files) {
  const text = Function.prototype.toString.call(method);
  for (const file of files) {
    const info = parse(file);
    const at = info ? info.source.indexOf(text) : -1;
    if (at >= 0) return { file, line: info.line(at) };
  }
  return null;
}

/** The app's own files the entrypoint reaches by relative imports, the entrypoint first. */
function ownFiles(entrypoint) {
  const found = [];
  const visit = (file) => {
    if (found.includes(file)) return;
    const info = parse(file);
    if (!info) return;
    found.push(file);
    const { tokens } = info;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      if (next.type !== "string") continue;
      const spec =
        t.value === "from" || (t.value === "import" && next.type === "string")
          ? next.value
          : t.value === "(" && tokens[i - 1]?.value === "import"
            ? next.value
            : null;
      const target = spec ? resolveRelative(file, spec) : null;
      if (target) visit(target);
    }
  };
  visit(entrypoint);
  return found;
}

/**
 * The `sources` of the reply: for each function its method's position and its
 * input's and output's schema ("#"), and the setup's; files relative to `appDir`.
 * A `$defs` entry (a recursive schema, named after the field it was met at) is
 * placed at the schema of that name declared in the same file, if there is one.
 * `manifest` is the reply's manifest (its schemas' `$defs`).
 */
export function appSources(appDir, entrypoint, functions, manifest) {
  const inside = (file) => {
    const path = relative(appDir, file);
    return path && !path.startsWith("..") && !path.startsWith(sep) ? path.split(sep).join("/") : null;
  };
  const entry = (decl) => ({ file: inside(decl.file), line: decl.line, fields: sortedFields(fieldLines(decl)) });
  const declared = (name, schema) => {
    const decl = declaration(entrypoint, name);
    if (!decl || !inside(decl.file)) return {};
    const found = { "#": entry(decl) };
    for (const def of Object.keys(schema?.$defs ?? {}).sort()) {
      const at = declaration(decl.file, def);
      if (at && at.file === decl.file) found[`#/$defs/${def}`] = entry(at);
    }
    return found;
  };
  const files = ownFiles(entrypoint);
  const entries = {};
  for (const fn of functions) {
    const at = methodAt(fn.method, files);
    const file = at ? inside(at.file) : null;
    const schemas = manifest.functions[fn.name];
    entries[fn.name] = {
      at: file ? { file, line: at.line } : null,
      input: declared(`${fn.pascal}Input`, schemas.input_schema),
      output: declared(`${fn.pascal}Output`, schemas.output_schema),
    };
  }
  return { functions: entries, setup: manifest.setup ? declared("AppSetup", manifest.setup) : {} };
}

function sortedFields(fields) {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
