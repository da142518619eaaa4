"""The Node.js front end: a Node.js app folder in, the same Manifest out.

``parent`` runs in the schemagen process: it starts ``node`` on
``runtime/extract.mjs`` (with ``runtime/hooks.mjs`` resolving the app's
imports) and turns its reply into a Manifest or an error, exactly as the
Python loader's parent does. ``runtime/`` is JavaScript shipped in the wheel;
``vendor/`` holds the zod 3 and zod 4 builds and the ``@inferencesh/app``
package an app gets when its own ``node_modules`` lacks them (rebuilt by
``tools/vendor_node.mjs``). The platform's rules it follows are in
``docs/node-apps.md``.
"""
