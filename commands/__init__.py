"""The ``flask`` command groups, one module per group; app.py registers them."""
