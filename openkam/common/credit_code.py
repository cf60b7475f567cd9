"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z):
  1     registration authority       2      entity category
  3-8   administrative division      9-17   organisation code
  18    check character: C18 = 31 - (sum(W_i * C_i) mod 31), 31 mapping to '0',
        with weights W_i = 3^(i-1) mod 31 for i = 1..17.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


class CreditCodeError(ValueError):
    """The text is not a valid unified social credit code; the message says why."""


def check_character(first17: str) -> str:
    """The 18th character that makes `first17` a valid code."""
    total = sum(VALUE[symbol] * weight for symbol, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Upper-case, strip blanks and turn full-width characters into half-width ones."""
    halfwidth = "".join(
        chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in raw.strip()
    )
    return halfwidth.replace(" ", "").upper()


def validate_credit_code(raw: str) -> str:
    """Return the normalised code, or raise CreditCodeError naming what is wrong."""
    code = normalize_credit_code(raw)
    if len(code) != LENGTH:
        raise CreditCodeError(f"must have {LENGTH} characters, got {len(code)}")
    bad = sorted({ch for ch in code if ch not in VALUE})
    if bad:
        raise CreditCodeError(f"contains characters not allowed in a credit code: {''.join(bad)}")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"check digit is {code[17]}, expected {expected}")
    return code


def is_valid_credit_code(raw: str) -> bool:
    try:
        validate_credit_code(raw)
    except CreditCodeError:
        return False
    return True
