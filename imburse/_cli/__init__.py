"""Command-line entry points for ``python -m imburse``."""
