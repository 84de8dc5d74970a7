"""Collection objects: material samples, collecting events, determinations, storage (DINA collection-api)."""
