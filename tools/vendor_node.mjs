// Rebuild schemagen/loader/node/vendor/ from the packages package-lock.json pins.
//
//   node tools/vendor_node.mjs [OUT]     (OUT defaults to the vendor folder)
//
// The Node.js loader evaluates apps whose node_modules are not installed: it
// gives them a zod of the major version their package.json asks for and the
// real @inferencesh/app, both carried in the wheel. zod 3 and zod 4 are
// bundled into CommonJS (importable and requirable, no dependencies; zod 4's
// classic and mini APIs in one bundle); @inferencesh/app is copied as
// published. Each keeps its licence notice. tests/loader/node/test_vendor.py checks that the committed
// files are what this script writes.

import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = process.argv[2] ?? join(root, "schemagen", "loader", "node", "vendor");
const require = createRequire(join(root, "package.json"));

rmSync(vendor, { recursive: true, force: true });
const versions = {};

const bundle = (options) =>
  build({ bundle: true, format: "cjs", platform: "node", target: "node18", legalComments: "none", logLevel: "warning", ...options });

/** Never-run assignments naming a CommonJS module's exports for Node's import of it. */
const namesBlock = (names) =>
  [
    "// Never run: the names Node's import of this module finds.",
    "if (0) {",
    ...[...names].sort().map((n) => `  exports[${JSON.stringify(n)}] = 0;`),
    "}",
    "",
  ].join("\n");

for (const [name, alias] of [["zod3", "zod3"], ["zod4", "zod"]]) {
  const pkgDir = dirname(require.resolve(`${alias}/package.json`));
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const out = join(vendor, name);
  mkdirSync(out, { recursive: true });
  if (name === "zod3") {
    await bundle({ entryPoints: [join(pkgDir, "index.cjs")], outfile: join(out, "index.cjs") });
    // zod 3 re-exports its API through a bundled function Node's import of
    // CommonJS cannot follow (`import * as z from "zod"` saw only z and default).
    writeFileSync(join(out, "index.cjs"), readFileSync(join(out, "index.cjs"), "utf8") + namesBlock(Object.keys(require(alias))));
  } else {
    // zod 4's classic API (`zod`) and its mini API (`zod/mini`, `zod/v4-mini`,
    // `zod/v4/mini`) share one bundle, so that its core and locales are carried
    // once; index.cjs and mini.cjs pick their API from it and name their exports
    // the way Node's import of a CommonJS module reads them.
    await bundle({
      stdin: {
        contents: 'exports.classic = require("./index.cjs");\nexports.mini = require("./mini/index.cjs");\n',
        resolveDir: pkgDir,
        loader: "js",
      },
      outfile: join(out, "bundle.cjs"),
    });
    for (const [file, api, entry] of [["index.cjs", "classic", "."], ["mini.cjs", "mini", "./mini"]]) {
      const names = Object.keys(require(entry === "." ? alias : `${alias}/mini`));
      writeFileSync(
        join(out, file),
        [
          `// zod ${pkg.version}'s ${api} API (${entry === "." ? "zod" : "zod/mini"}), from bundle.cjs.`,
          `module.exports = require("./bundle.cjs").${api};`,
          "",
        ].join("\n") + namesBlock(names),
      );
    }
  }
  cpSync(join(pkgDir, "LICENSE"), join(out, "LICENSE"));
  versions[name] = pkg.version;
}

const appDir = join(root, "node_modules", "@inferencesh", "app");
const appPkg = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8"));
const appOut = join(vendor, "inferencesh-app");
mkdirSync(appOut, { recursive: true });
// dist/ flattened: the modules import each other by relative path only.
for (const file of readdirSync(join(appDir, "dist")).sort()) {
  if (file.endsWith(".js")) cpSync(join(appDir, "dist", file), join(appOut, file));
}
writeFileSync(
  join(appOut, "package.json"),
  JSON.stringify({ name: appPkg.name, version: appPkg.version, type: "module", license: appPkg.license }, null, 2) + "\n",
);
// The package says "license": "MIT" and its README "MIT © inference.sh", but ships no LICENSE file.
writeFileSync(join(appOut, "LICENSE"), readFileSync(join(root, "tools", "inferencesh-app.LICENSE"), "utf8"));
versions.inferenceshApp = appPkg.version;

writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
