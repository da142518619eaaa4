// File handling
export { File } from "./file.js";
// Zod schema utilities
export { createFileSchema, isFileSchema, FILE_SCHEMA_MARKER } from "./schema.js";
export { createStreamSchema, media, pcm16, Live, liveFields, binaryField, STREAM_SCHEMA_MARKER, BINARY_SCHEMA_MARKER, } from "./stream.js";
// Storage directories
export { StorageDir, ensureDir } from "./storage.js";
// Download utility
export { download } from "./download.js";
// Output metadata for usage-based pricing
// (includes generated types + factory functions)
export * from "./output-meta.js";
