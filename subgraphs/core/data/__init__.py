"""Reading the database: engine and sessions (`db`), statements compiled once for asyncpg (`reads`),
dataloaders and the visibility condition they apply (`loaders`), lean reads (`lean`), Relay keyset
pages (`pagination`), `orderBy` and `filter` inputs and their SQL, reference checks, rows as Strawberry
objects (`types`) and the values a column can store (`storable`)."""
