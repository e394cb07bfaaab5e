"""A user's own workspace: saved searches, tasks from gaps (and, to come, comments and watches)."""
