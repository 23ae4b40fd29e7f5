"""ID number vectors (GB 11643): check digit incl. X, derived birth date and sex, normalising."""

import datetime as dt

import pytest

from tuopin.core import idcard


@pytest.mark.parametrize(
    ("value", "birth", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "F"),  # the standard's example, check X
        ("440524188001010014", dt.date(1880, 1, 1), "M"),  # the standard's example
        ("110101199003074477", dt.date(1990, 3, 7), "M"),
        ("110101199003076720", dt.date(1990, 3, 7), "F"),  # check digit 0
    ],
)
def test_valid_numbers_give_birth_date_and_sex(value: str, birth: dt.date, sex: str) -> None:
    parsed = idcard.parse(value)
    assert (parsed.value, parsed.birth_date, parsed.sex) == (value, birth, sex)


def test_check_digit_ten_is_x() -> None:
    assert idcard.check_char("11010519491231002") == "X"


def test_wrong_check_digit_is_rejected_with_its_code() -> None:
    with pytest.raises(idcard.IdNumberError) as exc:
        idcard.parse("110105194912310021")
    assert exc.value.code == "id_checksum"


@pytest.mark.parametrize(
    "raw", ["1101051949123100", "11010519491231002Y", "A1010519491231002X", ""]
)
def test_malformed_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(idcard.IdNumberError) as exc:
        idcard.parse(raw)
    assert exc.value.code == "id_format"


def test_digits_of_other_scripts_are_not_digits_of_an_id_number() -> None:
    # "١" (Arabic-Indic one) passes str.isdigit and int(); the standard knows ASCII only.
    with pytest.raises(idcard.IdNumberError) as exc:
        idcard.parse("١1010519491231002X")
    assert exc.value.code == "id_format"


@pytest.mark.parametrize("first17", ["11010519491231002", "44052418800101001", "99999999999999999"])
def test_check_character_is_the_iso_7064_mod_11_2_of_the_digits(first17: str) -> None:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    assert idcard.check_char(first17) == "10X98765432"[total % 11]


def test_impossible_birth_date_is_rejected_even_with_a_right_check_digit() -> None:
    first17 = "11010519490231002"  # 31 February
    with pytest.raises(idcard.IdNumberError) as exc:
        idcard.parse(first17 + idcard.check_char(first17))
    assert exc.value.code == "id_birth_date"


def test_birth_in_the_future_is_rejected() -> None:
    value = idcard.build("110105", dt.date(2030, 1, 1), 1)
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(value, today=dt.date(2026, 11, 29))


def test_full_width_digits_lower_case_x_and_blanks_are_normalised() -> None:
    parsed = idcard.parse(" １１０１０５１９４９１２３１００２ｘ ")
    assert parsed.value == "11010519491231002X"
    assert idcard.parse("11010519491231002x").value == "11010519491231002X"


def test_build_makes_numbers_that_parse_back() -> None:
    value = idcard.build("422823", dt.date(2001, 2, 28), 37)
    parsed = idcard.parse(value)
    assert parsed.birth_date == dt.date(2001, 2, 28)
    assert parsed.sex == "M"
    assert parsed.area_code == "422823"


def test_mask_shows_the_region_and_the_check_character_only() -> None:
    assert idcard.mask("11010519491231002X") == "110105***********X"


def test_mask_hides_the_birth_date_and_the_sequence() -> None:
    # Region + birth date + last four rebuilt the number: the sequence must stay hidden too.
    shown = idcard.mask("11010519491231002X")
    assert "19491231" not in shown and "002" not in shown


def test_a_mobile_number_keeps_its_prefix_and_last_four() -> None:
    from tuopin.core import masking

    assert masking.mask_phone("13912345678") == "139****5678"
    assert masking.mask_phone("0718-1234") == "*******34"
    assert masking.mask_phone("") == ""
