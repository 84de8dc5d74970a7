"""Changing records: the service helpers every domain's rules use (audit rows, optimistic locking,
dependants), mutation payloads with typed errors that commit only without them (`mutations`), the
generic create/update/delete mutations built from a domain's rules (`crud`), their bulk forms over a list
(`bulk`) and over a filter with a dry run (`by_filter`)."""
