"""The ``jsonschema`` target: the platform's own schema files and ``manifest.json``."""
