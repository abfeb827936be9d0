"""What an operation is: method, path template, scope, roles, body and response models,
and the Python method that calls it (:class:`Method`, read by ``scripts/gen_api.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cached_property
from typing import Any, Generic, TypeVar
from urllib.parse import unquote

import attrs

__all__ = [
    "PAGE_ARGS",
    "TOKEN",
    "Arg",
    "Group",
    "Method",
    "Operation",
    "Scope",
    "Unsupported",
    "adhoc_operation",
    "deprecation_warning",
    "first_page_query",
]

R = TypeVar("R", covariant=True)
_PARAM = re.compile(r"{(\w+)}")


class Scope(Enum):
    """Which id headers an operation needs."""

    NONE = "none"  # the token exchange: HMAC only
    ACCOUNT = "account"  # x-account-id
    TENANT = "tenant"  # x-account-id and x-tenant-id


@attrs.frozen
class Arg:
    """One argument of a generated resource method.

    ``path`` names the ``{placeholder}`` it fills and ``query`` the query key it sets;
    an argument with neither goes into the request body (see :attr:`Method.body`).
    ``check(name, value)`` runs first and raises :class:`~imburse.ValidationError`.
    ``default`` is the Python source of the default value (``None``: required). Path
    arguments are positional, the others keyword-only, unless ``positional`` says otherwise.

    >>> Arg("order_ref", "str", path="orderRef").keyword_only
    False
    """

    name: str
    type: str
    default: str | None = None
    path: str | None = None
    query: str | None = None
    check: Callable[[str, Any], object] | None = None
    positional: bool | None = None

    @property
    def keyword_only(self) -> bool:
        """Whether the argument comes after the ``*`` in the signature."""
        return not (self.path is not None if self.positional is None else self.positional)

    @property
    def in_body(self) -> bool:
        """True for an argument that is part of the request body."""
        return self.path is None and self.query is None


@attrs.frozen
class Method:
    """The Python method of an operation, as ``scripts/gen_api.py`` writes it (with its raw
    twin) into ``imburse/_async/resources/``. Its name is the last part of
    :attr:`Operation.name` (``orders.get`` -> ``client.orders.get``) unless ``name`` says
    otherwise (a second method for the same operation, e.g. ``create_from``).

    ``doc`` is the docstring without its example; ``example`` the doctest lines after
    ``>>>`` (continuation lines start with ``...``). The body is built from the body
    arguments by ``body`` (called with them as keywords), by the operation's declared body
    model when ``body`` is not given, or is the single body argument itself when that
    argument is ``whole_body``. ``query`` builds the query mapping from the query arguments
    (default: ``{arg.query: value}``, unset ones left out). ``unwrap`` names the field of
    the decoded model that the method returns (lists come back as tuples), and ``returns``
    is then its annotation.

    ``paged`` makes a paged list (``from``/``take`` and the page envelope): the method gets
    the keyword arguments ``start`` (the wire's ``from``), ``take`` and ``limit``, is a plain
    ``def`` returning the pager at once (``async for item in client.mandates.list()``; a
    ``for`` on the sync client) and ``returns`` names that pager type. Each page is one call
    through the requestor. Its ``with_raw_response`` twin fetches the first page only.
    """

    doc: str
    example: str
    args: tuple[Arg, ...] = ()
    name: str | None = None
    body: Callable[..., object] | None = None
    whole_body: bool = False
    query: Callable[..., Mapping[str, object]] | None = None
    unwrap: str | None = None
    returns: str | None = None
    paged: bool = False


def _page_args() -> tuple[Arg, ...]:
    # Defaults as published: from 0, take 100 (``imburse._core.models.paging``).
    return (
        Arg("start", "int", default="0"),
        Arg("take", "int", default="100"),
        Arg("limit", "int | None", default="None"),
    )


#: The arguments every paged method gets, after its own.
PAGE_ARGS: tuple[Arg, ...] = _page_args()


def first_page_query(start: int, take: int, limit: int | None) -> dict[str, int]:
    """The query of the first page of a walk: what a paged method's raw twin sends.

    >>> first_page_query(0, 100, 30)
    {'from': 0, 'take': 30}
    """
    from ..models.paging import check_limit, page_query

    wanted = check_limit(limit)
    page = page_query(start, take)
    if wanted is not None:
        page["take"] = min(page["take"], wanted)
    return page


def deprecation_warning(method: str, reason: str) -> None:
    """Warn that ``method`` calls an operation Imburse has deprecated (in the caller's line).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     deprecation_warning("client.rewards.claim", "Imburse answers 410 Gone")
    >>> str(seen[0].message)
    'client.rewards.claim is deprecated by Imburse: Imburse answers 410 Gone'
    """
    import warnings

    # stacklevel 3: this function, the resource method, then the caller's line.
    warnings.warn(f"{method} is deprecated by Imburse: {reason}", DeprecationWarning, stacklevel=3)


@attrs.frozen
class Group:
    """A namespace of the client (``client.orders``, ``client.apps.tangocard``).

    ``cls`` is its class name without the ``Async`` prefix. With ``custom``, hand-written
    methods (creates with read-back, polling...) come from ``Async<cls>Custom`` and their raw
    twins from ``Async<cls>CustomRaw`` in ``imburse/_async/resources/<module>_custom.py``.
    """

    name: str
    cls: str
    doc: str
    custom: bool = False


@attrs.frozen
class Operation(Generic[R]):
    """One API operation; ``R`` is its response model, what decoding returns.

    ``response`` maps each documented success status to its body model (``None`` = no body;
    an empty mapping = plain JSON); ``R`` is inferred from it, so the annotation of an entry
    cannot disagree with its model. ``python`` describes the generated resource method
    (``None``: hand-written, or no method).
    ``confirmed`` is false when the path or method is inferred from sibling operations
    (``[INFERRED]`` in ``imburse-api.md``): such operations are callable but experimental.
    ``natural_key`` names the body field that makes a create idempotent on Imburse's side (a
    second create with the same ref is refused), which lets the SDK retry it safely.
    ``deprecated`` is Imburse's deprecation, said in a few words (e.g. "use
    ``mandates.create``"): calling the method then warns with :class:`DeprecationWarning`.

    >>> from imburse._core.operations import GET_ORDER
    >>> GET_ORDER.path_params, GET_ORDER.idempotent
    (('orderRef',), True)
    """

    name: str
    method: str
    path: str
    scope: Scope
    roles: tuple[str, ...]
    response: Mapping[int, type[R] | None]
    body: type[Any] | None = None
    query: tuple[str, ...] | None = ()
    confirmed: bool = True
    natural_key: str | None = None
    summary: str = ""
    deprecated: str | None = None
    python: Method | tuple[Method, ...] | None = attrs.field(default=None, repr=False)

    @property
    def methods(self) -> tuple[Method, ...]:
        """The generated methods that call this operation (usually one)."""
        python = self.python
        return () if python is None else python if isinstance(python, tuple) else (python,)

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


_DOT_SEGMENTS = frozenset({".", ".."})


def adhoc_operation(
    method: str, path: str, *, scope: str = "tenant", idempotent: bool | None = None
) -> Operation[object]:
    """An operation for ``client.request``: a path the SDK does not model.

    The path is taken as written, on every transport: a query string belongs in
    ``params=`` and dot segments (``.``, ``..``, also percent-encoded as ``%2e``) are
    refused, since servers and some HTTP clients resolve them to another endpoint.

    >>> adhoc_operation("get", "/v2/mandates").method
    'GET'
    """
    from ..errors import ValidationError

    verb = method.upper() if isinstance(method, str) else method
    if verb not in _METHODS:
        raise ValidationError("method", f"must be one of {sorted(_METHODS)} (got {method!r})")
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or path.startswith("//")
        or "://" in path
        or "{" in path
    ):
        raise ValidationError("path", f"must be a path like '/v1/...' (got {path!r})")
    if "?" in path or "#" in path:
        raise ValidationError(
            "path", f"must not contain '?' or '#': pass query parameters as params= (got {path!r})"
        )
    if any(unquote(segment) in _DOT_SEGMENTS for segment in path.split("/")):
        raise ValidationError("path", f"must not contain '.' or '..' segments (got {path!r})")
    if scope not in _SCOPES:
        raise ValidationError("scope", f"must be 'tenant' or 'account' (got {scope!r})")
    repeat = verb != "POST" if idempotent is None else idempotent
    return Operation(
        name="request",
        method=verb,
        path=path,
        body=object,  # any JSON value
        query=None,  # any parameters
        scope=_SCOPES[scope],
        roles=(),
        response={},
        # A natural key is what marks a POST as safe to repeat in the retry policy.
        natural_key="(caller says idempotent)" if repeat and verb == "POST" else None,
        summary="client.request escape hatch",
    )
