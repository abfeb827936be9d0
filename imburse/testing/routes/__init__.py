"""Routes of the fake per API group; each module exports ``ROUTES`` (see ``_app.route``).

A module here builds its routes with :func:`imburse.testing._app.route`, keeps its state in
``app.store(owner_id, "name")`` and raises :class:`imburse.testing._errors.HTTPProblem` for
error answers. Routes are discovered, so groups stay independent of each other.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from .._app import CORE_ROUTES, Route

__all__ = ["all_routes"]


@functools.cache
def all_routes() -> tuple[Route, ...]:
    """The core routes plus every API group's ``ROUTES`` from this package."""
    found = list(CORE_ROUTES)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(module.ROUTES)
    return tuple(found)
