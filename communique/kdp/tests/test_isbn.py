import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.kdp.isbn import ISBNError, is_valid_isbn13, isbn10_to_13, isbn13_check_digit, normalize_isbn


@pytest.mark.parametrize("raw", ["978-0-306-40615-7", "978 0 306 40615 7", "ISBN: 9780306406157"])
def test_known_valid_isbn13(raw):
    assert normalize_isbn(raw) == "9780306406157"


def test_isbn10_converts_to_13():
    assert isbn10_to_13("0-306-40615-2") == "9780306406157"
    assert normalize_isbn("0306406152") == "9780306406157"
    assert normalize_isbn("0-8044-2957-X") == "9780804429573"


@pytest.mark.parametrize("bad", ["9780306406158", "978030640615", "1230306406157", "abc", "0306406153"])
def test_invalid(bad):
    with pytest.raises(ISBNError):
        normalize_isbn(bad)
    assert not is_valid_isbn13(bad)


body = st.tuples(st.sampled_from(["978", "979"]), st.text("0123456789", min_size=9, max_size=9)).map("".join)


@given(body)
def test_computed_check_digit_validates(b):
    assert is_valid_isbn13(b + isbn13_check_digit(b))


@given(body, st.integers(0, 11), st.integers(1, 9))
def test_single_digit_error_is_caught(b, pos, delta):
    good = b + isbn13_check_digit(b)
    digits = list(good)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    assert not is_valid_isbn13("".join(digits))
