"""Text normalisation: what converters and fonts print in place of Vietnamese letters."""

from __future__ import annotations

from indexer.agencies import agency_key
from indexer.normalise import comparable, normalise_text


def test_invisible_marks_and_font_look_alikes_are_read_as_the_letters_they_stand_for() -> None:
    text = "Ð\u01b0a vào sử dụng trong k\u01f6 họp; nhiệm\u00ad vụ\u2060 của \u0421ông an tỉnh"
    assert normalise_text(text) == "Đưa vào sử dụng trong kỳ họp; nhiệm vụ của Công an tỉnh"


def test_labelled_strings_compare_with_the_normalised_text() -> None:
    """A label copied from a file ("Ð", Cyrillic "С", decomposed accents) equals the product's text."""
    assert comparable("Quý  II/2026,\nÐồng Nai") == comparable("quý II/2026, Đồng Nai") == "quy ii/2026, dong nai"
    assert comparable("ke\u0302\u0301 hoa\u0323ch") == "ke hoach"
    assert agency_key("\u0421ông an tỉnh") == agency_key("Công an tỉnh") == "cong an tinh"
