"""Service metrics: Prometheus at GET /metrics and OpenTelemetry metrics, one set per context."""
