// Stub values: what a bare import that does not resolve gives the app.
//
// A stub survives anything an app's top level does with a module it cannot
// have: any named or default export, property chains, calls, `new`,
// `extends`, `await`, template strings, iteration. Each stub knows the
// module it stands for (STUB_MODULE), so the converter can refuse one that
// reaches a schema instead of writing something the app never meant.

export const STUB_MODULE = Symbol.for("schemagen.stubModule");
const REGISTRY = Symbol.for("schemagen.stubbedModules");

/** The names of the modules stubbed so far, in this process. */
export function stubbedModules() {
  return [...(globalThis[REGISTRY] ?? new Set())].sort();
}

/** The module a stub stands for, or null for any other value. */
export function stubModuleOf(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return null;
  try {
    const name = value[STUB_MODULE];
    return typeof name === "string" ? name : null;
  } catch {
    return null;
  }
}

/** A stub standing for `path` (a module name, then `.attr`, `()` ...) of module `module`. */
export function makeStub(module, path = module, settled = false) {
  (globalThis[REGISTRY] ??= new Set()).add(module);
  const target = function stub() {};
  return new Proxy(target, {
    get(_target, key) {
      if (key === STUB_MODULE) return module;
      if (key === Symbol.toPrimitive) return () => `<stub ${path}>`;
      if (key === "toString" || key === "valueOf" || key === "toJSON") return () => `<stub ${path}>`;
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.asyncIterator) return async function* () {};
      // `await stub` settles to a stub that is not thenable, so it settles once.
      if (key === "then") {
        return settled ? undefined : (resolve) => resolve(makeStub(module, path, true));
      }
      if (typeof key === "symbol") return undefined;
      if (key === "prototype") return makeStub(module, `${path}.prototype`);
      return makeStub(module, `${path}.${key}`);
    },
    apply() {
      return makeStub(module, `${path}()`);
    },
    construct() {
      return makeStub(module, `new ${path}()`);
    },
    set() {
      return true;
    },
    has() {
      return true;
    },
    deleteProperty() {
      return true;
    },
  });
}
