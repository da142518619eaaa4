"""The loader of the official JSON-Schema-Test-Suite copy (``official_suite``)."""

from __future__ import annotations

import json

from tests.emit import official_suite as suite
from tests.emit import zod_differential as zd


def test_every_file_but_the_remote_one_is_read_and_skips_say_why() -> None:
    files = {path.name for path in suite.SUITE.glob("*.json")}
    # vocabulary.json's groups all name a remote metaschema.
    assert {group.file for group in suite.groups()} == files - {"refRemote.json", "vocabulary.json"}
    print(suite.skip_report())
    for skip in suite.skipped():
        assert skip.reason
        if skip.group is not None:  # only groups that need the remote documents
            assert suite.REMOTE in json.dumps(
                [
                    g
                    for g in json.loads((suite.SUITE / skip.file).read_text())
                    if g["description"] == skip.group
                ]
            )
    assert not any(suite.REMOTE in json.dumps(group.schema) for group in suite.groups())
    assert len(suite.cases()) > 1000


def test_params_have_unique_readable_ids() -> None:
    params = suite.case_params()
    ids = [p.id for p in params]
    assert len(set(ids)) == len(ids)
    assert "unevaluatedProperties/unevaluatedProperties_true/with_no_unevaluated_properties" in ids


def test_the_manifest_holds_each_group_as_a_function_input() -> None:
    groups = suite.groups()
    manifest = suite.manifest(groups)
    assert len(manifest.functions) == len(groups)
    for group in groups[:50]:
        assert manifest.functions[suite.function_name(group)].input_schema == group.schema


def test_the_verdicts_are_the_reference_validators() -> None:
    # The copy is the suite: the differential tests' oracle (jsonschema, ECMA-262
    # patterns) agrees with it on every case.
    for case in suite.cases():
        assert zd.oracle(case.schema).is_valid(case.data) is case.valid, case.id
