"""The Node.js front end: platform-identical files, zod 3 and 4, stubs, errors, batch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import FIXTURES, GOLDEN, REPO, compare_or_update, read_tree, run_cli

NODE = FIXTURES / "node"
PUBLIC = sorted(p for p in (NODE / "public").iterdir() if p.is_dir())
VENDOR = REPO / "schemagen" / "loader" / "node" / "vendor"


def extract(app: Path, *args: str) -> dict:
    result = run_cli("extract", str(app), *args)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def copy_app(app: Path, dest: Path, zod: str | None = None) -> Path:
    shutil.copytree(app, dest, ignore=shutil.ignore_patterns("expected"))
    if zod is not None:
        package = json.loads((dest / "package.json").read_text())
        package["dependencies"]["zod"] = zod
        (dest / "package.json").write_text(json.dumps(package))
    return dest


def write_app(folder: Path, source: str, package: str = '{"type": "module"}') -> Path:
    """An app of one entrypoint, ``source``, and its package.json."""
    folder.mkdir(exist_ok=True)
    (folder / "package.json").write_text(package)
    (folder / "inference.js").write_text(source)
    return folder


@pytest.mark.parametrize("app", PUBLIC, ids=[p.name for p in PUBLIC])
def test_public_apps_compile_to_the_platforms_files(app: Path, tmp_path: Path) -> None:
    result = run_cli("generate", str(app), "--out", str(tmp_path))
    assert result.code == 0, result.stderr
    generated = read_tree(tmp_path)
    for name, content in read_tree(app / "expected").items():
        assert generated[name] == content, name


@pytest.mark.parametrize("zod", ["^3.23.0", "^4.0.0", "installed"])
def test_every_zod_type_by_the_rules_under_zod_3_and_4(zod: str, tmp_path: Path) -> None:
    app = copy_app(NODE / "zod-types", tmp_path / "zod-types", None if zod == "installed" else zod)
    if zod == "installed":  # the app's own zod (4.x from the lockfile) wins over schemagen's
        (app / "node_modules").mkdir()
        (app / "node_modules" / "zod").symlink_to(REPO / "node_modules" / "zod")
    manifest = extract(app)
    expected = json.loads((NODE / "zod-types" / "expected" / "input_schema.json").read_text())
    assert manifest["functions"]["run"]["input_schema"] == expected
    versions = json.loads((VENDOR / "versions.json").read_text())
    installed = json.loads((REPO / "node_modules" / "zod" / "package.json").read_text())
    assert (
        manifest["app"]["zod_version"]
        == {
            "^3.23.0": versions["zod3"],
            "^4.0.0": versions["zod4"],
            "installed": installed["version"],
        }[zod]
    )


# zod's mini API by the same rules, written by hand from docs/node-apps.md's tables.
MINI_INPUT = {
    "type": "object",
    "properties": {
        "prompt": {"type": "string", "description": "What to draw"},
        "size": {"type": "string", "enum": ["s", "m", "l"], "default": "m"},
        "count": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "seed": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        "mode": {
            "anyOf": [{"type": "string", "const": "fast"}, {"type": "string", "const": "best"}]
        },
        "extra": {"type": "object", "additionalProperties": {}},
        "point": {
            "type": "array",
            "prefixItems": [{"type": "number"}, {"type": "number"}],
            "minItems": 2,
            "maxItems": 2,
        },
        "style": {
            "type": "object",
            "properties": {"bold": {"type": "boolean", "default": False}},
            "description": "Text style",
        },
    },
    "required": ["prompt", "tags", "seed", "mode", "extra", "point", "style"],
}


@pytest.mark.parametrize(
    ("specifier", "zod"),
    [
        ("zod/mini", "^4.0.0"),
        ("zod/v4-mini", "^4.0.0"),
        ("zod/v4/mini", "^4.0.0"),
        ("zod/v4-mini", "^3.25.0"),  # zod 3.25 carries zod 4's mini API too
        ("zod/mini", "installed"),
    ],
)
def test_zod_mini_imports_resolve_like_zod(specifier: str, zod: str, tmp_path: Path) -> None:
    app = copy_app(NODE / "zod-mini", tmp_path / "zod-mini", None if zod == "installed" else zod)
    entry = app / "inference.js"
    entry.write_text(entry.read_text().replace('from "zod/mini"', f'from "{specifier}"'))
    if zod == "installed":
        (app / "node_modules").mkdir()
        (app / "node_modules" / "zod").symlink_to(REPO / "node_modules" / "zod")
    manifest = extract(app)
    assert manifest["functions"]["run"]["input_schema"] == MINI_INPUT
    assert manifest["app"]["stubbed_modules"] == []


# Values real zod accepts must be accepted by the written schema (checks are not
# written, so the schema may accept more, never less).
ACCEPTED_BY_ZOD = """
const { z } = require(process.argv[2]);
const values = JSON.parse(process.argv[3]);
const S = z.object({
  n: z.number().min(0).max(4).default(1), s: z.string().email().optional(),
  e: z.enum(["a", "b"]).nullable(), t: z.tuple([z.string(), z.number()]),
  u: z.union([z.literal(1), z.object({ k: z.string() }).strict()]),
  r: z.record(z.string(), z.array(z.boolean()).min(1)),
});
console.log(JSON.stringify(values.map((v) => S.safeParse(v).success)));
"""


@pytest.mark.parametrize("package", ["zod3", "zod"])
def test_the_schema_accepts_what_zod_accepts(package: str, tmp_path: Path) -> None:
    app = tmp_path / "oracle"
    app.mkdir()
    (app / "package.json").write_text('{"type": "module"}')
    body = ACCEPTED_BY_ZOD.split("const S = ")[1].split(";\nconsole")[0]
    (app / "inference.js").write_text(
        'import { z } from "zod";\n'
        f"export const RunInput = {body};\n"
        "export const RunOutput = z.object({});\n"
        "export class App { async run(i) { return {}; } }\n"
    )
    schema = extract(app)["functions"]["run"]["input_schema"]
    values = [
        {"e": "a", "t": ["x", 1], "u": 1, "r": {"k": [True]}},
        {"n": 4, "s": "a@b.co", "e": None, "t": ["", 0.5], "u": {"k": ""}, "r": {}},
        {"n": 9, "e": "c", "t": ["x"], "u": 2, "r": {"k": []}},
        {"e": "b", "t": ["x", 1], "u": {"k": "v", "extra": 1}, "r": {"k": [False]}},
        {"n": "1", "e": "a", "t": ["x", 1], "u": 1, "r": {}},
    ]
    script = tmp_path / "accepts.cjs"
    script.write_text(ACCEPTED_BY_ZOD)
    done = subprocess.run(
        ["node", str(script), str(REPO / "node_modules" / package), json.dumps(values)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    accepted = json.loads(done.stdout)
    assert accepted[:2] == [True, True] and not accepted[4]  # the oracle itself discriminates
    validator = jsonschema.Draft202012Validator(schema)
    for value, ok in zip(values, accepted, strict=True):
        if ok:
            assert validator.is_valid(value), value
    assert not validator.is_valid(values[4])  # a string is no number, under both


def test_stubs_survive_what_an_app_does_at_top_level() -> None:
    manifest = extract(NODE / "stub-behaviours")
    assert manifest["app"]["stubbed_modules"] == ["@heavy/sdk", "canvas", "heavy-lib", "legacy-cjs"]
    assert manifest["functions"]["run"]["input_schema"]["properties"]["size"]["default"] == 3
    assert manifest["app"]["sdk"] == {"source": "none", "version": None}


def test_relative_and_symlinked_helpers_load_for_real(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "sizes.js").write_text(
        'import { z } from "zod";\nexport const Size = z.number().default(7);\n'
    )
    app = tmp_path / "app"
    app.mkdir()
    (app / "package.json").write_text('{"type": "module", "dependencies": {"zod": "^3"}}')
    os.symlink(shared / "sizes.js", app / "sizes.js")
    (app / "inference.js").write_text(
        'import { z } from "zod";\nimport { Size } from "./sizes.js";\n'
        "export const RunInput = z.object({ size: Size });\n"
        "export const RunOutput = z.object({});\n"
        "export class App { async run(i) { return {}; } }\n"
    )
    props = extract(app)["functions"]["run"]["input_schema"]["properties"]
    assert props == {"size": {"type": "number", "default": 7}}


ERRORS = {
    "contamination-default": (
        "inference.js:4: RunInput.size (input of run): its default comes from the stubbed "
        "module 'mathlib'"
    ),
    "contamination-enum": "inference.js:4: RunInput.mode (input of run): its enum members come",
    "contamination-type": (
        "inference.js:4: RunInput.image (input of run): its type comes from the stubbed "
        "module 'imaging'"
    ),
    "contamination-export": "inference.js:3: RunOutput (output of run) is a value of the stubbed",
    "no-app": "inference.js: the entrypoint exports no class App",
    "no-functions": "inference.js:6: App has no functions",
    "syntax-error": "inference.js:4:15: syntax error: Unexpected token '.'",
    # Node's own report of a CommonJS file: its line and the caret's column.
    "syntax-error-cjs": "inference.js:4:26: syntax error: Unexpected token ','",
    "near-misses": (
        "inference.js:12: App has no functions: no public method has {PascalName}Input and "
        "{PascalName}Output zod schemas exported beside it (CountInput and CountOutput match no "
        "method of App (count() is looked for; a class field count = ... is no method: write "
        "async count(inputData) { ... }); ReverseInput and ReverseOutput match no method of App "
        "(reverse() is looked for; static reverse() is the class's, not its instances'); "
        "TextToSpeechInput and TextToSpeechOutput match no method of App (textToSpeech() is "
        "looked for))"
    ),
    "default-export": (
        "inference.js: the entrypoint exports no class App (a default export is not read: "
        "the platform takes the class exported as App"
    ),
    "raises": "inference.js:3: the app raised Error while being imported: no GPU here",
    "two-entrypoints": "two app entrypoints in one folder: inference.py and inference.js",
    "typescript": "inference.ts: the platform runs JavaScript entrypoints only",
    "mjs-entrypoint": (
        "mjs-entrypoint: inference.mjs: the platform's entrypoint is named src/inference.js or "
        'inference.js (rename it; "type": "module" in package.json makes inference.js an ES module)'
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_are_one_line_naming_file_and_line(name: str) -> None:
    result = run_cli("extract", str(NODE / "errors" / name), cwd=NODE / "errors")
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schemagen: error: "), result.stderr
    assert ERRORS[name] in lines[0]
    if name.startswith("contamination"):
        assert "npm install" in lines[0]


def test_an_app_without_package_json_is_a_module_without_nodes_detection(tmp_path: Path) -> None:
    # hyperframes-render has no package.json; Node before 22.7 (and 20.19) runs such a .js
    # as CommonJS, which the loader's hooks decide by its syntax instead, as Node 22 does.
    node = shutil.which("node")
    assert node is not None
    probe = subprocess.run([node, "--no-experimental-detect-module", "-e", ""], check=False)
    if probe.returncode != 0:
        pytest.skip("this node has no --no-experimental-detect-module")
    old_node = tmp_path / "node"
    old_node.write_text(f'#!/bin/sh\nexec {node} --no-experimental-detect-module "$@"\n')
    old_node.chmod(0o755)
    app = NODE / "public" / "hyperframes-render"
    result = run_cli("generate", str(app), "--out", str(tmp_path / "out"),
                     env={"SCHEMAGEN_NODE": str(old_node)})  # fmt: skip
    assert result.code == 0, result.stderr
    assert read_tree(tmp_path / "out")["input_schema.json"] == (
        (app / "expected" / "input_schema.json").read_bytes()
    )
    # A CommonJS app whose package.json names no "type" stays CommonJS.
    cjs = write_app(
        tmp_path / "cjs",
        'const { z } = require("zod");\n'
        "class App { async run(i) { return {}; } }\n"
        "module.exports = { App, RunInput: z.object({}), RunOutput: z.object({}) };\n",
        package="{}",
    )
    manifest = json.loads(
        run_cli("extract", str(cjs), env={"SCHEMAGEN_NODE": str(old_node)}).stdout
    )
    assert list(manifest["functions"]) == ["run"]


def test_commonjs_exports_are_what_require_gives(tmp_path: Path) -> None:
    # Node's detection of a CommonJS file's exports stops at RunInput's value: RunOutput is
    # only in module.exports, where require() finds it.
    write_app(
        tmp_path,
        'const { z } = require("zod");\n'
        "class App { async run(inputData) { return { text: inputData.text }; } }\n"
        "module.exports = {\n  App,\n  RunInput: z.object({ text: z.string() }),\n"
        "  RunOutput: z.object({ text: z.string() }),\n};\n",
        package='{"dependencies": {"zod": "^3.23.0"}}',
    )
    result = run_cli("extract", str(tmp_path), cwd=tmp_path)
    assert result.code == 0, result.stderr
    run = json.loads(result.stdout)["functions"]["run"]
    text = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    assert (run["input_schema"], run["output_schema"]) == (text, text)
    assert result.stderr.strip().splitlines() == [
        "schemagen: warning: inference.js: module.exports has RunOutput, which an ES import of "
        "the file does not see (Node detects CommonJS exports from the source): assign each as "
        "exports.NAME = ... or list it as a name in module.exports = { NAME }"
    ]


@pytest.mark.parametrize("zod", ["^3.23.0", "^4.0.0"])
@pytest.mark.parametrize(
    "statement",
    [
        'import { z } from "zod";',
        'import * as z from "zod";',  # zod 3's namespace import saw only z and default
        'import z from "zod";',
        'import { object, string } from "zod";\nconst z = { object, string };',
        'const { z } = await import("zod");',
    ],
)
def test_every_way_of_importing_zod(statement: str, zod: str, tmp_path: Path) -> None:
    write_app(
        tmp_path,
        f"{statement}\n"
        'export const RunInput = z.object({ prompt: z.string().describe("What to say") });\n'
        "export const RunOutput = z.object({});\n"
        "export class App { async run(i) { return {}; } }\n",
        package=json.dumps({"type": "module", "dependencies": {"zod": zod}}),
    )
    assert extract(tmp_path)["functions"]["run"]["input_schema"] == {
        "type": "object",
        "properties": {"prompt": {"type": "string", "description": "What to say"}},
        "required": ["prompt"],
    }


def test_keys_named_like_object_internals_are_properties(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        'import { z } from "zod";\n'
        "export const RunInput = z.object({\n"
        '  ["__proto__"]: z.string().describe("*/ not a prototype"),\n'
        "  constructor: z.number().default(1),\n"
        "  toString: z.boolean().optional(),\n"
        "});\n"
        'export const RunOutput = z.object({ ["__proto__"]: z.string() });\n'
        "export class App { async run(i) { return {}; } }\n",
    )
    run = extract(tmp_path)["functions"]["run"]
    assert run["input_schema"] == {
        "type": "object",
        "properties": {
            "__proto__": {"type": "string", "description": "*/ not a prototype"},
            "constructor": {"type": "number", "default": 1},
            "toString": {"type": "boolean"},
        },
        "required": ["__proto__"],
    }
    assert run["output_schema"] == {
        "type": "object",
        "properties": {"__proto__": {"type": "string"}},
        "required": ["__proto__"],
    }


ESM_APP = (
    'import { z } from "zod";\nimport fastimg from "fastimg";\n'
    "export const RunInput = z.object({});\nexport const RunOutput = z.object({});\n"
    "export class App { async run(i) { return {}; } }\n"
)
CJS_APP = (
    'const { z } = require("zod");\nconst fastimg = require("fastimg");\n'
    "class App { async run(i) { return {}; } }\n"
    "module.exports = { App, RunInput: z.object({}), RunOutput: z.object({}) };\n"
)


@pytest.mark.parametrize(
    ("source", "package"), [(ESM_APP, '{"type": "module"}'), (CJS_APP, "{}")], ids=["esm", "cjs"]
)
def test_an_installed_package_that_fails_to_load_is_named(
    source: str, package: str, tmp_path: Path
) -> None:
    # In node_modules but throwing when imported (a native addon built for another platform).
    installed = tmp_path / "node_modules" / "fastimg"
    installed.mkdir(parents=True)
    (installed / "package.json").write_text('{"name": "fastimg", "main": "index.js"}')
    (installed / "index.js").write_text('throw new Error("fastimg.node: invalid ELF header");\n')
    write_app(tmp_path, source, package=package)
    result = run_cli("extract", str(tmp_path), cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        "schemagen: error: inference.js:2: importing 'fastimg' raised Error: fastimg.node: "
        "invalid ELF header (the package is installed in the app's node_modules but fails to "
        "load: reinstall it (npm ci) or stub it (--stub fastimg))"
    ]
    for flags in (["--stub", "fastimg"], ["--stub-all"]):
        stubbed = json.loads(run_cli("extract", str(tmp_path), *flags, cwd=tmp_path).stdout)
        assert stubbed["app"]["stubbed_modules"] == ["fastimg"]


def test_commonjs_requires_the_sdk(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        'const { z } = require("zod");\nconst { createFileSchema } = require("@inferencesh/app");\n'
        "class App { async run(i) { return {}; } }\n"
        "module.exports = { App, RunInput: z.object({ image: createFileSchema(z) }) };\n"
        "module.exports.RunOutput = z.object({});\n",
        package="{}",
    )
    manifest = extract(tmp_path)
    versions = json.loads((VENDOR / "versions.json").read_text())
    assert manifest["app"]["sdk"] == {"source": "bundled", "version": versions["inferenceshApp"]}
    assert manifest["functions"]["run"]["input_schema"] == {
        "type": "object",
        "properties": {"image": {"type": "string", "format": "file"}},
        "required": ["image"],
    }


IMPORTS = {  # what a new user's import at top level gets wrong, and the error it gets
    "missing-extension": (
        'import { helper } from "./util";',
        "inference.js:2: import failed: Cannot find module './util' imported from inference.js "
        "(an ES module import names the file itself: './util.js')",
    ),
    "missing-file": (
        'const { helper } = await import("./lib/missing.js");',
        "inference.js:2: import failed: Cannot find module './lib/missing.js' imported from "
        "inference.js (the app's own module is missing or broken)",
    ),
    "json-attribute": (
        'import sizes from "./util.json";',
        'inference.js:2: the app raised TypeError while being imported: Module "./util.json" '
        'needs an import attribute of type "json" (a JSON module is imported with its '
        'attribute: import data from "./data.json" with { type: "json" })',
    ),
    "data-file": (
        'import { readFileSync } from "node:fs";\n'
        'readFileSync(new URL("./prompts.txt", import.meta.url));',
        "inference.js:3: the app raised Error while being imported: ENOENT: no such file or "
        "directory, open './prompts.txt' (the app reads prompts.txt from its folder when it is "
        "imported: is the file left out of the repository (.gitignore), or made by a build or "
        "download step? Commit it, or read it in setup())",
    ),
    "process-exit": (
        "process.exit(3);",
        "inference.js: node ended (exit code 3) while the app was being imported, before "
        "schemagen could read it (does it call process.exit() at top level?)",
    ),
}


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_import_mistakes_name_their_line(name: str, tmp_path: Path) -> None:
    code, error = IMPORTS[name]
    (tmp_path / "util.js").write_text("export const helper = 1;\n")
    (tmp_path / "util.json").write_text("[1, 2]\n")
    write_app(
        tmp_path,
        f'import {{ z }} from "zod";\n{code}\n'
        "export const RunInput = z.object({});\nexport const RunOutput = z.object({});\n"
        "export class App { async run(i) { return {}; } }\n",
    )
    result = run_cli("extract", str(tmp_path), cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [f"schemagen: error: {error}"]


def test_enum_contamination_reads_well() -> None:
    result = run_cli("extract", str(NODE / "errors" / "contamination-enum"))
    assert "its enum members comes" not in result.stderr


def test_missing_node_is_a_clear_error() -> None:
    result = run_cli("extract", str(NODE / "public" / "markdown-to-html"),
                     env={"SCHEMAGEN_NODE": "/no/such/node"})  # fmt: skip
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        "schemagen: error: Node.js apps need Node.js 18 or newer, and there is no "
        "$SCHEMAGEN_NODE=/no/such/node (install Node.js, or set SCHEMAGEN_NODE to its node "
        "executable)"
    ]


def test_a_hanging_top_level_is_stopped(tmp_path: Path) -> None:
    (tmp_path / "inference.js").write_text(
        "await new Promise(() => setInterval(() => {}, 1000));\n"
    )
    result = run_cli("extract", str(tmp_path), "--timeout", "1")
    assert result.code == 2 and "longer than 1 s" in result.stderr


def test_recursive_finds_both_kinds_and_the_cache_keeps_node_apps(tmp_path: Path) -> None:
    tree = tmp_path / "apps"
    shutil.copytree(
        NODE / "public" / "markdown-to-html", tree / "md", ignore=shutil.ignore_patterns("expected")
    )
    (tree / "nested" / "src").mkdir(parents=True)
    shutil.copy(NODE / "public" / "voice-loop-node" / "inference.js", tree / "nested" / "src")
    shutil.copytree(REPO / "examples" / "structure", tree / "py")
    env = {"SCHEMAGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("generate", "-r", str(tree), "--format", "json", env=env)
    assert first.code == 0, first.stderr
    summary = json.loads(first.stdout)
    assert [a["source"].split("/")[-1] for a in summary["apps"]] == ["md", "nested", "py"]
    second = json.loads(run_cli("generate", "-r", str(tree), "--format", "json", env=env).stdout)
    assert all(app["cached"] for app in second["apps"])
    (tree / "md" / "inference.js").write_text(
        (tree / "md" / "inference.js").read_text().replace("Markdown text", "Markdown")
    )
    third = json.loads(run_cli("generate", "-r", str(tree), "--format", "json", env=env).stdout)
    assert [app["cached"] for app in third["apps"]] == [False, True, True]


def test_diff_across_versions_of_a_node_app(tmp_path: Path) -> None:
    old = copy_app(NODE / "public" / "post-render", tmp_path / "old")
    new = copy_app(NODE / "public" / "post-render", tmp_path / "new")
    source = (new / "inference.js").read_text()
    (new / "inference.js").write_text(
        source.replace('theme: z.enum(["dark", "light"])', 'theme: z.enum(["dark"])')
    )
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.code == 1, result.stderr
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "input-enum-value-removed" in rules


def test_vendored_packages_are_what_the_lockfile_builds(tmp_path: Path) -> None:
    subprocess.run(["node", str(REPO / "tools" / "vendor_node.mjs"), str(tmp_path)], check=True)
    assert read_tree(tmp_path) == read_tree(VENDOR)
    for name in ("zod3", "zod4", "inferencesh-app"):
        assert "MIT" in (VENDOR / name / "LICENSE").read_text()


def test_the_node_example_zod_target_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    # From a folder of its own, for the Regenerate: header to name it as a user would.
    shutil.copytree(REPO / "examples" / "html-render", tmp_path / "html-render")
    result = run_cli("generate", "html-render", "--target", "zod", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result.stderr
    compare_or_update(GOLDEN / "zod" / "html-render", read_tree(tmp_path / "out"), update_golden)
