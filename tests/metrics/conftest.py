from __future__ import annotations

from tests.telemetry.conftest import full_run  # noqa: F401  (its own run for this package)
