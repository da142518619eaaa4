/**
 * Output metadata types for usage-based pricing.
 *
 * Types are generated from Go source of truth (common-go/pkg/models/usage.go)
 * via `make types`. Factory functions provide type-safe constructors.
 *
 * @example
 * ```js
 * import { textMeta, imageMeta } from "@inferencesh/app";
 *
 * return {
 *   result: generatedText,
 *   output_meta: {
 *     inputs: [textMeta({ tokens: promptTokens })],
 *     outputs: [textMeta({ tokens: completionTokens })],
 *   },
 * };
 * ```
 */
// Re-export all generated types (MetaItem, MetaItemType, OutputMeta, VideoResolution, constants)
export * from "./types.js";
// --- Factories ---
/** Create a text metadata item. */
export function textMeta(opts) {
    return { type: "text", ...opts };
}
/** Create an image metadata item. */
export function imageMeta(opts = {}) {
    return { type: "image", ...opts };
}
/** Create a video metadata item. */
export function videoMeta(opts = {}) {
    return { type: "video", ...opts };
}
/** Create an audio metadata item. */
export function audioMeta(opts = {}) {
    return { type: "audio", ...opts };
}
/** Create a raw metadata item (custom pricing). */
export function rawMeta(opts = {}) {
    return { type: "raw", ...opts };
}
