"""Public views of the articles app, one module per concept."""
