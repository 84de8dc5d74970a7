"""The object store: photos and documents with Audubon Core metadata (DINA object-store-api)."""
