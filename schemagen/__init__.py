"""schemagen: a schema compiler and code generator for inference.sh apps.

Kept import-light on purpose: the loader's child process imports this package
before the app, and everything here adds to each extraction's start-up time.
"""

__version__ = "0.1.0"
