"""Command-line groups that outgrew cli.py, one module per group."""
