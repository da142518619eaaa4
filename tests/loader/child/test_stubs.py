"""Stub values: what app code may do with them, and that they are always traceable."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Optional

import pytest
from pydantic import BaseModel

from schemagen.loader.child.stubs import (
    MAX_ATTRIBUTE_DEPTH,
    STUB_MARKER,
    StubModule,
    find_stub,
    stub_class,
    stub_value,
)


def test_attribute_chains_and_calls_keep_their_path() -> None:
    value = stub_value("torchx.nn").Linear(3, 4).weight
    assert find_stub(value) == "torchx.nn.Linear().weight"


def test_decorators_and_decorator_factories_return_the_function() -> None:
    def method(self: object) -> int:
        return 1

    for decorated in (
        stub_value("torchx.compile")(method),
        stub_value("torchx.inference_mode")()(method),
        stub_value("spaces.GPU")(duration=60)(method),
    ):
        assert decorated.__code__ is method.__code__ and decorated(None) == 1
        assert decorated.__qualname__ == method.__qualname__


def test_a_decorator_wrapping_a_stub_decorator_makes_no_wrapper_loop() -> None:
    import functools
    import inspect
    import typing

    def with_retries(fn: Any) -> Any:
        return functools.wraps(fn)(stub_value("tenacity.retry")(fn))

    @with_retries
    def run(self: object, value: int) -> str:
        return str(value)

    assert list(inspect.signature(run).parameters) == ["self", "value"]
    assert typing.get_type_hints(run) == {"self": object, "value": int, "return": str}


def test_stub_bases_alone_several_and_mixed_with_pydantic() -> None:
    module = stub_value("nnx.Module")

    class Single(module):  # type: ignore[misc]
        pass

    class Several(module, stub_value("nnx.Mixin")):  # type: ignore[misc]
        pass

    class Mixed(module, BaseModel):  # type: ignore[misc]
        width: int = 2

    assert isinstance(Single(), module)
    assert isinstance(Several(), stub_value("nnx.Mixin"))
    assert not isinstance(3, module)
    assert issubclass(Single, module)
    assert Mixed(width=5).width == 5
    assert Mixed.model_json_schema()["properties"]["width"]["default"] == 2
    assert find_stub(Mixed) == "nnx.Module"


def test_exception_names_are_real_exception_classes() -> None:
    error = stub_value("torchx.cuda.OutOfMemoryError")
    assert issubclass(error, Exception)
    with pytest.raises(error):
        raise error("boom")
    try:
        raise error("boom")
    except stub_value("torchx.cuda.OutOfMemoryError"):
        caught = True
    assert caught


def test_protocols_used_at_import_time() -> None:
    s = stub_value("lib.thing")
    with s as entered:
        assert find_stub(entered) == "lib.thing"
    assert list(s) == []
    assert len(s) == 0
    assert find_stub(s[int]) == "lib.thing[]"
    assert find_stub(s + 1) is not None
    assert find_stub(1 + s) is not None
    assert find_stub(s * 2 - 1) is not None
    assert find_stub("a" + s) is not None  # str + stub stays a stub
    assert bool(s < 3)
    assert s == s and s != stub_value("lib.other")
    s.flag = True
    assert s.flag is True


def test_text_forms_carry_the_marker() -> None:
    s = stub_value("lib.version")
    text = f"v{s}"
    assert STUB_MARKER in text
    assert find_stub({"description": text}) == "lib.version"
    assert find_stub(["x", {"y": [str(s)]}]) == "lib.version"


def test_module_version_is_a_parseable_string_that_stays_traceable() -> None:
    module = StubModule("libx")
    assert module.__version__ == "0.0.0"
    assert find_stub(module.__version__) == "libx.__version__"
    assert module.__all__ == []  # outside a star import, it lists nothing


def test_module_and_value_files_are_relative_paths_that_carry_the_marker() -> None:
    module = StubModule("libf")
    assert module.__file__ is not None and find_stub(module.__file__) == "libf.__file__"
    folder = os.path.dirname(stub_value("libf.sub").__file__)
    assert find_stub(os.path.join(folder, "config.json")) == "libf.sub.__file__"
    assert not os.path.isabs(folder)


def test_attribute_chains_end_so_walks_until_the_end_stop() -> None:
    model = stub_value("libw.model")
    hops = 0
    while hasattr(model, "module"):
        model = model.module
        hops += 1
    assert 0 < hops <= MAX_ATTRIBUTE_DEPTH


def test_repeated_calls_and_operations_do_not_grow_the_trace() -> None:
    total = stub_value("libo.zeros")()
    for _ in range(1000):
        total = total * 2 + 1
    assert find_stub(total) == "libo.zeros()<op>"


def run_module(tmp_path: Path, source: str, **modules: ModuleType) -> dict[str, Any]:
    """Execute ``source`` as a module file (its globals back) with ``modules`` importable."""
    path = tmp_path / "module_under_test.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        module = ModuleType("module_under_test")
        exec(compile(source, str(path), "exec"), module.__dict__)
        return module.__dict__
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_star_import_of_a_stub_binds_the_names_the_file_reads(tmp_path: Path) -> None:
    source = (
        "from typing import Optional\n"
        "from libs_star import *\n"
        "class Pipe(FluxPipeline):\n"
        "    scheduler = Scheduler\n"
        "def later():\n"
        "    return OnlyInAFunction\n"
        "size = len('abc')\n"
        "patched = Rebound\n"
        "Rebound = 3\n"
    )
    namespace = run_module(tmp_path, source, libs_star=StubModule("libs_star"))
    assert find_stub(namespace["Pipe"]) == "libs_star.FluxPipeline"
    assert find_stub(namespace["Pipe"].scheduler) == "libs_star.Scheduler"
    assert find_stub(namespace["later"]()) == "libs_star.OnlyInAFunction"
    # Names bound before the star import, and builtins, are never replaced.
    assert namespace["Optional"] is Optional and namespace["size"] == 3
    # A name read before the file binds it: the stub first, the file's value after.
    assert find_stub(namespace["patched"]) == "libs_star.Rebound" and namespace["Rebound"] == 3


def test_star_names_pass_through_a_module_that_star_imported_a_stub(tmp_path: Path) -> None:
    module = ModuleType("vendored_mod")
    module.__dict__.update(
        run_module(
            tmp_path / "v", "from libs_chain import *\n", libs_chain=StubModule("libs_chain")
        )
    )
    namespace = run_module(
        tmp_path,
        "from vendored_mod import *\nfrom vendored_mod import Explicit\nX = Bare\n",
        vendored_mod=module,
    )
    assert find_stub(namespace["X"]) == "libs_chain.Bare"
    assert find_stub(namespace["Explicit"]) == "libs_chain.Explicit"
    # Anything else still raises as a missing attribute does.
    with pytest.raises(AttributeError):
        _ = module.not_requested


def test_stub_classes_are_cached_per_path() -> None:
    assert stub_class("a.B") is stub_class("a.B")
    assert stub_value("a.c") is stub_value("a.c")


def test_real_values_are_not_stubs() -> None:
    assert find_stub({"a": [1, "text", None, (2.0,)]}) is None
    assert find_stub(int) is None


def test_enums_with_stub_values_are_traced() -> None:
    import enum

    class Precision(enum.Enum):
        HALF = stub_value("torchx.float16")
        FULL = "full"

    assert find_stub(Precision) == "torchx.float16"
    assert find_stub(Precision.HALF) == "torchx.float16"
    assert find_stub(Precision.FULL) is None


def test_version_in_an_f_string_stays_traceable_but_compares_as_a_version() -> None:
    version = StubModule("libv").__version__
    assert find_stub(f"built with {version}") == "libv.__version__"
    assert find_stub("built with " + version) == "libv.__version__"
    assert find_stub(version + " build") == "libv.__version__"
    assert find_stub("{}".format(version)) == "libv.__version__"  # noqa: UP032 - str.format itself
    assert version >= "0.0.0" and version.split(".") == ["0", "0", "0"]
