"""Print the JSON Schemas of inferencesh classes and of parity apps' models.

Run as a script by ``test_parity_0715.py``, once under the real inferencesh
0.7.15 (its own virtual env) and once under the bundled surface, so the two
outputs can be compared byte for byte.  Standard library only: it must run in
either environment.  Reads one JSON request on stdin:

    {"sys_path": [dirs to put first on sys.path],
     "app": null or {"dir": app folder, "classes": [name, ...],
                     "rebuild_first": [[module, name], ...]},
     "classes": [[module, name], ...],
     "star_modules": [module, ...]}

The app is imported first, into a fresh interpreter as the loader's child does
(``rebuild_first`` names models to ``model_rebuild()`` before that import).
Writes one JSON document to stdout: the origin of ``inferencesh``, each class's
schema in validation and serialization mode as the exact text
``json.dumps(schema, indent=2)`` (or the error it raised), and the names each
star-module binds on ``from module import *``.
"""

import importlib
import json
import os
import sys
import warnings
from typing import Any


def schema_texts(cls: Any) -> dict[str, str]:
    """Both modes of ``cls``'s schema: a model's own, else its TypeAdapter's."""
    texts = {}
    for mode in ("validation", "serialization"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if hasattr(cls, "model_json_schema"):
                    schema = cls.model_json_schema(mode=mode)
                else:
                    from pydantic import TypeAdapter

                    schema = TypeAdapter(cls).json_schema(mode=mode)
            texts[mode] = json.dumps(schema, indent=2)
        except Exception as error:  # reported, compared like a schema
            texts[mode] = f"error: {type(error).__name__}: {error}"
    return texts


def star_names(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    return sorted(set(names))


def app_schemas(spec: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Import an app's ``inference.py`` plainly and dump its models' schemas.

    The app folder is first on sys.path and the working directory, as in the loader.
    """
    for module, name in spec["rebuild_first"]:
        getattr(importlib.import_module(module), name).model_rebuild()
    sys.path.insert(0, spec["dir"])
    os.chdir(spec["dir"])
    try:
        module = importlib.import_module("inference")
    except Exception as error:
        text = f"error: {type(error).__name__}: {error}"
        return {name: {"validation": text, "serialization": text} for name in spec["classes"]}
    return {name: schema_texts(getattr(module, name)) for name in spec["classes"]}


def main() -> None:
    request = json.load(sys.stdin)
    sys.path[:0] = request["sys_path"]
    import inferencesh

    app = request["app"] and app_schemas(request["app"])
    classes = {
        f"{module}.{name}": schema_texts(getattr(importlib.import_module(module), name))
        for module, name in request["classes"]
    }
    result = {
        "inferencesh_file": inferencesh.__file__,
        "app": app,
        "classes": classes,
        "star_names": {module: star_names(module) for module in request["star_modules"]},
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
