"""The JSON Schema vocabulary every layer shares (emit, diff, serve).

- ``keywords``: the keyword families (annotations, per-type keywords, where
  sub-schemas and data sit);
- ``values``: JSON values: ``json_type``, JSON Schema's equality (``1 == 1.0``,
  ``True != 1``) and its canonical text;
- ``pointers``: JSON pointer tokens, walking a document by pointer, local
  ``$ref`` resolution;
- ``defs``: a document's ``$defs``, what an entry reaches, and when two entries
  of different documents are the same definition;
- ``walk``: the sub-schemas of a document.

Nothing here imports the rest of schemagen: it sits below every layer.
"""
