"""The target registry: every target declares what it writes and reads, and the
declarations are what the command line, the cache and ``check`` go by."""

from __future__ import annotations

import subprocess
import sys

import pytest

from schemagen.cache import output_names
from schemagen.emit import REGISTRY, all_targets, declared_files, emit_targets, request_key
from schemagen.emit.core.target import OPTIONS, EmitContext, Target
from schemagen.errors import UsageError
from tests.emit.python.test_client import EXAMPLE_APPS, example_manifest

TARGETS = all_targets()


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_a_declaration_is_consistent(target: Target) -> None:
    assert target.files and set(target.optional_files) <= set(target.files)
    assert set(target.required_options) <= set(target.options) <= set(OPTIONS)
    assert ":" in target.emitter


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_a_target_writes_every_file_it_declares_and_no_other(target: Target) -> None:
    written: set[str] = set()
    for app in EXAMPLE_APPS:
        output = target.emit(example_manifest(app), EmitContext(app_ref="acme/app"))
        written |= output.files.keys()  # Target.emit refuses an undeclared one
        missing = set(target.files) - output.files.keys()
        assert missing <= set(target.optional_files), (app.name, missing)
    assert written == set(target.files)


def test_declarations_import_no_target_code() -> None:
    code = (
        "import sys; from schemagen.emit import all_targets; all_targets();"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('schemagen', 'jinja2')))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    packages = {module.partition(":")[0] for module in REGISTRY.values()}
    assert loaded <= {
        "schemagen",
        "schemagen.emit",
        "schemagen.emit.core",
        "schemagen.emit.core.target",
        "schemagen.errors",
        *packages,
    }, loaded


def test_a_required_option_left_unset_is_a_usage_error() -> None:
    manifest = example_manifest(EXAMPLE_APPS[0])
    needs = Target("needs-ref", "", "schemagen.emit.jsonschema:emit", (), (), ("app_ref",),
                   ("app_ref",))  # fmt: skip
    with pytest.raises(UsageError, match="the needs-ref target needs the app reference"):
        needs.emit(manifest, EmitContext())


def test_no_target_needs_the_app_reference() -> None:
    # The clients take it in their constructors when the run does not know it.
    assert not any(target.required_options for target in all_targets())
    emitted = emit_targets(example_manifest(EXAMPLE_APPS[0]), list(REGISTRY), EmitContext())
    assert {"client.py", "client.ts", "schemas.ts", "functions_schema.json"} <= set(emitted.files)


def test_the_cache_knows_the_outputs_from_the_registry() -> None:
    # A generated Python module stays an input: the app may have its own client.py.
    assert output_names() == {name for name in declared_files() if not name.endswith(".py")}
    assert {"functions_schema.json", "schemas.ts", "openapi.json"} <= output_names()
    assert "client.py" in declared_files() and "client.py" not in output_names()


def test_a_request_holds_the_options_its_targets_read() -> None:
    context = EmitContext(app_ref="acme/app")
    assert "acme/app" not in request_key(["jsonschema", "zod"], context)
    assert "acme/app" in request_key(["jsonschema", "openapi"], context)
    assert request_key(["zod"], context) != request_key(["jsonschema"], context)


def test_the_readme_lists_every_target() -> None:
    from tests.helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Targets", 1)[1]
    rows = [line for line in section.split("\n\n")[2].splitlines() if line.startswith("| `")]
    listed = [row.split("`")[1] for row in rows]
    assert listed == list(REGISTRY)
