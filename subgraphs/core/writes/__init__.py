"""Changing records: the service helpers every domain's rules use (audit rows, optimistic locking,
dependants), mutation payloads with typed errors that commit only without them (`mutations`), and the
generic create/update/delete mutations built from a domain's rules (`crud`), and the COPY machinery
repositories declare their bulk paths with (`bulk`)."""
