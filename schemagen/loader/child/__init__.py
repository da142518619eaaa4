"""The loader's child side: what runs in the process that imports an app.

``boot`` checks the interpreter (it may be the app's own, ``--python``); then
``main`` imports the app, ``finder`` deciding which imports become ``stubs``
(``star_imports`` for ``from stub import *``), and compiles it with
``discovery`` (``positions`` finds source lines). ``worker`` is the fork
server that does the same for many apps. None of these runs in the schemagen
process except through ``loader.api``. This file stays empty of imports: the
child imports it before anything else.
"""
