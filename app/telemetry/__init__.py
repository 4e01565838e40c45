"""Traces kept in the application database, and the per-draft timeline read from them."""
