"""ISO 4217 List One: every active currency code and its minor unit (decimal places).

From the list published 2026-01-01 by the ISO 4217 maintenance agency (SIX). Codes whose
minor unit is "N.A." (gold, SDR, test and "no currency" codes such as XAU, XDR, XTS, XXX)
are left out: no payment is made in them. When the agency adds or withdraws a code, update
this table; a code missing here is refused by :func:`imburse._core.validation.check_currency`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MINOR_UNITS", "PUBLISHED"]

PUBLISHED = "2026-01-01"


def _codes(places: int, codes: str) -> dict[str, int]:
    return dict.fromkeys(codes.split(), places)


#: Currency code -> number of decimal places of its minor unit (GBP 2, JPY 0, BHD 3, CLF 4).
MINOR_UNITS: Mapping[str, int] = {
    **_codes(0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"),
    **_codes(
        2,
        "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN "
        "BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
        "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW "
        "KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR "
        "MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG "
        "SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD "
        "USN UYU UZS VED VES WST XAD XCD XCG YER ZAR ZMW ZWG",
    ),
    **_codes(3, "BHD IQD JOD KWD LYD OMR TND"),
    **_codes(4, "CLF UYW"),
}
