// Page sizes the app knows by name; imported by inference.js as its own module.
export const PAGE_SIZES = ["square", "story", "banner"];

export const DEFAULT_SIZE = "square";

export function viewport(size) {
  return { square: [1080, 1080], story: [1080, 1920], banner: [1500, 500] }[size];
}
