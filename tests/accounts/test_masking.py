"""Masking rules for a contact shown to someone who may not see it in full (hand-worked examples)."""

import pytest

from accounts.privacy.masking import mask_email, mask_name, mask_phone


@pytest.mark.parametrize(("name", "masked"), [
    ("张三", "张*"),          # surname kept, one star per hidden character
    ("欧阳娜娜", "欧***"),
    ("李", "*"),              # a one-character name would be shown whole: hide it
    ("  王五 ", "王*"),
    ("", ""),
])
def test_a_name_keeps_only_its_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13912341234", "139****1234"),
    ("+86 139-1234-1234", "139****1234"),   # country code and separators dropped first
    ("0543-3161234", "054****1234"),        # landline: 05433161234 → first 3, last 4
    ("12345", "****"),                      # too short to show any digit safely
    ("", ""),
])
def test_a_phone_keeps_its_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(("email", "masked"), [
    ("zhang@example.cn", "z***@example.cn"),
    ("a@b.cn", "a***@b.cn"),
    ("not-an-email", "***"),
    ("", ""),
])
def test_an_email_keeps_the_mailboxs_first_character_and_the_domain(email, masked):
    assert mask_email(email) == masked
