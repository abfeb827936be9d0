"""attrs value objects for each API area; imported lazily from :mod:`imburse`."""
