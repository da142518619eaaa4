"""Which vendored zod an app's package.json range gets: npm's pick, by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schemagen.loader.node.parent import VENDOR, zod_major
from schemagen.loader.node.zod_range import best_match
from tests.helpers import EXAMPLES, run_cli

ZOD3, ZOD4 = (3, 25, 76), (4, 6, 7)

# npm installs the highest published version a range allows; of the two carried, so here.
RANGES = {
    "^3.23.0": ZOD3,
    "~3.25.0": ZOD3,
    "3.x": ZOD3,
    "3": ZOD3,
    ">=3.22 <4": ZOD3,
    "3.20 - 3.25": ZOD3,
    "=3.25.76": ZOD3,
    "<=3": ZOD3,
    "^4": ZOD4,
    "^4.0.0-beta.1": ZOD4,
    "npm:zod@^4.1.0": ZOD4,
    ">=3.22 <5": ZOD4,
    "^3 || ^4": ZOD4,
    ">3": ZOD4,
    "*": ZOD4,
    "latest": ZOD4,
    "": ZOD4,
    "^3.26.0": None,  # no carried zod is in it
    "~4.1.0": None,
    "^5.0.0": None,
    "<3": None,
}


@pytest.mark.parametrize("spec", sorted(RANGES))
def test_the_highest_carried_zod_a_range_allows(spec: str) -> None:
    assert best_match(spec, [ZOD3, ZOD4]) == RANGES[spec]


def write(folder: Path, spec: str | None, locked: str | None = None) -> Path:
    deps = {} if spec is None else {"zod": spec}
    (folder / "package.json").write_text(json.dumps({"type": "module", "dependencies": deps}))
    if locked is not None:
        lock = {"lockfileVersion": 3, "packages": {"node_modules/zod": {"version": locked}}}
        (folder / "package-lock.json").write_text(json.dumps(lock))
    return folder


def test_the_lockfile_says_first_then_the_range(tmp_path: Path) -> None:
    assert zod_major(write(tmp_path, "latest")) == 4
    assert zod_major(write(tmp_path, "~4.1.0")) == 4  # in no carried zod: its first number
    assert zod_major(write(tmp_path, "^3.26.0")) == 3
    assert zod_major(write(tmp_path, None)) == 3  # none named: zod 3, the public apps'
    assert zod_major(write(tmp_path, "latest", locked="3.24.1")) == 3
    assert zod_major(write(tmp_path, "^3.23.0", locked="4.0.2")) == 4


def test_a_range_no_carried_zod_is_in_says_which_zod_the_app_got(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(EXAMPLES / "html-render", app, ignore=shutil.ignore_patterns("node_modules"))
    package = json.loads((app / "package.json").read_text())
    package["dependencies"]["zod"] = "^5.0.0"
    (app / "package.json").write_text(json.dumps(package))
    result = run_cli("extract", str(app))
    assert result.code == 0, result.stderr
    zod4 = json.loads((VENDOR / "versions.json").read_text())["zod4"]
    assert 'asks for zod "^5.0.0", which schemagen does not carry' in result.stderr
    assert f"it is evaluated with zod {zod4}; install its dependencies" in result.stderr
    package["dependencies"]["zod"] = "^3.23.0"  # a carried zod is in it: nothing to say
    (app / "package.json").write_text(json.dumps(package))
    assert "zod" not in run_cli("extract", str(app)).stderr
