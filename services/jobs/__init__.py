"""Background jobs (issue 22, item 1): text extraction now; OCR, mention finding and large
exports later.

``records`` creates jobs, lists them by clearance and retries failed ones; ``queue`` runs them
with huey (its SQLite storage under instance/ by default, Redis when ``REDIS_URL`` is set);
``runner`` does one job's work and keeps its row (status, progress, result, error) current.
"""
