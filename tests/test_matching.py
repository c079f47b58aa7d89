"""Finding indicator phrases in free text, across inflected languages."""

from academy.core.matching import contains, fold, matched_indicators, provisional_level, words


def test_folding_removes_case_and_diacritics_in_every_language():
    assert fold("Zażółć GĘŚLĄ jaźń") == "zazolc gesla jazn"
    assert fold("Mulțumim, ȘTIU") == "multumim, stiu"
    assert fold("Благодаря") == "благодаря"
    assert fold("Свържи се") == "свържи се"


def test_cedilla_and_comma_below_fold_to_the_same_letter():
    assert fold("ş ţ") == fold("ș ț") == "s t"


def test_a_starred_word_matches_any_word_starting_with_it():
    assert contains(words("Zapytam klienta"), "zapyta*")
    assert not contains(words("Pytam klienta"), "zapyta*")


def test_long_words_match_their_inflected_forms():
    assert contains(words("Opóźnienie dostawy"), "dostawa")
    assert contains(words("при доставката"), "доставка")
    assert contains(words("despre livrarea de mâine"), "livrare")


def test_short_words_must_match_whole():
    assert contains(words("we call you"), "call")
    assert not contains(words("we called you"), "call")


def test_phrase_words_must_come_in_order_with_small_gaps():
    text = words("I will gladly confirm the new date")
    assert contains(text, "confirm date")  # two words between: allowed
    assert not contains(text, "date confirm")
    assert not contains(words("confirm that we really will keep to the date"), "confirm date")


def test_each_indicator_counts_once_and_the_level_is_capped():
    indicators = ("sorry", "delivery", "call*", "tomorrow")
    text = "Sorry, sorry! The delivery is late; I'll call tomorrow."
    assert matched_indicators(text, indicators) == indicators
    assert provisional_level(text, indicators, top=3) == 3
    assert provisional_level("sorry sorry sorry", indicators, top=3) == 1


def test_english_contractions_match_their_full_forms():
    assert contains(words("I'll call you on Wednesday"), "will call you")
    assert contains(words("We won’t charge for it"), "will not charge")
    assert contains(words("I don't know yet"), "do not know")
    assert words("can't") == ["can", "not"]
