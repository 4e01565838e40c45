"""Inbound email: stored durably first, processed by the job worker afterwards."""
