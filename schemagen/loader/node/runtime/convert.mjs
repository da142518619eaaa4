// zod schema -> JSON Schema, by the platform's rules (docs/node-apps.md).
//
// The platform converts an app's zod schemas with its own converter (the
// kernel's zodToJsonSchema), which reads `_def` by duck typing so that zod 3
// and zod 4 give the same files. This one does the same: one function per
// zod type family, dispatched on `_def.typeName` (zod 3) or `_def.type`
// (zod 4), writing a type's shape and never its checks. Key order follows
// from building each object in JavaScript, as the platform's converter does.

import { stubModuleOf } from "./stub.mjs";

const FILE_MARKER = Symbol.for("inferencesh.fileSchema");
const STREAM_MARKER = Symbol.for("inferencesh.streamSchema");
const BINARY_MARKER = Symbol.for("inferencesh.binarySchema");

/** A schema the platform's files cannot describe: reported with the field it is at. */
export class SchemaError extends Error {
  constructor(message, { stub = null } = {}) {
    super(message);
    this.stub = stub;
  }
}

const own = (def, key) => Object.prototype.hasOwnProperty.call(def, key);

/** zod 3 `typeName` ("ZodString") and zod 4 `type` ("string") as one name: "string". */
function kindOf(def) {
  if (typeof def.typeName === "string") {
    return def.typeName.replace(/^Zod/, "").replace(/^[A-Z]/, (c) => c.toLowerCase());
  }
  return typeof def.type === "string" ? def.type : null;
}

/** A schema's definition: `_def` (zod 3, zod 4 classic), else `_zod.def` (zod 4 mini). */
function defOf(schema) {
  return schema._def ?? schema._zod?.def;
}

export function isZodSchema(value) {
  if (stubModuleOf(value) !== null || value === null || typeof value !== "object") return false;
  const def = defOf(value);
  return def !== null && typeof def === "object" && kindOf(def) !== null;
}

/** A schema's description: zod 3's `description`, zod 4's global registry (`.describe()`,
 * `.meta()`, and mini's `z.describe()` check all write there). */
function descriptionOf(schema) {
  if (schema.description !== undefined) return schema.description;
  return globalThis.__zod_globalRegistry?.get?.(schema)?.description;
}

/** Whether a field may be left out of an object: optional, defaulted, or a live field. */
export function isOptionalField(schema, seen = new Set()) {
  if (!isZodSchema(schema) || seen.has(schema)) return false;
  seen.add(schema);
  const def = defOf(schema);
  if (own(def, STREAM_MARKER)) return true;
  switch (kindOf(def)) {
    case "optional":
    case "default":
    case "prefault":
    case "catch":
      return true;
    case "nullable":
    case "readonly":
      return isOptionalField(def.innerType, seen);
    case "branded":
      return isOptionalField(def.type, seen);
    case "effects":
      return isOptionalField(def.schema, seen);
    case "pipeline":
    case "pipe":
      return isOptionalField(def.in, seen);
    case "lazy":
      return isOptionalField(def.getter(), seen);
    default:
      return false;
  }
}

/**
 * Convert one exported schema. `where` names it in messages ("RunInput"),
 * `warn(path, message)` collects what is written as `{}` for want of a rule.
 */
export function convertSchema(schema, { where, warn }) {
  const state = { warn, active: new Map(), defs: new Map(), names: new Set() };
  const root = convert(schema, where, state, "");
  if (state.defs.size === 0) return root;
  const defs = {};
  for (const entry of [...state.defs.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    defs[entry.name] = entry.json;
  }
  return { ...root, $defs: defs };
}

function fail(path, what, value) {
  const module = stubModuleOf(value);
  if (module !== null) {
    const verb = what.endsWith("members") ? "come" : "comes";
    throw new SchemaError(`${path}: its ${what} ${verb} from the stubbed module '${module}'`, {
      stub: module,
    });
  }
}

/** `value` as JSON data, refusing a stub anywhere inside it. */
function jsonValue(value, path, what) {
  const walk = (v, seen) => {
    fail(path, what, v);
    if (v !== null && typeof v === "object") {
      if (seen.has(v)) throw new SchemaError(`${path}: its ${what} refers to itself`);
      seen.add(v);
      for (const item of Object.values(v)) walk(item, seen);
      seen.delete(v);
    }
  };
  walk(value, new Set());
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function pascal(text) {
  const words = String(text).split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join("") || "Schema";
}

function convert(schema, path, state, key) {
  fail(path, "type", schema);
  if (!isZodSchema(schema)) {
    throw new SchemaError(`${path}: not a zod schema (${schema === null ? "null" : typeof schema})`);
  }
  // A schema met again inside itself (z.lazy recursion) is a $ref to a $defs entry.
  const active = state.active.get(schema);
  if (active) {
    if (!active.name) {
      let name = pascal(active.key || path.split(".")[0]);
      for (let i = 2; state.names.has(name); i++) name = `${pascal(active.key || path)}${i}`;
      state.names.add(name);
      active.name = name;
    }
    return { $ref: `#/$defs/${active.name}` };
  }
  const entry = { key, name: null };
  state.active.set(schema, entry);
  let json;
  try {
    json = convertDef(schema, path, state, key);
  } finally {
    state.active.delete(schema);
  }
  const description = descriptionOf(schema);
  fail(path, "description", description);
  if (typeof description === "string") json.description = description;
  if (entry.name) {
    state.defs.set(schema, { name: entry.name, json });
    return { $ref: `#/$defs/${entry.name}` };
  }
  return json;
}

function convertDef(schema, path, state, key) {
  const def = defOf(schema);
  if (own(def, FILE_MARKER) && def[FILE_MARKER]) return { type: "string", format: "file" };
  if (own(def, STREAM_MARKER)) {
    return {
      type: "array",
      format: "stream",
      items: convert(def[STREAM_MARKER], `${path}[]`, state, key),
    };
  }
  if (own(def, BINARY_MARKER) && typeof def[BINARY_MARKER] === "string") {
    return { type: "string", format: "binary", contentMediaType: def[BINARY_MARKER] };
  }
  const kind = kindOf(def);
  switch (kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return { type: kind };
    case "any":
    case "unknown":
    case "custom":
      return {};
    case "never":
      return { not: {} };
    case "object":
      return convertObject(def, path, state);
    case "array":
      return { type: "array", items: convert(def.element ?? def.type, `${path}[]`, state, key) };
    case "tuple":
      return convertTuple(def, path, state, key);
    case "record":
      return {
        type: "object",
        additionalProperties: convert(def.valueType, `${path}{}`, state, key),
      };
    case "enum":
    case "nativeEnum":
      return convertEnum(def, path);
    case "literal":
      return convertLiteral(def, path);
    case "union":
    case "discriminatedUnion":
      return { anyOf: options(def.options, path).map((o, i) => convert(o, `${path}|${i}`, state, key)) };
    case "intersection":
      return {
        allOf: [convert(def.left, `${path}&0`, state, key), convert(def.right, `${path}&1`, state, key)],
      };
    case "optional":
    case "catch":
    case "readonly":
    case "nonoptional":
    case "prefault":
      return convert(def.innerType, path, state, key);
    case "nullable":
      return { anyOf: [convert(def.innerType, path, state, key), { type: "null" }] };
    case "default": {
      const inner = convert(def.innerType, path, state, key);
      const value = typeof def.defaultValue === "function" ? def.defaultValue() : def.defaultValue;
      const data = jsonValue(value, path, "default");
      return data === undefined ? inner : { ...inner, default: data };
    }
    case "branded":
      return convert(def.type, path, state, key);
    case "effects":
      return convert(def.schema, path, state, key);
    case "pipeline":
    case "pipe": {
      // zod 4's transform is pipe(in, transform), its preprocess pipe(transform, out):
      // the JSON a caller sends is what the side that is not a transform parses.
      const first = def.in;
      const side = isZodSchema(first) && kindOf(defOf(first)) === "transform" ? def.out : first;
      return convert(side, path, state, key);
    }
    case "lazy":
      return convert(def.getter(), path, state, key);
    default:
      state.warn(path, `zod type '${kind}' has no JSON Schema in the platform's converter; written as {} (any value)`);
      return {};
  }
}

function options(list, path) {
  fail(path, "options", list);
  return Array.isArray(list) ? list : [...(list?.values?.() ?? [])];
}

function convertObject(def, path, state) {
  const shape = typeof def.shape === "function" ? def.shape() : def.shape;
  fail(path, "shape", shape);
  const properties = {};
  const required = [];
  for (const [name, field] of Object.entries(shape ?? {})) {
    const at = `${path}.${name}`;
    // Defined, not assigned: a field named __proto__ is a property, not the object's prototype.
    const value = convert(field, at, state, name);
    Object.defineProperty(properties, name, { value, enumerable: true, writable: true, configurable: true });
    if (!isOptionalField(field)) required.push(name);
  }
  const json = { type: "object", properties };
  if (required.length > 0) json.required = required;
  return json;
}

function convertTuple(def, path, state, key) {
  fail(path, "items", def.items);
  const items = def.items.map((item, i) => convert(item, `${path}[${i}]`, state, key));
  const json = { type: "array", prefixItems: items, minItems: items.length };
  if (isZodSchema(def.rest)) json.items = convert(def.rest, `${path}[]`, state, key);
  else json.maxItems = items.length;
  return json;
}

function enumValues(def, path) {
  if (Array.isArray(def.values)) return def.values;
  const object = def.entries ?? def.values;
  fail(path, "enum members", object);
  // A numeric TypeScript enum maps names to numbers and numbers back to names.
  return Object.keys(object)
    .filter((k) => typeof object[object[k]] !== "number")
    .map((k) => object[k]);
}

function typeOfValues(values) {
  const types = [...new Set(values.map((v) => (v === null ? "null" : typeof v)))];
  return types.length === 1 ? types[0] : types;
}

function convertEnum(def, path) {
  const values = enumValues(def, path).map((v) => jsonValue(v, path, "enum members"));
  return { type: typeOfValues(values), enum: values };
}

function convertLiteral(def, path) {
  const raw = Array.isArray(def.values) ? def.values : [def.value];
  const values = raw.map((v) => jsonValue(v, path, "literal value"));
  if (values.length === 1) {
    const [value] = values;
    if (value === null) return { type: "null" };
    if (value === undefined) return {};
    return { type: typeof value, const: value };
  }
  return { type: typeOfValues(values), enum: values };
}
