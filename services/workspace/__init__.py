"""A user's own workspace: saved searches (and, to come, tasks, comments and watches)."""
