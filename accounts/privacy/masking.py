"""Masking of a contact's personal information for visitors who may not see it in full.

张三 → 张* · 13912341234 → 139****1234 · zhang@example.cn → z***@example.cn"""

import re

PHONE_STARS = "****"  # a fixed run of stars: the masked form does not tell the number's length


def mask_name(name: str) -> str:
    """Keep the first character (the surname, for Chinese names); one star for each other character."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """First three and last four digits of the number; separators and a +86 prefix are dropped."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits:
        return ""
    if len(digits) < 8:
        return PHONE_STARS
    return digits[:3] + PHONE_STARS + digits[-4:]


def mask_email(email: str) -> str:
    """First character of the mailbox, three stars, and the domain."""
    email = (email or "").strip()
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"
