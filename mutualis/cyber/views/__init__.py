"""Pages of the cyber app, by area."""
