"""imburse: the Python SDK for the Imburse (Duck Creek Payments Orchestrator) API.

>>> from imburse import AsyncImburse, Imburse  # doctest: +SKIP

Names are exported lazily (PEP 562): ``import imburse`` loads neither httpx nor the models
until a name that needs them is used, which keeps start-up of CLIs and workers fast.

Every public model (the ``CamelCase`` names in the ``__all__`` of each module of
``imburse._core.models``) is exported here; ``tests/test_public_api.py`` checks that, and that
the ``TYPE_CHECKING`` imports below (what type checkers see) match the lazy table.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._async.client import (
        AsyncImburse as AsyncImburse,
    )
    from ._async.paging import (
        AsyncPager as AsyncPager,
    )
    from ._async.token import (
        AsyncSharedTokenCache as AsyncSharedTokenCache,
    )
    from ._core.auth import (
        AccessToken as AccessToken,
        hmac_authorization as hmac_authorization,
    )
    from ._core.bodies import (
        decode_model as decode_model,
    )
    from ._core.call import (
        RequestOptions as RequestOptions,
    )
    from ._core.config import (
        Credentials as Credentials,
        Timeouts as Timeouts,
    )
    from ._core.errors import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ClientStateError as ClientStateError,
        ConfigurationError as ConfigurationError,
        ConflictError as ConflictError,
        DeadlineExceededError as DeadlineExceededError,
        ErrorDetail as ErrorDetail,
        GoneError as GoneError,
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
    from ._core.models.account import (
        Account as Account,
        AccountKeyList as AccountKeyList,
        AccountUpdate as AccountUpdate,
        Address as Address,
        Key as Key,
        KeyInput as KeyInput,
        License as License,
        Role as Role,
        RoleValue as RoleValue,
        VaultedKey as VaultedKey,
    )
    from ._core.models.apps import (
        App as App,
        AppConfiguration as AppConfiguration,
        AppId as AppId,
        BraintreeConfigurationInput as BraintreeConfigurationInput,
        BraintreeSettingInput as BraintreeSettingInput,
        DepositFundsInput as DepositFundsInput,
        MarketplaceApps as MarketplaceApps,
        PaymentMethod as PaymentMethod,
    )
    from ._core.models.batch import (
        BatchItemResult as BatchItemResult,
        BatchOutcome as BatchOutcome,
        BatchProgress as BatchProgress,
        BatchReport as BatchReport,
        BatchTally as BatchTally,
        OrderItem as OrderItem,
    )
    from ._core.models.chargebacks import (
        Chargeback as Chargeback,
        ChargebackStatus as ChargebackStatus,
        MatchedTransaction as MatchedTransaction,
    )
    from ._core.models.checkout import (
        BankAccount as BankAccount,
        Channel as Channel,
        ChannelType as ChannelType,
        CustomerType as CustomerType,
        MandateSessionRequest as MandateSessionRequest,
        PayByLink as PayByLink,
        PayByLinkRequest as PayByLinkRequest,
        SessionToken as SessionToken,
        SessionTokenRequest as SessionTokenRequest,
    )
    from ._core.models.creditor_profiles import (
        BacsCreditorProfile as BacsCreditorProfile,
        BacsCreditorProfileInput as BacsCreditorProfileInput,
        CreditorProfile as CreditorProfile,
        CreditorProfileInput as CreditorProfileInput,
        CreditorProfilePage as CreditorProfilePage,
        SepaCreditorProfile as SepaCreditorProfile,
        SepaCreditorProfileInput as SepaCreditorProfileInput,
    )
    from ._core.models.customers import (
        Agreement as Agreement,
        Capabilities as Capabilities,
        Credential as Credential,
        CredentialType as CredentialType,
        Customer as Customer,
        CustomerLinks as CustomerLinks,
        CustomerStatus as CustomerStatus,
        CustomerTransaction as CustomerTransaction,
        CustomerUpdate as CustomerUpdate,
        FinancialInstrument as FinancialInstrument,
        FinancialInstrumentDetails as FinancialInstrumentDetails,
        InstrumentStatus as InstrumentStatus,
        MobileInstrument as MobileInstrument,
        MobileInstrumentInput as MobileInstrumentInput,
        RewardClaim as RewardClaim,
        RewardClaimStatus as RewardClaimStatus,
        RewardClaimTransaction as RewardClaimTransaction,
        RewardRedemption as RewardRedemption,
        RewardType as RewardType,
        WalletSettings as WalletSettings,
    )
    from ._core.models.enums import (
        Direction as Direction,
        InstructionStatus as InstructionStatus,
        TransactionStatus as TransactionStatus,
        ValueSource as ValueSource,
    )
    from ._core.models.instruments import (
        FinancialInstrumentV2 as FinancialInstrumentV2,
    )
    from ._core.models.mandates import (
        DebtorInput as DebtorInput,
        Mandate as Mandate,
        MandateAddress as MandateAddress,
        MandateAddressInput as MandateAddressInput,
        MandateCreated as MandateCreated,
        MandateDebtor as MandateDebtor,
        MandateInput as MandateInput,
        MandateNetwork as MandateNetwork,
        MandatePage as MandatePage,
        MandateSignatureInput as MandateSignatureInput,
        MandateStatus as MandateStatus,
        MandateSummary as MandateSummary,
        MandateType as MandateType,
        MandateTypeName as MandateTypeName,
        MandateV1CreditorInput as MandateV1CreditorInput,
        MandateV1DebtorInput as MandateV1DebtorInput,
        MandateV1Input as MandateV1Input,
        PostalAddressInput as PostalAddressInput,
        SepaDirectDebitConfiguration as SepaDirectDebitConfiguration,
        SepaDirectDebitConfigurationInput as SepaDirectDebitConfigurationInput,
        SepaDirectDebitConfigurationValidation as SepaDirectDebitConfigurationValidation,
        VerificationCheck as VerificationCheck,
        VerificationStatus as VerificationStatus,
    )
    from ._core.models.orders import (
        CustomerDefault as CustomerDefault,
        CustomerDefaultInput as CustomerDefaultInput,
        FinancialInstrumentRef as FinancialInstrumentRef,
        Instruction as Instruction,
        InstructionInput as InstructionInput,
        Link as Link,
        Links as Links,
        Order as Order,
        OrderInput as OrderInput,
        SchemeRef as SchemeRef,
        Transaction as Transaction,
    )
    from ._core.models.paging import (
        Page as Page,
    )
    from ._core.models.receipts import (
        CreateReceipt as CreateReceipt,
    )
    from ._core.models.rewards import (
        InstructionRewardClaimInput as InstructionRewardClaimInput,
        RewardAuthorizationInput as RewardAuthorizationInput,
        RewardClaimInput as RewardClaimInput,
    )
    from ._core.models.rewards_catalog import (
        BrandRequirements as BrandRequirements,
        Catalog as Catalog,
        CatalogReward as CatalogReward,
        CatalogSearchQuery as CatalogSearchQuery,
        ImageUrl as ImageUrl,
        LocalizedText as LocalizedText,
        PayoutOptions as PayoutOptions,
        PayoutReward as PayoutReward,
        RewardApp as RewardApp,
        RewardBrand as RewardBrand,
        RewardGroup as RewardGroup,
        RewardGroupInput as RewardGroupInput,
        RewardGroupList as RewardGroupList,
        RewardGroupReward as RewardGroupReward,
        RewardGroupRewardInput as RewardGroupRewardInput,
        RewardStatus as RewardStatus,
        RewardValueType as RewardValueType,
    )
    from ._core.models.schemes import (
        AgreementType as AgreementType,
        CollectSchemeInput as CollectSchemeInput,
        Country as Country,
        Currency as Currency,
        Draft as Draft,
        MatchType as MatchType,
        PayoutOptionsQuery as PayoutOptionsQuery,
        PayoutRuleInput as PayoutRuleInput,
        PayoutSchemeInput as PayoutSchemeInput,
        RewardGroupRef as RewardGroupRef,
        RewardGroupRefInput as RewardGroupRefInput,
        Rule as Rule,
        RuleApp as RuleApp,
        RuleAppInput as RuleAppInput,
        RuleInput as RuleInput,
        Scheme as Scheme,
        SchemeList as SchemeList,
    )
    from ._core.models.tenants import (
        Tenant as Tenant,
        TenantInput as TenantInput,
        TenantKeyList as TenantKeyList,
        TenantList as TenantList,
    )
    from ._core.ratelimit import (
        AsyncRateLimitPolicy as AsyncRateLimitPolicy,
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
    from ._sync.paging import (
        Pager as Pager,
    )
    from ._sync.token import (
        SharedTokenCache as SharedTokenCache,
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
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "ErrorDetail",
    "GoneError",
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

# Models by module: what the API methods take and return.
_MODELS: dict[str, list[str]] = {
    "imburse._core.models.account": [
        "Account",
        "AccountKeyList",
        "AccountUpdate",
        "Address",
        "Key",
        "KeyInput",
        "License",
        "Role",
        "RoleValue",
        "VaultedKey",
    ],
    "imburse._core.models.apps": [
        "App",
        "AppConfiguration",
        "AppId",
        "BraintreeConfigurationInput",
        "BraintreeSettingInput",
        "DepositFundsInput",
        "MarketplaceApps",
        "PaymentMethod",
    ],
    "imburse._core.models.batch": [
        "BatchItemResult",
        "BatchOutcome",
        "BatchProgress",
        "BatchReport",
        "BatchTally",
        "OrderItem",
    ],
    "imburse._core.models.chargebacks": [
        "Chargeback",
        "ChargebackStatus",
        "MatchedTransaction",
    ],
    "imburse._core.models.checkout": [
        "BankAccount",
        "Channel",
        "ChannelType",
        "CustomerType",
        "MandateSessionRequest",
        "PayByLink",
        "PayByLinkRequest",
        "SessionToken",
        "SessionTokenRequest",
    ],
    "imburse._core.models.creditor_profiles": [
        "BacsCreditorProfile",
        "BacsCreditorProfileInput",
        "CreditorProfile",
        "CreditorProfileInput",
        "CreditorProfilePage",
        "SepaCreditorProfile",
        "SepaCreditorProfileInput",
    ],
    "imburse._core.models.customers": [
        "Agreement",
        "Capabilities",
        "Credential",
        "CredentialType",
        "Customer",
        "CustomerLinks",
        "CustomerStatus",
        "CustomerTransaction",
        "CustomerUpdate",
        "FinancialInstrument",
        "FinancialInstrumentDetails",
        "InstrumentStatus",
        "MobileInstrument",
        "MobileInstrumentInput",
        "RewardClaim",
        "RewardClaimStatus",
        "RewardClaimTransaction",
        "RewardRedemption",
        "RewardType",
        "WalletSettings",
    ],
    "imburse._core.models.enums": [
        "Direction",
        "InstructionStatus",
        "TransactionStatus",
        "ValueSource",
    ],
    "imburse._core.models.instruments": [
        "FinancialInstrumentV2",
    ],
    "imburse._core.models.mandates": [
        "DebtorInput",
        "Mandate",
        "MandateAddress",
        "MandateAddressInput",
        "MandateCreated",
        "MandateDebtor",
        "MandateInput",
        "MandateNetwork",
        "MandatePage",
        "MandateSignatureInput",
        "MandateStatus",
        "MandateSummary",
        "MandateType",
        "MandateTypeName",
        "MandateV1CreditorInput",
        "MandateV1DebtorInput",
        "MandateV1Input",
        "PostalAddressInput",
        "SepaDirectDebitConfiguration",
        "SepaDirectDebitConfigurationInput",
        "SepaDirectDebitConfigurationValidation",
        "VerificationCheck",
        "VerificationStatus",
    ],
    "imburse._core.models.orders": [
        "CustomerDefault",
        "CustomerDefaultInput",
        "FinancialInstrumentRef",
        "Instruction",
        "InstructionInput",
        "Link",
        "Links",
        "Order",
        "OrderInput",
        "SchemeRef",
        "Transaction",
    ],
    "imburse._core.models.paging": [
        "Page",
    ],
    "imburse._core.models.receipts": [
        "CreateReceipt",
    ],
    "imburse._core.models.rewards": [
        "InstructionRewardClaimInput",
        "RewardAuthorizationInput",
        "RewardClaimInput",
    ],
    "imburse._core.models.rewards_catalog": [
        "BrandRequirements",
        "Catalog",
        "CatalogReward",
        "CatalogSearchQuery",
        "ImageUrl",
        "LocalizedText",
        "PayoutOptions",
        "PayoutReward",
        "RewardApp",
        "RewardBrand",
        "RewardGroup",
        "RewardGroupInput",
        "RewardGroupList",
        "RewardGroupReward",
        "RewardGroupRewardInput",
        "RewardStatus",
        "RewardValueType",
    ],
    "imburse._core.models.schemes": [
        "AgreementType",
        "CollectSchemeInput",
        "Country",
        "Currency",
        "Draft",
        "MatchType",
        "PayoutOptionsQuery",
        "PayoutRuleInput",
        "PayoutSchemeInput",
        "RewardGroupRef",
        "RewardGroupRefInput",
        "Rule",
        "RuleApp",
        "RuleAppInput",
        "RuleInput",
        "Scheme",
        "SchemeList",
    ],
    "imburse._core.models.tenants": [
        "Tenant",
        "TenantInput",
        "TenantKeyList",
        "TenantList",
    ],
}

_EXPORTS: dict[str, str] = {
    "AsyncImburse": "imburse._async.client",
    "Imburse": "imburse._sync.client",
    "AccessToken": "imburse._core.auth",
    "hmac_authorization": "imburse._core.auth",
    "Credentials": "imburse._core.config",
    "Timeouts": "imburse._core.config",
    "RequestOptions": "imburse._core.call",
    "AsyncRateLimitPolicy": "imburse._core.ratelimit",
    "RateLimitPolicy": "imburse._core.ratelimit",
    "SharedCooldown": "imburse._core.ratelimit",
    "TokenBucket": "imburse._core.ratelimit",
    "AsyncSharedTokenCache": "imburse._async.token",
    "SharedTokenCache": "imburse._sync.token",
    "DefaultRetryPolicy": "imburse._core.retry",
    "Outcome": "imburse._core.retry",
    "Retry": "imburse._core.retry",
    "RetryPolicy": "imburse._core.retry",
    "Stop": "imburse._core.retry",
    "RawResponse": "imburse._raw",
    "decode_model": "imburse._core.bodies",
    "AsyncPager": "imburse._async.paging",
    "Pager": "imburse._sync.paging",
    "decode_instruction": "imburse.webhooks",
    "decode_order": "imburse.webhooks",
    **{name: "imburse._core.errors" for name in _ERRORS},
    **{name: module for module, names in _MODELS.items() for name in names},
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
