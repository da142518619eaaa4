"""The TypeScript targets: ``zod`` (``schemas.ts``) and ``ts-client`` (``client.ts``).

``naming`` holds TypeScript's lexical rules (identifiers, reserved words, literals,
JSDoc); ``zod`` translates JSON Schema into zod; ``client`` writes the typed client
over the zod module.
"""

from __future__ import annotations

from schemagen.emit.core.target import Target

ZOD = Target(
    name="zod",
    help="schemas.ts: zod schemas (zod 3 and 4) equivalent to the JSON Schemas",
    emitter="schemagen.emit.typescript.zod:emit",
    files=("schemas.ts",),
    options=("regenerate",),
)
TS_CLIENT = Target(
    name="ts-client",
    help="client.ts: typed TypeScript client (and the schemas.ts it builds on)",
    emitter="schemagen.emit.typescript.client:emit",
    files=("client.ts", "schemas.ts"),
    options=("app_ref", "regenerate"),
)
