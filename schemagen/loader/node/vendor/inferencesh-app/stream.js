/**
 * Live fields: input and output that flow over a stream function's socket.
 *
 * A stream function's input is still its input schema. Some of its fields are
 * live: their values arrive over the socket while the task runs, instead of in
 * the request body. The output schema works the same way in the other
 * direction:
 *
 * ```js
 * const TalkInput = z.object({
 *   voice: z.enum(["ara", "eve"]).default("ara"),          // ordinary: set at the start
 *   audio: createStreamSchema(z, pcm16(z, 16000)),         // live media
 *   events: createStreamSchema(z, z.union([Interrupt, UserText])), // live typed messages
 * });
 *
 * const TalkOutput = z.object({
 *   audio: createStreamSchema(z, pcm16(z, 24000)),
 *   seconds: z.number().default(0),
 * });
 * ```
 *
 * In the JSON schema a live field is an array delivered over time, marked
 * `"format": "stream"` the way a file field is marked `"format": "file"`:
 *
 * ```json
 * "audio": {"type": "array", "format": "stream",
 *           "items": {"type": "string", "format": "binary",
 *                     "contentMediaType": "audio/pcm;format=s16le;rate=16000;channels=1"}}
 * ```
 *
 * Live fields are never required, so the request body is the ordinary fields
 * only. File and stream fields are siblings: the same media, by reference or
 * live.
 *
 * On the wire:
 *
 * - a binary frame is one item of the schema's binary live field (a schema has
 *   at most one per direction, because a binary frame carries no field name);
 * - a JSON text frame is a partial object of the schema keyed by field name:
 *   `{"events": {"type": "interrupt"}}` is one item of a live field, and
 *   `{"voice": "eve"}` changes an ordinary field while the task runs.
 *
 * `Live` applies that mapping to a socket, with the schemas as the contract.
 *
 * Zod is never imported: the app's own zod (v3 or v4) is passed in, and the
 * schemas are read by duck-typing `_def`, the same way the kernel does.
 */
/**
 * Marks a live field's schema. The value on `_def` is the item schema.
 * The kernel's zodToJsonSchema reads this and emits `format: "stream"`.
 */
export const STREAM_SCHEMA_MARKER = Symbol.for("inferencesh.streamSchema");
/**
 * Marks a binary item schema. The value on `_def` is the content type.
 * The kernel's zodToJsonSchema reads this and emits
 * `{type: "string", format: "binary", contentMediaType}`.
 */
export const BINARY_SCHEMA_MARKER = Symbol.for("inferencesh.binarySchema");
/**
 * A field whose values travel over the socket while the task runs.
 *
 * Parsing always yields the placeholder `[]`, whatever the caller put in the
 * request body (items come over the socket), and a missing key parses too.
 * Read and write the items with `Live`.
 *
 * @param z the app's zod instance
 * @param item the schema of one item (`pcm16(z)`, `media(z, "image/jpeg")`, or any zod schema)
 */
export function createStreamSchema(z, item) {
    const schema = z.preprocess(() => [], z.array(item));
    schema._def[STREAM_SCHEMA_MARKER] = item;
    return schema;
}
/**
 * Binary items of a media type, e.g. `createStreamSchema(z, media(z, "image/jpeg"))`.
 * Accepts a Buffer or any Uint8Array.
 */
export function media(z, contentType) {
    const schema = z.custom((v) => v instanceof Uint8Array, {
        message: "expected binary data",
    });
    schema._def[BINARY_SCHEMA_MARKER] = contentType;
    return schema;
}
/**
 * Raw 16-bit little-endian PCM audio. One frame is one chunk of samples;
 * 20 ms (`rate / 50` samples) is the usual size for live audio.
 */
export function pcm16(z, rate = 16000, channels = 1) {
    return media(z, `audio/pcm;format=s16le;rate=${rate};channels=${channels}`);
}
// --- schema walking (zod v3 and v4 `_def` shapes) ---------------------------
/** Inner schemas of a wrapper def, in the order worth checking. */
function innerSchemas(def) {
    const out = [];
    // v3 + v4: optional / default / nullable / catch / readonly
    if (def.innerType)
        out.push(def.innerType);
    // v3: effects (preprocess / transform / refine), v4: some wrappers
    if (def.schema)
        out.push(def.schema);
    if (def.inner)
        out.push(def.inner);
    // v4: pipe (preprocess, transform) — in, then out
    if (def.in)
        out.push(def.in);
    if (def.out)
        out.push(def.out);
    return out;
}
/** The marker's value on the schema or any schema it wraps, or undefined. */
function findMarker(schema, marker, seen = new Set()) {
    if (!schema || typeof schema !== "object" || seen.has(schema))
        return undefined;
    seen.add(schema);
    const def = schema._def;
    if (!def || typeof def !== "object")
        return undefined;
    if (Object.prototype.hasOwnProperty.call(def, marker))
        return def[marker];
    for (const inner of innerSchemas(def)) {
        const found = findMarker(inner, marker, seen);
        if (found !== undefined)
            return found;
    }
    return undefined;
}
/** The fields of a zod object schema. v3: `_def.shape()`, v4: `_def.shape`. */
function shapeOf(objectSchema) {
    const def = objectSchema?._def;
    if (!def)
        throw new TypeError("expected a zod object schema");
    const shape = typeof def.shape === "function" ? def.shape() : def.shape;
    if (!shape || typeof shape !== "object")
        throw new TypeError("expected a zod object schema");
    return shape;
}
function isBinaryItem(item) {
    return typeof findMarker(item, BINARY_SCHEMA_MARKER) === "string";
}
/** The object schema's live fields and their item schemas. */
export function liveFields(objectSchema) {
    const found = {};
    for (const [name, field] of Object.entries(shapeOf(objectSchema))) {
        const item = findMarker(field, STREAM_SCHEMA_MARKER);
        if (item !== undefined)
            found[name] = item;
    }
    return found;
}
/**
 * The object schema's binary live field, or null. More than one is an error:
 * a binary frame carries no field name.
 */
export function binaryField(objectSchema) {
    const names = Object.entries(liveFields(objectSchema))
        .filter(([, item]) => isBinaryItem(item))
        .map(([name]) => name);
    if (names.length > 1) {
        throw new TypeError(`the schema has ${names.length} binary live fields (${names.join(", ")}); ` +
            "a schema can have one per direction because a binary frame carries no field name");
    }
    return names[0] ?? null;
}
// --- frames -----------------------------------------------------------------
function isBinaryFrame(frame) {
    return frame instanceof Uint8Array || frame instanceof ArrayBuffer;
}
function toBuffer(value) {
    if (Buffer.isBuffer(value))
        return value;
    if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof ArrayBuffer)
        return Buffer.from(value);
    throw new TypeError("a binary field takes a Buffer, Uint8Array or ArrayBuffer");
}
function firstIssue(result) {
    const issue = result?.error?.issues?.[0];
    return (issue && issue.message) || String(result?.error ?? "invalid value");
}
/**
 * A socket read and written through the function's schemas.
 *
 * ```js
 * async talk(inputData, socket) {
 *   const live = new Live(socket, inputData, TalkInput, TalkOutput);
 *   for await (const update of live) {
 *     if (update.field === "audio") {
 *       await live.send({ audio: process(update.value, inputData.voice) });
 *     } else if (update.field === "events") {
 *       ...                      // update.value is an Interrupt or a UserText
 *     }
 *     // an ordinary field (voice) is already set on inputData
 *   }
 *   return { seconds: ... };
 * }
 * ```
 *
 * A frame that does not fit the input schema is answered with
 * `{"error": {"field": ..., "message": ...}}` and skipped; the stream goes on.
 */
export class Live {
    socket;
    input;
    inShape;
    inLive;
    inBinary;
    outShape;
    outBinary;
    constructor(socket, inputData, inputSchema, outputSchema) {
        this.socket = socket;
        this.input = inputData;
        this.inShape = shapeOf(inputSchema);
        this.inLive = liveFields(inputSchema);
        this.inBinary = binaryField(inputSchema);
        this.outShape = shapeOf(outputSchema);
        this.outBinary = binaryField(outputSchema);
    }
    async *[Symbol.asyncIterator]() {
        for await (const frame of this.frames()) {
            for (const update of await this.read(frame))
                yield update;
        }
    }
    async *frames() {
        const socket = this.socket;
        if (typeof socket[Symbol.asyncIterator] === "function") {
            for await (const frame of socket)
                yield frame;
            return;
        }
        for (;;) {
            const frame = await socket.recv();
            if (frame == null)
                return;
            yield frame;
        }
    }
    async read(frame) {
        if (isBinaryFrame(frame)) {
            if (this.inBinary === null) {
                await this.refuse(null, "this function takes no binary frames");
                return [];
            }
            return [{ field: this.inBinary, value: toBuffer(frame) }];
        }
        let patch;
        try {
            patch = typeof frame === "string" ? JSON.parse(frame) : frame;
        }
        catch {
            patch = undefined;
        }
        if (!patch || typeof patch !== "object" || Array.isArray(patch)) {
            await this.refuse(null, "a text frame is a JSON object keyed by field name");
            return [];
        }
        const updates = [];
        for (const [key, raw] of Object.entries(patch)) {
            if (Object.prototype.hasOwnProperty.call(this.inLive, key)) {
                if (key === this.inBinary) {
                    await this.refuse(key, "send this field's items as binary frames");
                    continue;
                }
                const result = this.inLive[key].safeParse(raw);
                if (!result.success) {
                    await this.refuse(key, firstIssue(result));
                    continue;
                }
                updates.push({ field: key, value: result.data });
            }
            else if (Object.prototype.hasOwnProperty.call(this.inShape, key)) {
                const result = this.inShape[key].safeParse(raw);
                if (!result.success) {
                    await this.refuse(key, firstIssue(result));
                    continue;
                }
                this.input[key] = result.data;
                updates.push({ field: key, value: result.data });
            }
            else {
                await this.refuse(key, "no such field");
            }
        }
        return updates;
    }
    async refuse(field, message) {
        await this.socket.send({ error: { field, message } });
    }
    /**
     * Send items of live output fields, or new values of ordinary ones.
     *
     * `await live.send({ audio: pcm })` is a binary frame;
     * `await live.send({ transcript: word })` and
     * `await live.send({ effect: "echo" })` are JSON frames. Keys in one call
     * other than the binary field go out together as one JSON frame.
     */
    async send(fields) {
        const patch = {};
        for (const [key, value] of Object.entries(fields)) {
            if (!Object.prototype.hasOwnProperty.call(this.outShape, key)) {
                throw new Error(`the output schema has no field "${key}"`);
            }
            if (key === this.outBinary) {
                await this.socket.send(toBuffer(value));
                continue;
            }
            patch[key] = value;
        }
        if (Object.keys(patch).length > 0) {
            await this.socket.send(patch);
        }
    }
}
