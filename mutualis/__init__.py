"""Mutualis: run an intercommunal shared IT service for member communes."""
