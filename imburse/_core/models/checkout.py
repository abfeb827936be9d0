"""White-label checkout bodies (``imburse-api.md`` §5.16): session tokens and pay-by-link.

Imburse documents these three operations but publishes none of their paths, so the SDK has
no methods for them. The request models still validate what is documented, so a caller who
knows a path can send a checked body through the escape hatch::

    body = SessionTokenRequest(order_ref="ORD-1", instruction_ref="INS-1", expiry_seconds=900)
    answer = await client.request("POST", "<path from Imburse>", json=body.to_json())
    token = SessionToken.from_json(answer)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from ..converter import get_converter, loads
from ..errors import ValidationError
from ..validation import check_ref, shown
from .customers import check_uuid

__all__ = [
    "BankAccount",
    "Channel",
    "ChannelType",
    "CustomerType",
    "MandateSessionRequest",
    "PayByLink",
    "PayByLinkRequest",
    "SessionToken",
    "SessionTokenRequest",
]

_MAX_INT64 = 2**63 - 1
T = TypeVar("T")


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


class ChannelType(StrEnum):
    """Where a pay-by-link is sent."""

    SMS = "SMS"
    EMAIL = "Email"


class CustomerType(StrEnum):
    """``B2C`` needs the customer's first and last name; ``B2B`` needs a company name."""

    B2C = "B2C"
    B2B = "B2B"


# --- checks ---------------------------------------------------------------------------------


def _optional_text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(attribute.name, f"must be a string, not {type(value).__name__}")


def _required_text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, f"must be a non-empty string (got {shown(value)})")


def _expiry_seconds(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("expiry_seconds", f"must be an integer (got {shown(value)})")
    if not 1 <= value <= _MAX_INT64:
        raise ValidationError("expiry_seconds", f"must be at least 1 (got {value})")
    return value


def _order_ref(value: str) -> str:
    return check_ref("order_ref", value)


def _instruction_ref(value: str) -> str:
    return check_ref("instruction_ref", value)


def _customer_ref(value: str) -> str:
    return check_ref("customer_ref", value)


def _theme_id(value: str | None) -> str | None:
    return None if value is None else check_uuid("theme_id", value)


def _mandate_id(value: str) -> str:
    return check_uuid("mandate_id", value)


def _channel_type(value: str) -> str:
    if value not in (ChannelType.SMS, ChannelType.EMAIL):
        raise ValidationError("type", f"must be 'SMS' or 'Email' (got {shown(value)})")
    return str(value)


def _customer_type(value: str | None) -> str | None:
    if value is not None and value not in (CustomerType.B2C, CustomerType.B2B):
        raise ValidationError("customer_type", f"must be 'B2C' or 'B2B' (got {shown(value)})")
    return None if value is None else str(value)


def _coerce(cls: type[T], value: Any, field: str) -> T:
    """Accept an instance of ``cls`` or a mapping of its arguments; errors name ``field``."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a {cls.__name__} or a mapping, not {shown(value)}")
    try:
        return cls(**value)
    except ValidationError as err:
        raise ValidationError(f"{field}.{err.field}", err.problem) from None
    except TypeError as err:
        raise ValidationError(field, str(err).replace(f"{cls.__name__}.__init__() ", "")) from None


# --- nested request parts -------------------------------------------------------------------


@attrs.frozen
class Channel:
    """Where to send a pay-by-link: ``type`` ``"SMS"`` or ``"Email"``, and the destination."""

    type: str = attrs.field(converter=_channel_type)
    destination: str = attrs.field(validator=_required_text)


@attrs.frozen(kw_only=True)
class BankAccount:
    """Bank account details embedded in a v2 session token."""

    account_holder_name: str | None = attrs.field(default=None, validator=_optional_text)
    number: str | None = attrs.field(default=None, validator=_optional_text)
    extra_code: str | None = attrs.field(default=None, validator=_optional_text)


def _channels(value: Any) -> tuple[Channel, ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError("channels", "must be a sequence of channels")
    return tuple(_coerce(Channel, item, f"channels[{i}]") for i, item in enumerate(value))


def _bank_account(value: Any) -> BankAccount | None:
    return None if value is None else _coerce(BankAccount, value, "bank_account")


class _Body:
    """``to_json()``: the camelCase body to send with ``client.request(json=...)``."""

    def to_json(self) -> dict[str, Any]:
        """The request body as JSON-ready data (unset fields left out)."""
        data: dict[str, Any] = get_converter().unstructure(self)
        return data


# --- requests -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SessionTokenRequest(_Body):
    """A checkout session token for one instruction (v2 fields included).

    Billing, contact and cardholder fields are only embedded in the token (Imburse does not
    store them). ``customer_type="B2C"`` requires first and last name, ``"B2B"`` a company.

    >>> SessionTokenRequest(order_ref="ORD-1", instruction_ref="INS-1", expiry_seconds=900,
    ...     customer_type="B2C", customer_first_name="Ada", customer_last_name="Lovelace").to_json()
    {'orderRef': 'ORD-1', 'instructionRef': 'INS-1', 'expirySeconds': 900, 'customerType': 'B2C', 'customerFirstName': 'Ada', 'customerLastName': 'Lovelace'}
    """

    order_ref: str = attrs.field(converter=_order_ref)
    instruction_ref: str = attrs.field(converter=_instruction_ref)
    expiry_seconds: int = attrs.field(converter=_expiry_seconds)
    theme_id: str | None = attrs.field(default=None, converter=_theme_id)
    billing_house_number: str | None = attrs.field(default=None, validator=_optional_text)
    billing_street1: str | None = attrs.field(default=None, validator=_optional_text)
    billing_street2: str | None = attrs.field(default=None, validator=_optional_text)
    billing_city: str | None = attrs.field(default=None, validator=_optional_text)
    billing_state: str | None = attrs.field(default=None, validator=_optional_text)
    billing_country: str | None = attrs.field(default=None, validator=_optional_text)
    billing_post_code: str | None = attrs.field(default=None, validator=_optional_text)
    customer_email: str | None = attrs.field(default=None, validator=_optional_text)
    customer_mobile_phone: str | None = attrs.field(default=None, validator=_optional_text)
    cardholder_name: str | None = attrs.field(default=None, validator=_optional_text)
    customer_type: str | None = attrs.field(default=None, converter=_customer_type)
    customer_first_name: str | None = attrs.field(default=None, validator=_optional_text)
    customer_last_name: str | None = attrs.field(default=None, validator=_optional_text)
    company_name: str | None = attrs.field(default=None, validator=_optional_text)
    authorization_source: str | None = attrs.field(default=None, validator=_optional_text)
    authorization_frequency: str | None = attrs.field(default=None, validator=_optional_text)
    bank_account: BankAccount | None = attrs.field(default=None, converter=_bank_account)
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_channels)

    def __attrs_post_init__(self) -> None:
        if self.customer_type == CustomerType.B2C:
            for name in ("customer_first_name", "customer_last_name"):
                if not getattr(self, name):
                    raise ValidationError(name, "is required when customer_type is 'B2C'")
        elif self.customer_type == CustomerType.B2B and not self.company_name:
            raise ValidationError("company_name", "is required when customer_type is 'B2B'")


@attrs.frozen(kw_only=True)
class PayByLinkRequest(_Body):
    """A session token whose link Imburse sends by SMS or e-mail (at least one channel).

    >>> PayByLinkRequest(order_ref="ORD-1", instruction_ref="INS-1", expiry_seconds=86400,
    ...     channels=[{"type": "Email", "destination": "ada@example.com"}]).channels[0].type
    'Email'
    """

    order_ref: str = attrs.field(converter=_order_ref)
    instruction_ref: str = attrs.field(converter=_instruction_ref)
    channels: tuple[Channel, ...] = attrs.field(converter=_channels)
    expiry_seconds: int = attrs.field(converter=_expiry_seconds)
    theme_id: str | None = attrs.field(default=None, converter=_theme_id)

    def __attrs_post_init__(self) -> None:
        if not self.channels:
            raise ValidationError("channels", "needs at least one channel to send the link")


@attrs.frozen(kw_only=True)
class MandateSessionRequest(_Body):
    """A session token for managing a mandate; ``action`` ``"Amendment"`` is the known value.

    >>> MandateSessionRequest(customer_ref="CUS-1", action="Amendment", expiry_seconds=600,
    ...     mandate_id="5b1c2d3e-0000-4000-8000-00000000000a").action
    'Amendment'
    """

    customer_ref: str = attrs.field(converter=_customer_ref)
    mandate_id: str = attrs.field(converter=_mandate_id)
    action: str = attrs.field(validator=_required_text)
    expiry_seconds: int = attrs.field(converter=_expiry_seconds)


# --- responses ------------------------------------------------------------------------------


class _Answer:
    """``from_json(answer)``: decode what ``client.request`` returned (or raw JSON bytes)."""

    @classmethod
    def from_json(
        cls: type[T], data: Mapping[str, Any] | bytes | str, *, strict: bool = False
    ) -> T:
        """Decode an answer; unknown fields are kept in ``extra`` (strict mode refuses them)."""
        if isinstance(data, bytes | str):
            data = loads(data)
        return get_converter(strict).structure(data, cls)


@attrs.frozen
class SessionToken(_Answer):
    """A checkout session token: pass ``session_token`` to the checkout component.

    ``session_id`` is sent by v2 only; ``expires`` is the token's expiry (unix seconds on the
    wire).
    """

    session_token: str | None = None
    expires: datetime | None = None
    session_id: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class PayByLink(_Answer):
    """The answer to a pay-by-link request."""

    pay_by_link_id: str | None = None
    extra: Mapping[str, Any] = _extra()
