"""Dossiers: the facts read for an assessment, the pages, the stored summaries, the drawings and
the case workflow."""
