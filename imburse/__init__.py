"""imburse: the Python SDK for the Imburse (Duck Creek Payments Orchestrator) API.

>>> from imburse import AsyncImburse, Imburse  # doctest: +SKIP

Names are exported lazily (PEP 562): ``import imburse`` loads neither httpx nor the models
until a name that needs them is used, which keeps start-up of CLIs and workers fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._async.client import (
        AsyncImburse as AsyncImburse,
    )
    from ._core.auth import (
        AccessToken as AccessToken,
        hmac_authorization as hmac_authorization,
    )
    from ._core.config import (
        Timeouts as Timeouts,
    )
    from ._core.errors import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConfigurationError as ConfigurationError,
        ConflictError as ConflictError,
        DeadlineExceededError as DeadlineExceededError,
        ErrorDetail as ErrorDetail,
        ImburseError as ImburseError,
        InternalServerError as InternalServerError,
        NotFoundError as NotFoundError,
        OutcomeUnknownError as OutcomeUnknownError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        RequestFailedError as RequestFailedError,
        ResponseDecodeError as ResponseDecodeError,
        ValidationError as ValidationError,
    )
    from ._core.models.batch import (
        BatchItemResult as BatchItemResult,
        BatchOutcome as BatchOutcome,
        BatchProgress as BatchProgress,
        BatchReport as BatchReport,
    )
    from ._core.models.enums import (
        Direction as Direction,
        InstructionStatus as InstructionStatus,
        TransactionStatus as TransactionStatus,
        ValueSource as ValueSource,
    )
    from ._core.models.orders import (
        CustomerDefault as CustomerDefault,
        CustomerDefaultInput as CustomerDefaultInput,
        FinancialInstrumentRef as FinancialInstrumentRef,
        Instruction as Instruction,
        InstructionInput as InstructionInput,
        Order as Order,
        OrderInput as OrderInput,
        SchemeRef as SchemeRef,
        Transaction as Transaction,
    )
    from ._core.models.receipts import (
        CreateReceipt as CreateReceipt,
    )
    from ._core.ratelimit import (
        RateLimitPolicy as RateLimitPolicy,
        SharedCooldown as SharedCooldown,
        TokenBucket as TokenBucket,
    )
    from ._core.retry import (
        DefaultRetryPolicy as DefaultRetryPolicy,
        Outcome as Outcome,
        Retry as Retry,
        RetryPolicy as RetryPolicy,
        Stop as Stop,
    )
    from ._raw import (
        RawResponse as RawResponse,
    )
    from ._sync.client import (
        Imburse as Imburse,
    )
    from .webhooks import (
        decode_instruction as decode_instruction,
        decode_order as decode_order,
    )

_ERRORS = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "ErrorDetail",
    "ImburseError",
    "InternalServerError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestFailedError",
    "ResponseDecodeError",
    "ValidationError",
]
_ORDERS = [
    "CustomerDefault",
    "CustomerDefaultInput",
    "FinancialInstrumentRef",
    "Instruction",
    "InstructionInput",
    "Order",
    "OrderInput",
    "SchemeRef",
    "Transaction",
]

_BATCH = ["BatchItemResult", "BatchOutcome", "BatchProgress", "BatchReport"]

_EXPORTS: dict[str, str] = {
    "AsyncImburse": "imburse._async.client",
    "Imburse": "imburse._sync.client",
    "AccessToken": "imburse._core.auth",
    "hmac_authorization": "imburse._core.auth",
    "Timeouts": "imburse._core.config",
    "CreateReceipt": "imburse._core.models.receipts",
    "Direction": "imburse._core.models.enums",
    "InstructionStatus": "imburse._core.models.enums",
    "TransactionStatus": "imburse._core.models.enums",
    "ValueSource": "imburse._core.models.enums",
    "RateLimitPolicy": "imburse._core.ratelimit",
    "SharedCooldown": "imburse._core.ratelimit",
    "TokenBucket": "imburse._core.ratelimit",
    "DefaultRetryPolicy": "imburse._core.retry",
    "Outcome": "imburse._core.retry",
    "Retry": "imburse._core.retry",
    "RetryPolicy": "imburse._core.retry",
    "Stop": "imburse._core.retry",
    "RawResponse": "imburse._raw",
    "decode_instruction": "imburse.webhooks",
    "decode_order": "imburse.webhooks",
    **{name: "imburse._core.errors" for name in _ERRORS},
    **{name: "imburse._core.models.batch" for name in _BATCH},
    **{name: "imburse._core.models.orders" for name in _ORDERS},
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'imburse' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
