"""Synthetic purchase-order eval cases: planned from the demo master data, rendered per channel."""
