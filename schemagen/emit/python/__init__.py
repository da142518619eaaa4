"""The Python target: ``python-client`` (``client.py``, pydantic models and clients).

``naming`` holds Python's lexical rules, ``doc`` and ``layout`` break lines as ruff
format does, ``models`` translates JSON Schema into pydantic models and ``client``
writes the module.
"""

from __future__ import annotations

from schemagen.emit.core.target import Target

PYTHON_CLIENT = Target(
    name="python-client",
    help="client.py: typed Python client (pydantic models, sync and async)",
    emitter="schemagen.emit.python.client:emit",
    files=("client.py",),
    options=("app_ref", "regenerate"),
)
