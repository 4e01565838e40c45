"""Master data: the CSV files of the company, their tables, and the cached in-memory view."""
