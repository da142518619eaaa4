"""What every target shares, in no language of its own.

``target`` (the ``Target`` protocol: what a target declares and returns),
``translator`` (the keyword dispatch of every JSON Schema -> code translator),
``definitions`` (a manifest's schema documents and their shared ``$defs``),
``naming`` (the ``Namer`` protocol each language implements) and ``patterns``
(JSON Schema's ECMA-262 pattern dialect).
"""
