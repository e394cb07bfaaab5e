"""Backups of a running instance and restores into a fresh one."""
