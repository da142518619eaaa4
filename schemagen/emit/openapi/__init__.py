"""The ``openapi`` target: ``openapi.json``, the platform's task API typed for one app."""
