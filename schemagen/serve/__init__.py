"""``schemagen serve``: an app behind the part of the platform's HTTP API that the
official SDKs use to run a task, on 127.0.0.1, running the real app code in-process.

``runner.py`` imports the app and runs its functions (setup once per setup config);
``server.py`` is the HTTP side: tasks, their NDJSON update streams and files.
"""
