"""The TypeScript targets: ``zod`` (``schemas.ts``) and ``ts-client`` (``client.ts``).

``naming`` holds TypeScript's lexical rules (identifiers, reserved words, literals,
JSDoc); ``zod`` translates JSON Schema into zod; ``client`` writes the typed client
over the zod module.
"""
