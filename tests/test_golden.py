"""Every example and fixture app, generated and compared byte for byte with golden/.

Refresh with ``pytest tests/test_golden.py --update-golden`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import (
    EXAMPLES,
    FIXTURES,
    GOLDEN,
    compare_or_update,
    is_app,
    read_tree,
    run_cli,
)

APPS = sorted(
    [("examples", p) for p in EXAMPLES.iterdir() if is_app(p)]
    + [("fixtures", p) for p in (FIXTURES / "apps").iterdir() if is_app(p)]
)


@pytest.mark.parametrize(("group", "app"), APPS, ids=[f"{g}/{p.name}" for g, p in APPS])
def test_generated_files_match_golden(
    group: str, app: Path, tmp_path: Path, update_golden: bool
) -> None:
    result = run_cli("generate", str(app), "--sdk", "bundled", "--out", str(tmp_path))
    assert result.code == 0, result.stderr
    compare_or_update(GOLDEN / group / app.name, read_tree(tmp_path), update_golden)
