"""Pinyin of names (plansite.slug): the corrected readings of data/pinyin.yml win over pypinyin's own words."""

from __future__ import annotations

from plansite.slug import pinyin_initial, pinyin_key, pinyin_variants, register_readings, slugify


def test_a_registered_reading_wins_wherever_its_phrase_stands() -> None:
    register_readings({"长宁": "chang ning", "闵行": "min hang"})  # as in data/pinyin.yml
    # pypinyin alone reads 年长 (elder) first: nian zhang ning
    assert pinyin_variants("2026年长宁区东西部协作") == ("nianchangningqudongxibuxiezuo", "ncnqdxbxz")
    assert pinyin_key("长宁区")[0] == "chang ning qu"
    assert pinyin_key("2026年长宁区")[0] == "2 0 2 6 nian chang ning qu"
    assert pinyin_initial("闵行区农业农村委员会") == "M"
    assert slugify("闵行区、长宁区") == "minhangqu-changningqu"
    assert slugify("闵行区、长宁区", initials=True) == "mhq-cnq"
    assert pinyin_variants("经济增长")[0] == "jingjizengzhang"  # elsewhere pypinyin reads as usual
