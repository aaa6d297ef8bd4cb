"""Forms of the establishments pages: they clean and check input only (no lookup, no write)."""
