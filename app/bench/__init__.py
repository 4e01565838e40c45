"""`intake bench`: where the time goes (pipeline, HTTP intake, scale-out, memory)."""
