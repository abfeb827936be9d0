"""``client.instructions``: instructions of an order (``imburse-api.md`` §5.13, and §5.13
#13 for claiming a reward on a payout instruction).

The create and the reward claim are hand-written
(``imburse/_async/resources/instructions_custom.py``): the create settles an unknown outcome
by reading the instruction back, the claim's answer is a header.
"""

from __future__ import annotations

from ..models.orders import Instruction, InstructionInput
from ..models.rewards import InstructionRewardClaimInput
from ..validation import check_ref
from ._base import Arg, Group, Method, Operation, Scope

__all__ = [
    "CLAIM_INSTRUCTION_REWARD",
    "CREATE_INSTRUCTION",
    "GET_INSTRUCTION",
    "GET_INSTRUCTION_V2",
    "GROUPS",
    "OPERATIONS",
    "UNSUPPORTED",
]

GROUPS = (
    Group(
        "instructions",
        "Instructions",
        "Instructions: one collection (``DEBIT``) or payout (``CREDIT``) each.",
        custom=True,
    ),
)

TXN_READ = ("tenant-transaction-read", "tenant-admin")
TXN_WRITE = ("tenant-transaction-write", "tenant-admin")
_REFS = (
    Arg("order_ref", "str", path="orderRef", check=check_ref),
    Arg("instruction_ref", "str", path="instructionRef", check=check_ref),
)

CREATE_INSTRUCTION: Operation[None] = Operation(
    name="instructions.create",
    method="POST",
    path="/v1/order-management/{orderRef}/instruction",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={201: None, 202: None},
    body=InstructionInput,
    natural_key="instructionRef",
    summary="Add an instruction (a collection or a payout) to an order.",
)

GET_INSTRUCTION: Operation[Instruction] = Operation(
    name="instructions.get",
    method="GET",
    path="/v1/order-management/{orderRef}/instruction/{instructionRef}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: Instruction},
    summary="Read one instruction with its status, scheme, instrument and transaction.",
    python=Method(
        doc="Read one instruction: status, scheme, instrument, transaction.",
        example=(
            'instruction = await client.instructions.get("ORD-1", "INS-1")\n'
            "instruction.status\n'READY'"
        ),
        args=_REFS,
    ),
)

GET_INSTRUCTION_V2: Operation[Instruction] = Operation(
    name="instructions.get_v2",
    method="GET",
    path="/v2/order-management/{orderRef}/instruction/{instructionRef}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: Instruction},
    summary="Read one instruction through the v2 API (missing objects answer 400).",
    python=Method(
        doc=(
            "Read one instruction through the v2 API (a missing one answers 400, raised as\n"
            ":class:`~imburse.NotFoundError`)."
        ),
        example='instruction = await client.instructions.get_v2("ORD-1", "INS-1")',
        args=_REFS,
    ),
)

CLAIM_INSTRUCTION_REWARD: Operation[None] = Operation(
    name="instructions.claim_reward",
    method="POST",
    path="/v1/order-management/{orderRef}/instruction/{instructionRef}/claim-reward",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={202: None},
    body=InstructionRewardClaimInput,
    summary="Claim a reward for a payout instruction: 202 with the `location` to poll.",
)

OPERATIONS: tuple[Operation[object], ...] = (
    CREATE_INSTRUCTION,
    GET_INSTRUCTION,
    GET_INSTRUCTION_V2,
    CLAIM_INSTRUCTION_REWARD,
)
UNSUPPORTED = ()
