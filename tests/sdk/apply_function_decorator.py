"""Apply ``inferencesh.function`` to declarations and print what it records.

Run by ``test_surface.py`` under the bundled surface and under a real SDK that
has the decorator, to compare the two.  Standard library only.  Reads
``{"sys_path": [...], "declarations": [{"credentials": ..., "annotations": ...}]}``
on stdin; prints, per declaration, the ``__inferencesh_function__`` it set or
the name of the exception it raised.
"""

import json
import sys


def main() -> None:
    request = json.load(sys.stdin)
    sys.path[:0] = request["sys_path"]
    from inferencesh import function

    results = []
    for declaration in request["declarations"]:
        try:
            method = function(**declaration)(lambda self, input_data: None)
            results.append(method.__inferencesh_function__)
        except Exception as error:
            results.append(f"error: {type(error).__name__}")
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
