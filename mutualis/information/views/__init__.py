"""Pages of the information platform, one module per area."""
