"""Transactions: loans, borrows, gifts, exchanges, accessions and deaccessions, with their items,
shipments and permits (DINA loan-transaction-api; Specify's interactions)."""
