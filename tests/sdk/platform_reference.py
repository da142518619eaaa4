"""The platform's schema files for one app, written with the real SDK and plain Python.

An oracle independent of schemagen's loader: run by ``test_linked_repo.py``
in the virtual env of the real ``inferencesh==0.7.15``, with the app's
dependencies "installed" (``installed_deps/`` on ``PYTHONPATH``), it imports
the app the way any Python program would (links followed by the OS, nothing
stubbed), finds functions by the platform's rules (SPEC.md section 2: public
methods, inherited ones included, taking and returning pydantic models) and
prints the files the platform writes, as ``{name: text}``. Standard library
and the real SDK only.

Usage: python platform_reference.py APP_DIR
"""

import collections.abc
import importlib.util
import inspect
import json
import os
import sys
import types
import typing

from pydantic import BaseModel

GENERATORS = (
    collections.abc.AsyncGenerator,
    collections.abc.Generator,
    collections.abc.AsyncIterator,
    collections.abc.Iterator,
)


def import_app(app_dir):
    sys.path.insert(0, app_dir)
    os.chdir(app_dir)
    package = types.ModuleType("app")
    package.__path__ = [app_dir]
    sys.modules["app"] = package
    spec = importlib.util.spec_from_file_location(
        "app.inference", os.path.join(app_dir, "inference.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["app.inference"] = module
    spec.loader.exec_module(module)
    return module.App


def is_model(value):
    return isinstance(value, type) and issubclass(value, BaseModel)


def functions(app):
    found = {}
    for name in sorted(dir(app)):
        if name.startswith("_") or name in ("setup", "unload"):
            continue
        owner = next(k for k in app.__mro__ if name in k.__dict__)
        if owner.__module__.startswith("pydantic"):
            continue
        method = inspect.getattr_static(app, name)
        if not inspect.isfunction(method):
            continue
        params = list(inspect.signature(method).parameters.values())
        if len(params) < 2:
            continue
        hints = typing.get_type_hints(method)
        takes, gives = hints.get(params[1].name), hints.get("return")
        if typing.get_origin(gives) in GENERATORS:
            gives = typing.get_args(gives)[0]
        if is_model(takes) and is_model(gives):
            found[name] = {
                "description": inspect.getdoc(getattr(app, name)) or "",
                "input_schema": takes.model_json_schema(),
                "output_schema": gives.model_json_schema(),
            }
    return found


def setup_model(app):
    setup = inspect.getattr_static(app, "setup", None)
    params = list(inspect.signature(setup).parameters.values()) if setup else []
    if len(params) < 2:
        return None
    hint = typing.get_type_hints(setup).get(params[1].name)
    return hint if is_model(hint) else None


def main():
    app = import_app(os.path.abspath(sys.argv[1]))
    found = functions(app)
    files = {"functions_schema.json": found}
    if "run" in found:
        files["input_schema.json"] = found["run"]["input_schema"]
        files["output_schema.json"] = found["run"]["output_schema"]
    setup = setup_model(app)
    if setup is not None:
        files["setup_schema.json"] = setup.model_json_schema()
    json.dump({name: json.dumps(value, indent=2) for name, value in files.items()}, sys.stdout)


if __name__ == "__main__":
    main()
