"""Routes of the fake per API group; each module exports ``ROUTES`` (see ``_app.route``).

A module here builds its routes with :func:`imburse.testing._app.route`, keeps its state in
``app.store(owner_id, "name")`` and raises :class:`imburse.testing._errors.HTTPProblem` for
error answers. Routes are discovered, so groups stay independent of each other.
"""
