"""WTForms, one module per area: the only gate for browser input (the workspace adds them)."""
