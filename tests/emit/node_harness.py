"""Python side of ``tests/node/zod_harness.cjs``: one long-lived node process for many
modules and instances, and the ``tsc`` runs. Needs ``npm ci`` at the repository root."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
HARNESS = ROOT / "tests" / "node" / "zod_harness.cjs"
ZOD_PACKAGES = {"zod3": NODE_MODULES / "zod3", "zod4": NODE_MODULES / "zod"}


def node_missing() -> str | None:
    """Why the node tests cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    for package in ("zod", "zod3", "typescript", "esbuild"):
        if not (NODE_MODULES / package / "package.json").is_file():
            return f"node_modules/{package} missing: run `npm ci` at the repository root"
    return None


class NodeHarness:
    """Sends batches to one node process; see the protocol in zod_harness.cjs."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            ["node", str(HARNESS)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(
        self,
        modules: dict[str, str],
        checks: list[tuple[str, str, list[Any]]] = (),  # type: ignore[assignment]
        tojson: list[tuple[str, str]] = (),  # type: ignore[assignment]
        parse: list[tuple[str, str, Any]] = (),  # type: ignore[assignment]
    ) -> dict[str, Any]:
        request = {
            "modules": [{"id": k, "source": v} for k, v in modules.items()],
            "checks": [{"module": m, "export": e, "instances": i} for m, e, i in checks],
            "tojson": [{"module": m, "export": e} for m, e in tojson],
            "parse": [{"module": m, "export": e, "instance": i} for m, e, i in parse],
        }
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the node harness exited")
        response: dict[str, Any] = json.loads(line)
        if "fatal" in response:
            raise RuntimeError(response["fatal"])
        return response

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


def typecheck(files: dict[str, str], zod: str) -> subprocess.CompletedProcess[str]:
    """``tsc --strict --noEmit`` over ``files`` (name -> TS text) with "zod" resolved to
    the zod 3 or zod 4 package (``zod`` is "zod3" or "zod4")."""
    with tempfile.TemporaryDirectory(prefix=f"tsc-{zod}-") as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        config = {
            "compilerOptions": {
                "strict": True,
                "noEmit": True,
                "target": "es2022",
                "module": "esnext",
                "moduleResolution": "bundler",
                "skipLibCheck": True,
                "types": [],
                "noUnusedLocals": True,
                "baseUrl": ".",
                "paths": {"zod": [str(ZOD_PACKAGES[zod])]},
            },
            "files": sorted(files),
        }
        (folder / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        return subprocess.run(
            ["node", str(NODE_MODULES / "typescript" / "bin" / "tsc"), "-p", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
        )
