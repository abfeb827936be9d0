"""Known enum values, kept open: the server may send values not listed here.

Model fields are typed ``Annotated[str, SomeEnum]``: a known value decodes to the enum member
(which *is* a ``str``), an unknown one stays a plain string (strict mode rejects it).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal


class Direction(StrEnum):
    """Which way money moves: ``DEBIT`` collects from the customer, ``CREDIT`` pays out."""

    CREDIT = "CREDIT"
    DEBIT = "DEBIT"


class InstructionStatus(StrEnum):
    """Instruction lifecycle values seen in the docs (2019 and newer samples)."""

    INCOMPLETE = "INCOMPLETE"
    READY = "READY"
    LATE = "LATE"
    PROCESSING = "PROCESSING"
    SETTLED = "SETTLED"
    FAILED = "FAILED"
    VOID = "VOID"
    COMPLETED = "COMPLETED"


class ValueSource(StrEnum):
    """Where an instruction's financial instrument or scheme came from."""

    NONE = "NONE"
    CUSTOMER_DEFAULT = "CUSTOMER_DEFAULT"
    CUSTOMER = "CUSTOMER"
    TENANT = "TENANT"
    SYSTEM_GENERATED = "SYSTEM_GENERATED"
    MANUALLY_SET = "MANUALLY_SET"
    TRANSACTION = "TRANSACTION"


class TransactionStatus(StrEnum):
    """Transaction states seen, including the reward-claim ones."""

    PROCESSING = "PROCESSING"
    SUCCESS = "SUCCESS"
    SETTLING = "SETTLING"
    SETTLED = "SETTLED"
    FAILED = "FAILED"


#: The known ``Direction`` values, for type checkers (see :class:`Direction`).
DirectionLiteral = Literal["CREDIT", "DEBIT"]
DirectionValue = Annotated[DirectionLiteral, Direction]
#: The known ``InstructionStatus`` values, for type checkers (see :class:`InstructionStatus`).
InstructionStatusLiteral = Literal[
    "INCOMPLETE",
    "READY",
    "LATE",
    "PROCESSING",
    "SETTLED",
    "FAILED",
    "VOID",
    "COMPLETED",
]
InstructionStatusValue = Annotated[InstructionStatusLiteral, InstructionStatus]
#: The known ``ValueSource`` values, for type checkers (see :class:`ValueSource`).
ValueSourceLiteral = Literal[
    "NONE",
    "CUSTOMER_DEFAULT",
    "CUSTOMER",
    "TENANT",
    "SYSTEM_GENERATED",
    "MANUALLY_SET",
    "TRANSACTION",
]
ValueSourceValue = Annotated[ValueSourceLiteral, ValueSource]
#: The known ``TransactionStatus`` values, for type checkers (see :class:`TransactionStatus`).
TransactionStatusLiteral = Literal["PROCESSING", "SUCCESS", "SETTLING", "SETTLED", "FAILED"]
TransactionStatusValue = Annotated[TransactionStatusLiteral, TransactionStatus]
