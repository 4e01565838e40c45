"""A durable job queue in the application database, and the worker that drains it."""
