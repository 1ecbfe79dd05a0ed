"""Training commands, one module per shipped model: ``python -m generators.train NAME [--dry-run]``."""
