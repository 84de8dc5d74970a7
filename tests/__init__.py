import os

# The test process's schemas answer introspection (the GraphQL-over-HTTP audit asks for it), as a
# dev-mode `serve` does; everything else follows the defaults (DINA_DEV=false: real groups). The
# variable is removed again once the schemas are built (tests/conftest.py).
os.environ.setdefault("DINA_INTROSPECTION", "true")
