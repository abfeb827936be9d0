"""Defaults shared by ``create_many`` and the batch command, in a module cheap to import.

The command builds its ``--help`` from them on every ``python -m imburse`` start, so they
live apart from the batch models (which load the order models and attrs converters).
"""

from __future__ import annotations

__all__ = ["DEFAULT_CONCURRENCY", "DEFAULT_MAX_LINE_BYTES"]

#: Creates in flight at once unless the caller says otherwise.
DEFAULT_CONCURRENCY = 32

#: The longest input line the batch command reads (1 MiB, line ending not counted); a longer
#: line is reported ``invalid`` without being held in memory.
DEFAULT_MAX_LINE_BYTES = 1024 * 1024
