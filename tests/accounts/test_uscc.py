import pytest
from django.core.exceptions import ValidationError

from accounts.uscc import uscc_check_char, validate_uscc
from tests.factories import make_uscc

# Published, real codes (from public business registrations) whose check characters are known.
REAL_CODES = ["91350100M000100Y43", "91110108551385082Q", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code):
    validate_uscc(code)


def test_lowercase_input_is_accepted_after_normalising():
    validate_uscc(REAL_CODES[0].lower())


def test_every_wrong_check_character_is_rejected():
    code = make_uscc(42)
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if ch == code[-1]:
            continue
        with pytest.raises(ValidationError) as err:
            validate_uscc(code[:17] + ch)
        assert err.value.code == "uscc_checksum"
        assert "校验位" in str(err.value.messages[0])


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100M0001O0Y43", "uscc_chars"),  # letter O is not in the alphabet
        ("913501-0M000100Y43", "uscc_chars"),
        ("91A50100M000100Y43", "uscc_division"),
    ],
)
def test_malformed_codes_name_the_problem(value, code):
    with pytest.raises(ValidationError) as err:
        validate_uscc(value)
    assert err.value.code == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_char_is_computed_from_the_first_17(code):
    assert uscc_check_char(code[:17]) == code[17]
