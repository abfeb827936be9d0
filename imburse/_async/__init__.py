"""The hand-written async client. ``imburse/_sync`` is generated from this package."""
