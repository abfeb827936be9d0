"""What an operation is: method, path template, scope, roles, body and response models."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from functools import cached_property
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["TOKEN", "Operation", "Scope", "Unsupported", "adhoc_operation"]

R = TypeVar("R", covariant=True)
_PARAM = re.compile(r"{(\w+)}")


class Scope(Enum):
    """Which id headers an operation needs."""

    NONE = "none"  # the token exchange: HMAC only
    ACCOUNT = "account"  # x-account-id
    TENANT = "tenant"  # x-account-id and x-tenant-id


@attrs.frozen
class Operation(Generic[R]):
    """One API operation; ``R`` is what the SDK method returns after decoding.

    ``response`` maps each documented success status to its body model (``None`` = no body).
    ``confirmed`` is false when the path or method is inferred from sibling operations
    (``[INFERRED]`` in ``imburse-api.md``): such operations are callable but experimental.
    ``natural_key`` names the body field that makes a create idempotent on Imburse's side (a
    second create with the same ref is refused), which lets the SDK retry it safely.

    >>> from imburse._core.operations import GET_ORDER
    >>> GET_ORDER.path_params, GET_ORDER.idempotent
    (('orderRef',), True)
    """

    name: str
    method: str
    path: str
    scope: Scope
    roles: tuple[str, ...]
    response: Mapping[int, type[Any] | None]
    body: type[Any] | None = None
    query: tuple[str, ...] = ()
    confirmed: bool = True
    natural_key: str | None = None
    summary: str = ""

    @cached_property
    def path_params(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the path template, in order."""
        return tuple(_PARAM.findall(self.path))

    @property
    def idempotent(self) -> bool:
        """True when sending the request twice has the effect of sending it once."""
        return self.method in ("GET", "HEAD", "PUT", "DELETE")

    @property
    def repeatable(self) -> bool:
        """True when an attempt with an unknown outcome may be sent again safely."""
        return self.idempotent or self.natural_key is not None

    @cached_property
    def addresses_object(self) -> bool:
        """True unless this is a POST to a collection (a create with nothing named in its path).

        It decides what a 400 "... not found" means: the addressed object is missing
        (:class:`~imburse.NotFoundError`), or something the body referred to is
        (:class:`~imburse.BadRequestError`).

        >>> from imburse._core.operations import CREATE_ORDER, GET_ORDER
        >>> GET_ORDER.addresses_object, CREATE_ORDER.addresses_object
        (True, False)
        """
        return self.method != "POST" or bool(self.path_params)

    @property
    def version(self) -> str:
        """The API version prefix of the path, e.g. ``"v1"``."""
        return self.path.split("/")[1]


@attrs.frozen
class Unsupported:
    """A documented operation the SDK does not model, and why (for the reference)."""

    group: str
    summary: str
    reason: str


TOKEN: Operation[None] = Operation(
    name="identity.token",
    method="POST",
    path="/v1/identity/hmac",
    scope=Scope.NONE,
    roles=(),
    response={201: None, 200: None},
    summary="Exchange an HMAC-signed request for a bearer access token.",
)


_SCOPES = {"tenant": Scope.TENANT, "account": Scope.ACCOUNT}
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


class _AnyJSON:
    """Marker response model: decode the body as plain JSON (for ``client.request``)."""


def adhoc_operation(
    method: str, path: str, *, scope: str = "tenant", idempotent: bool | None = None
) -> Operation[object]:
    """An operation for ``client.request``: a path the SDK does not model.

    >>> adhoc_operation("get", "/v2/mandates").method
    'GET'
    """
    from ..errors import ValidationError

    verb = method.upper()
    if verb not in _METHODS:
        raise ValidationError("method", f"must be one of {sorted(_METHODS)} (got {method!r})")
    if not path.startswith("/") or path.startswith("//") or "://" in path or "{" in path:
        raise ValidationError("path", f"must be a path like '/v1/...' (got {path!r})")
    if scope not in _SCOPES:
        raise ValidationError("scope", f"must be 'tenant' or 'account' (got {scope!r})")
    repeat = verb != "POST" if idempotent is None else idempotent
    return Operation(
        name="request",
        method=verb,
        path=path.split("?")[0],
        scope=_SCOPES[scope],
        roles=(),
        response={},
        # A natural key is what marks a POST as safe to repeat in the retry policy.
        natural_key="(caller says idempotent)" if repeat and verb == "POST" else None,
        summary="client.request escape hatch",
    )
