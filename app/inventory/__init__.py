"""Stock reservations: what this service has promised from each warehouse's stock."""
