// The Node.js runner of `schemagen serve`: one long-lived node process that
// imports a Node.js app for real and runs its functions, one task at a time,
// for the Python server (schemagen/serve/node.py).
//
// Started as `node --preserve-symlinks serve.mjs CONFIG` in the app folder,
// CONFIG being {"socket", "appDir", "entrypoint", "maxInstances"}. Nothing is
// stubbed or vendored here: the app's imports resolve as Node resolves them
// (its own node_modules). The runner connects to the Unix socket the server
// listens on; both directions carry one JSON document per line:
//
//   runner -> server, once:  {"event": "ready", "functions": {name: {"streaming",
//                              "socket", "input_schema", "output_schema"}}, "setup"}
//                         or {"event": "failed", "error": {kind, message, file, line, hint}}
//   server -> runner:        {"op": "run", "id", "function", "input", "setup", "metadata"}
//                            {"op": "cancel", "id"}      {"op": "unload"}
//   runner -> server:        {"id", "event": "log", "text"}   a line the app printed
//                            {"id", "event": "setup", "setups"}   an instance was set up
//                            {"id", "event": "output", "output", "files"}
//                            {"id", "event": "done" | "cancelled"}
//                            {"id", "event": "failed", "message"}
//                            {"event": "unloaded"}     {"event": "crashed", "message"}
//
// A task: the setup config is parsed with AppSetup and `new App()` +
// `setup(config, metadata)` run once per distinct parsed config (the least
// recently used instance is unloaded beyond maxInstances); the input is parsed
// with the function's {Pascal}Input schema (defaults filled, file fields made
// lazy Files by createFileSchema's transform, as the platform's kernel does);
// the method runs as `method(input, metadata)`; a generator's yields are its
// outputs. Outputs are not parsed: a File anywhere in them is sent as its
// JSON form, its place listed in "files" for the server to publish. Whatever
// the app prints while a task runs is also that task's log. A cancel calls the
// instance's `onCancel()`, stops reading a generator at its next yield, and
// drops what the function returns; the server kills the process if it does
// not stop in time.

import { realpathSync } from "node:fs";
import { connect } from "node:net";
import { createInterface } from "node:readline";

import {
  ChildError,
  appClassOf,
  findFunctions,
  importEntrypoint,
  setupSchemaOf,
  sourceOf,
  toJson,
} from "./app.mjs";

const CONFIG = JSON.parse(process.argv[2] ?? "{}");
const channel = connect(CONFIG.socket);
channel.setEncoding("utf8");

function reply(message) {
  channel.write(JSON.stringify(message) + "\n");
}

/** A task's failure, its message what the task's `error` says. */
class TaskFailure extends Error {}

// ---------------------------------------------------------------- the app's output

let current = null; // the task running now: {id, cancelled, instance, pending}

function logLines(task, text) {
  task.pending += text;
  for (let end = task.pending.indexOf("\n"); end >= 0; end = task.pending.indexOf("\n")) {
    reply({ id: task.id, event: "log", text: task.pending.slice(0, end).replace(/\r$/, "") });
    task.pending = task.pending.slice(end + 1);
  }
}

function flushLog(task) {
  if (task.pending) reply({ id: task.id, event: "log", text: task.pending });
  task.pending = "";
}

// What the app writes still reaches the terminal; while a task runs it is also its log.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    if (current) logLines(current, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return write(chunk, ...rest);
  };
}

// ---------------------------------------------------------------- values

function describe(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function issues(error) {
  const list = error?.issues ?? [];
  if (list.length === 0) return String(error?.message ?? error);
  return list.map((i) => `${(i.path ?? []).join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** JSON with sorted keys: the identity of a setup config. */
function canonical(value) {
  return JSON.stringify(value, (key, item) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** A File of any copy of @inferencesh/app (the app's own, or one a helper package brings). */
function isFile(value) {
  return (
    typeof value?.getPath === "function" &&
    typeof value?.toJSON === "function" &&
    typeof value?.isLocal === "function"
  );
}

/** `value` as JSON data (as JSON.stringify would write it); `files` gets the pointer of each File. */
function wire(value, pointer, files, seen = new Set()) {
  if (typeof value === "bigint") throw new TypeError(`${pointer || "the output"} is a BigInt`);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) throw new TypeError(`${pointer || "the output"} refers to itself`);
  if (isFile(value)) {
    files.push(pointer);
    return value.toJSON();
  }
  if (typeof value.toJSON === "function") return wire(value.toJSON(), pointer, files, seen);
  seen.add(value);
  let out;
  if (Array.isArray(value)) {
    out = value.map((item, i) => {
      const dropped = item === undefined || typeof item === "function" || typeof item === "symbol";
      return dropped ? null : wire(item, `${pointer}/${i}`, files, seen);
    });
  } else {
    out = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      out[key] = wire(item, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, files, seen);
    }
  }
  seen.delete(value);
  return out;
}

// ---------------------------------------------------------------- the app

let App = null;
let AppSetup = null;
const functions = new Map();
const instances = new Map(); // setup key -> instance, the least recently used first
let setups = 0;

async function load() {
  const appDir = realpathSync(CONFIG.appDir);
  const entrypoint = CONFIG.entrypoint;
  const ns = await importEntrypoint(appDir, entrypoint);
  const source = sourceOf(entrypoint);
  App = appClassOf(ns, entrypoint);
  const described = {};
  const ignored = [];
  for (const fn of findFunctions(ns, App, entrypoint, source, ignored)) {
    functions.set(fn.name, fn);
    described[fn.name] = {
      streaming: fn.streaming,
      socket: fn.socket,
      input_schema: toJson(fn.input, `${fn.pascal}Input`, `input of ${fn.name}`, ignored, entrypoint, source),
      output_schema: toJson(fn.output, `${fn.pascal}Output`, `output of ${fn.name}`, ignored, entrypoint, source),
    };
  }
  AppSetup = setupSchemaOf(ns, entrypoint, source);
  const setup = AppSetup ? toJson(AppSetup, "AppSetup", "setup", ignored, entrypoint, source) : null;
  return { functions: described, setup };
}

async function unload(instance) {
  if (typeof instance?.unload !== "function") return;
  try {
    await instance.unload();
  } catch (error) {
    process.stderr.write(`schemagen: the app's unload() raised ${describe(error)}\n`);
  }
}

async function instanceFor(task, setup, metadata) {
  let config = setup ?? {};
  let key = "";
  if (AppSetup) {
    const parsed = await AppSetup.safeParseAsync(setup ?? {});
    if (!parsed.success) throw new TaskFailure(`invalid setup: ${issues(parsed.error)}`);
    config = parsed.data;
    key = canonical(config);
  }
  if (instances.has(key)) {
    const instance = instances.get(key);
    instances.delete(key);
    instances.set(key, instance);
    return instance;
  }
  while (CONFIG.maxInstances && instances.size >= CONFIG.maxInstances) {
    const [oldest, instance] = instances.entries().next().value;
    instances.delete(oldest);
    await unload(instance);
  }
  const instance = new App();
  reply({ id: task.id, event: "log", text: "setting up" + (key ? ` with ${key}` : "") });
  if (typeof instance.setup === "function") {
    try {
      await instance.setup(config, metadata);
    } catch (error) {
      throw new TaskFailure(`setup failed: ${describe(error)}`);
    }
  }
  setups += 1;
  reply({ id: task.id, event: "setup", setups });
  instances.set(key, instance);
  return instance;
}

function sendOutput(task, value) {
  const files = [];
  let output;
  try {
    output = wire(value === undefined ? null : value, "", files);
  } catch (error) {
    throw new TaskFailure(`the output cannot be sent as JSON: ${error.message}`);
  }
  reply({ id: task.id, event: "output", output, files });
}

async function execute(task, request) {
  const fn = functions.get(request.function);
  if (!fn) throw new TaskFailure(`the app has no function '${request.function}'`);
  if (fn.socket) {
    throw new TaskFailure(
      `${fn.name} is a stream function (it takes a socket), which schemagen serve does not run`,
    );
  }
  const metadata = { ...request.metadata };
  task.instance = await instanceFor(task, request.setup, metadata);
  if (task.cancelled) return;
  const parsed = await fn.input.safeParseAsync(request.input ?? {});
  if (!parsed.success) throw new TaskFailure(`invalid input: ${issues(parsed.error)}`);
  let result;
  try {
    result = task.instance[fn.name](parsed.data, metadata);
    if (fn.streaming) {
      for await (const item of result) {
        if (task.cancelled) break;
        sendOutput(task, item);
        if (task.cancelled) break;
      }
    } else {
      const value = await result;
      if (!task.cancelled) sendOutput(task, value);
    }
  } catch (error) {
    if (error instanceof TaskFailure) throw error;
    throw new TaskFailure(describe(error));
  }
}

// Tasks cancelled before they started here (a cancel read in the same chunk as its run).
const cancelledEarly = new Set();

async function run(request) {
  const task = { id: request.id, cancelled: cancelledEarly.delete(request.id), instance: null, pending: "" };
  current = task;
  if (task.cancelled) {
    current = null;
    reply({ id: task.id, event: "cancelled" });
    return;
  }
  let ending;
  try {
    await execute(task, request);
    ending = { id: task.id, event: task.cancelled ? "cancelled" : "done" };
  } catch (error) {
    const message = error instanceof TaskFailure ? error.message : `schemagen's runner failed: ${describe(error)}`;
    ending = task.cancelled ? { id: task.id, event: "cancelled" } : { id: task.id, event: "failed", message };
  } finally {
    flushLog(task);
    current = null;
  }
  reply(ending);
}

async function cancel(id) {
  const task = current;
  if (!task || task.id !== id) {
    cancelledEarly.add(id);
    return;
  }
  if (task.cancelled) return;
  task.cancelled = true;
  if (typeof task.instance?.onCancel === "function") {
    try {
      await task.instance.onCancel();
    } catch (error) {
      process.stderr.write(`schemagen: the app's onCancel() raised ${describe(error)}\n`);
    }
  }
}

async function unloadAll() {
  while (instances.size > 0) {
    const [key, instance] = instances.entries().next().value;
    instances.delete(key);
    await unload(instance);
  }
}

// ---------------------------------------------------------------- the channel

function crashed(error) {
  process.stderr.write(`${error?.stack ?? describe(error)}\n`);
  channel.write(JSON.stringify({ event: "crashed", message: describe(error) }) + "\n", () => process.exit(1));
}

async function main() {
  try {
    reply({ event: "ready", ...(await load()) });
  } catch (error) {
    const fields =
      error instanceof ChildError
        ? error.fields
        : { kind: "internal", message: `schemagen's runner failed: ${describe(error)}`, detail: String(error?.stack) };
    channel.end(JSON.stringify({ event: "failed", error: fields }) + "\n", () => process.exit(0));
    return;
  }
  process.on("uncaughtException", crashed);
  process.on("unhandledRejection", crashed);
  let queue = Promise.resolve();
  const requests = createInterface({ input: channel });
  requests.on("line", (line) => {
    const request = JSON.parse(line);
    if (request.op === "run") queue = queue.then(() => run(request));
    else if (request.op === "cancel") cancel(request.id);
    else if (request.op === "unload") {
      unloadAll().then(() => channel.end(JSON.stringify({ event: "unloaded" }) + "\n", () => process.exit(0)));
    }
  });
  // The server is gone: unload, then leave.
  requests.on("close", () => unloadAll().then(() => process.exit(0)));
}

channel.on("connect", main);
channel.on("error", (error) => {
  process.stderr.write(`schemagen: the runner lost the server: ${error.message}\n`);
  process.exit(1);
});
