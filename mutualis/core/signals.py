"""Signals that let a lower floor announce an event to the apps above it without importing them."""

from django.dispatch import Signal

# Sent by the demo (`mutualis load_demo`) once every step has loaded its data, inside the demo's
# last transaction, with `log` (a callable taking one line). Apps whose data is derived from every
# other capability's — the six-monthly reviews — add their demo data on it, so the demo never
# imports them (the floors of ARCHITECTURE.md).
demo_loaded = Signal()
