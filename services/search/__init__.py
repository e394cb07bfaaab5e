"""Search across officials, institutions, decisions and evidence: the index and the queries."""
