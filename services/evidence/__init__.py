"""Exhibits, their files and numbers, the evidence store, the chain of custody and fixity."""
