"""Changing records: the service helpers every domain's rules use (audit rows, optimistic locking,
dependants), mutation payloads with typed errors that commit only without them (`mutations`), the
generic create/update/delete mutations built from a domain's rules (`crud`), their forms over a list
(`batch`) and over a filter with a dry run (`by_filter`), and the COPY machinery repositories declare
their bulk loads with (`bulk`)."""
