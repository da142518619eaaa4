"""Schema diff: breaking-change detection by direction, with a witness for every break.

Pipeline: ``sources`` resolves OLD and NEW to manifests; ``engine.run_diff``
compares them (``walker`` + the ``rules_*`` families, registered in
``registry``); ``witness`` builds and checks the values that prove breaks;
``report`` renders; ``config`` reads severity overrides. Nothing here imports
the loader: app folders are loaded through a function the caller passes in.
"""

from __future__ import annotations

from schemagen.diff.config import DiffConfig, load_config
from schemagen.diff.engine import run_diff
from schemagen.diff.model import DiffReport, Finding, Severity, Witness
from schemagen.diff.report import FORMATS, exit_code, render
from schemagen.diff.sources import resolve_source

__all__ = [
    "FORMATS",
    "DiffConfig",
    "DiffReport",
    "Finding",
    "Severity",
    "Witness",
    "exit_code",
    "load_config",
    "render",
    "resolve_source",
    "run_diff",
]
