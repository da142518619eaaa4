"""`schemagen diff` end to end: real apps, exit codes, formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from schemagen.diff.report import report_json_schema
from tests.helpers import EXAMPLES, GOLDEN, git, run_cli


def changed_copy(tmp_path: Path) -> Path:
    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    source = app / "inference.py"
    source.write_text(
        source.read_text().replace(
            '    count: int = Field(default=1, description="How many to generate")',
            '    count: int = Field(default=1, description="How many to generate")\n'
            '    seed: int = Field(description="Random seed")',
        )
    )
    return app


def test_breaking_change_exits_1_and_shows_a_witness(tmp_path: Path) -> None:
    result = run_cli("diff", "examples/structure", str(changed_copy(tmp_path)))
    assert result.code == 1
    assert "BREAKING input-required-property-added" in result.stdout
    assert "accepted by OLD, rejected by NEW" in result.stdout
    assert "suggested version bump: major" in result.stdout


def test_fail_on_never_and_json_report(tmp_path: Path) -> None:
    new = changed_copy(tmp_path)
    result = run_cli(
        "diff", "examples/structure", str(new), "--fail-on", "never", "--format", "json"
    )
    assert result.code == 0
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_json_schema())
    breaking = [f for f in report["findings"] if f["severity"] == "breaking"]
    assert breaking and all(f["witness"] is not None for f in breaking)


def test_identical_apps_and_git_sources_exit_0() -> None:
    result = run_cli("diff", "git:HEAD:examples/structure", "examples/structure")
    assert result.code == 0, result.stderr
    assert "no API changes" in result.stdout


def test_a_bad_source_is_exit_2() -> None:
    result = run_cli("diff", "no/such/app", "examples/structure")
    assert result.code == 2
    assert result.stderr.startswith("schemagen: error: ")


def line_of(path: Path, text: str) -> int:
    """The 1-based line of ``path`` holding ``text`` (the test's own oracle)."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_github_annotations_point_at_the_changed_lines(tmp_path: Path) -> None:
    new = changed_copy(tmp_path)
    source = new / "inference.py"
    result = run_cli(
        "diff", str(EXAMPLES / "structure"), new.name, "--format", "github", cwd=new.parent
    )
    assert result.code == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    required = next(a for a in annotations if "input-required-property-added" in a)
    seed_line = line_of(source, "    seed: int")
    assert required.startswith(f"::error file={new.name}/inference.py,line={seed_line},title=")


def repository(tmp_path: Path, app: str) -> Path:
    """A repository whose one commit holds the structure example as apps/APP."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "structure", repo / "apps" / app)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    return repo


def test_an_added_app_is_an_error_unless_allow_new(tmp_path: Path) -> None:
    repo = repository(tmp_path, "old")
    (repo / "apps" / "later").mkdir()  # a folder at HEAD that becomes an app after it
    (repo / "apps" / "later" / "README.md").write_text("soon\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a folder, not an app yet")
    shutil.copytree(EXAMPLES / "multi-function", repo / "apps" / "new")
    shutil.copy(EXAMPLES / "multi-function" / "inference.py", repo / "apps" / "later")

    refused = run_cli("diff", "git:HEAD:apps/new", "apps/new", cwd=repo)
    assert refused.code == 2
    assert refused.stderr == (
        "schemagen: error: git:HEAD:apps/new: no 'apps/new' at HEAD "
        "(pass --allow-new if the change adds this app)\n"
    )

    added = run_cli(
        "diff", "git:HEAD:apps/new", "apps/new", "--allow-new", "--format", "json", cwd=repo
    )
    assert added.code == 0, added.stderr
    findings = json.loads(added.stdout)["findings"]
    manifest = json.loads((GOLDEN / "examples" / "multi-function" / "manifest.json").read_text())
    assert [(f["rule"], f["severity"]) for f in findings] == [("function-added", "info")] * 2
    assert sorted(f["function"] for f in findings) == sorted(manifest["functions"])

    later = run_cli("diff", "git:HEAD:apps/later", "apps/later", cwd=repo)
    assert later.code == 2
    assert later.stderr.startswith("schemagen: error: git:HEAD:apps/later: no app or schema")
    assert "--allow-new" in later.stderr and "/tmp" not in later.stderr
    later = run_cli("diff", "git:HEAD:apps/later", "apps/later", "--allow-new", cwd=repo)
    assert later.code == 0, later.stderr
    assert later.stdout.count("function-added") == 2

    # The flag never excuses a missing NEW, a missing revision, or an existing OLD.
    for old, new in (
        ("git:HEAD:apps/old", "apps/nope"),
        ("git:HEAD:apps/nope", "apps/nope"),
        ("git:no-such-ref:apps/new", "apps/new"),
    ):
        result = run_cli("diff", old, new, "--allow-new", cwd=repo)
        assert result.code == 2, (old, new, result.stdout)
    both_missing = run_cli("diff", "git:HEAD:apps/nope", "apps/nope", cwd=repo)
    assert both_missing.stderr.startswith("schemagen: error: no such file or folder: apps/nope")
    same = run_cli("diff", "git:HEAD:apps/old", "apps/old", "--allow-new", cwd=repo)
    assert same.code == 0 and "no API changes" in same.stdout


def changed_in_git(tmp_path: Path) -> Path:
    """A repository whose last commit adds a required input to the app under apps/s."""
    repo = repository(tmp_path, "s")
    changed = changed_copy(tmp_path / "v2")
    shutil.copy(changed / "inference.py", repo / "apps" / "s" / "inference.py")
    git(repo, "commit", "-q", "-am", "v2")
    return repo


def test_findings_in_a_git_version_name_the_work_tree_file(tmp_path: Path) -> None:
    repo = changed_in_git(tmp_path)
    result = run_cli("diff", "git:HEAD~1:s", "git:HEAD:s", "--format", "json", cwd=repo / "apps")
    assert result.code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    required = next(f for f in findings if f["rule"] == "input-required-property-added")
    line = line_of(repo / "apps" / "s" / "inference.py", "    seed: int")
    # PATH is relative to the current folder (apps/), and so is the file named.
    assert required["source"] == {"file": "s/inference.py", "line": line}
