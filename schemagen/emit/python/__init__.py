"""The Python target: ``python-client`` (``client.py``, pydantic models and clients).

``naming`` holds Python's lexical rules, ``doc`` and ``layout`` break lines as ruff
format does, ``models`` translates JSON Schema into pydantic models and ``client``
writes the module.
"""
