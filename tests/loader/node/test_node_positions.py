"""Where a Node.js app declares its functions, schemas and properties (``sources``), and
``schemagen diff``'s annotations landing on those lines. The expected lines are read
from the files' text by the test, not from the finder."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemagen.loader.api import LoadOptions, load_app
from schemagen.manifest import Declared, FunctionSource
from tests.diff.test_command import line_of
from tests.helpers import EXAMPLES, FIXTURES, run_cli

APP = FIXTURES / "node" / "positions"


def test_every_declaration_form_is_found() -> None:
    sources = load_app(APP, LoadOptions(positions=True)).manifest.sources
    main, schemas, base = APP / "inference.js", APP / "schemas.js", APP / "base.js"

    def at(path: Path, declaration: str, /, **fields: str) -> Declared:
        """Declared at the line holding ``declaration``, each field at its text's line."""
        lines = {name.replace("_", "-"): line_of(path, found) for name, found in fields.items()}
        return Declared(path.name, line_of(path, declaration), lines)

    assert sources is not None
    assert (sources.functions, sources.setup) == (
        {
            # An inherited method is at its line in the base class's file; schemas
            # re-exported from a helper (`export { A as B }` there) in the helper.
            "ping": FunctionSource(
                at=Declared("base.js", line_of(base, "async ping(")),
                input={"#": at(schemas, "export const PingInput", text="text: z.string()")},
                output={"#": at(schemas, "const pong =", pong="const pong =")},
            ),
            "run": FunctionSource(
                at=Declared("inference.js", line_of(main, "async run(")),
                # A spread's fields at the spread schema's lines; braces in a regex,
                # a template and a comment change nothing.
                input={
                    "#": at(
                        main,
                        "export const RunInput",
                        seed="seed:",
                        model_id='"model-id":',
                        prompt="prompt:",
                        steps="steps: z",
                    )
                },
                # Base.extend({...}): the base's fields and the extension's; the
                # recursive Tree (a zod 4 getter) is its $defs entry.
                output={
                    "#": at(
                        main,
                        "export const RunOutput",
                        text="  text: z.string()",
                        tree="tree:",
                        seconds="seconds:",
                    ),
                    "#/$defs/Tree": at(
                        main, "const Tree =", label="label:", children="get children()"
                    ),
                },
            ),
        },  # fmt: skip
        {"#": at(main, "export const AppSetup", device="device:")},
    )


def test_commonjs_exports_are_found() -> None:
    app = FIXTURES / "node" / "positions-cjs"
    sources = load_app(app, LoadOptions(positions=True)).manifest.sources
    main = app / "inference.js"

    def at(declaration: str, /, **fields: str) -> Declared:
        lines = {name: line_of(main, found) for name, found in fields.items()}
        return Declared("inference.js", line_of(main, declaration), lines)

    assert sources is not None
    assert sources.functions == {
        "ping": FunctionSource(
            at=Declared("inference.js", line_of(main, "async ping(")),
            input={"#": at("exports.PingInput =", text="text: z.string()")},
            output={"#": at("module.exports.PingOutput =", pong="module.exports.PingOutput =")},
        ),
        "run": FunctionSource(
            at=Declared("inference.js", line_of(main, "async run(")),
            input={"#": at("RunInput: z.object", prompt="prompt:", steps="steps: z")},
            output={"#": at('"RunOutput":', words='"RunOutput":')},
        ),
    }


def test_diff_annotations_land_on_the_changed_lines_of_a_node_app(tmp_path: Path) -> None:
    new = tmp_path / "html-render"
    shutil.copytree(EXAMPLES / "html-render", new)
    source = new / "src" / "inference.js"
    text = source.read_text()
    for old, changed in [
        ('z.number().min(1).max(3).default(1).describe("Device scale factor")',
         'z.number().min(1).max(3).describe("Device scale factor")'),
        ('  width: z.number().describe("Width in pixels"),',
         '  width: z.string().describe("Width in pixels"),'),
        ('z.string().default("/usr/bin/chromium")', "z.string()"),
    ]:  # fmt: skip
        assert old in text
        text = text.replace(old, changed)
    source.write_text(text)
    result = run_cli(
        "diff", str(EXAMPLES / "html-render"), new.name, "--format", "github", cwd=tmp_path
    )
    assert result.code == 1, result.stderr
    annotations = {
        line.split("title=schemagen diff%3A ", 1)[1].split("::", 1)[0]: line
        for line in result.stdout.splitlines()
        if line.startswith("::") and "title=" in line
    }
    shown = "html-render/src/inference.js"
    for rule, text in [
        ("input-property-became-required", "  scale: z.number()"),
        ("output-type-changed", "  width: z.string()"),
        ("setup-property-became-required", "  chromium: z.string()"),
    ]:
        assert annotations[rule].startswith(f"::error file={shown},line={line_of(source, text)},")
