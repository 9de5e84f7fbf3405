"""Language analysis: the forms of a word meet at one term, in both scripts."""

import pytest

from iskra.search.analysis import analyze, kazakh_latin_to_cyrillic, query_variants


def one_term(words, language):
    terms = {tuple(analyze(word, language)) for word in words}
    assert len(terms) == 1, terms
    return terms.pop()


def test_russian_forms_meet():
    one_term(["конференция", "конференции", "конференциях", "конференцию"], "ru")
    one_term(["учёные", "ученые", "Учёных"], "ru")
    one_term(["государство", "государства", "государством"], "ru")


# Real words: every form below occurs in the Kazakh SIB-200 texts in ../shared/data.
KAZAKH_FORMS = [
    ["қала", "қалада", "қалалар", "қаланың", "қаласы", "қаласында", "қалаларында"],
    ["ел", "елге", "елде", "елдер", "елдердің", "елдің", "елі"],
    ["адам", "адамдар", "адамдардың", "адамдармен", "адамды", "адамның", "адамға"],
    ["мемлекет", "мемлекеттер", "мемлекеттердің", "мемлекетінде"],
    ["үкімет", "үкіметтер", "үкіметтердің", "үкіметтің", "үкіметі"],
    ["президент", "президенттің", "президенті"],
    ["тіл", "тілге", "тілден", "тілі", "тіліне"],
    ["жер", "жерге", "жерде", "жерлер", "жерлерде", "жердің"],
    ["әлем", "әлемге", "әлемде", "әлемнің"],
    ["ғалым", "ғалымдар", "ғалымдардың", "ғалымдары"],
    ["аурухана", "ауруханада", "аурухананың", "ауруханасы", "ауруханаға"],
]


@pytest.mark.parametrize("forms", KAZAKH_FORMS, ids=[forms[0] for forms in KAZAKH_FORMS])
def test_kazakh_forms_meet(forms):
    one_term(forms, "kk")


def test_kazakh_latin_meets_cyrillic():
    assert analyze("Qazaqstan", "kk") == analyze("Қазақстан", "kk")
    assert analyze("Qazaqstannyñ", "kk") == analyze("Қазақстанның", "kk")
    assert analyze("Shymkent", "kk") == analyze("Шымкент", "kk")  # keyboard "sh"
    assert analyze("Şymkent", "kk") == analyze("Шымкент", "kk")
    assert analyze("a'lem", "kk") == analyze("әлем", "kk")  # the 2018 apostrophes


def test_i_and_short_i_and_h_fold_alike():
    # The 2021 Latin alphabet writes И and Й as "i", Х and Һ as "h".
    assert kazakh_latin_to_cyrillic("Ainūr") == "аинұр"
    assert analyze("Айнұр", "kk") == analyze("Ainūr", "kk")
    assert analyze("Һ", "kk") == analyze("х", "kk")


def test_stop_words_and_hyphens():
    assert analyze("и в на", "ru") == []
    assert analyze("және мен", "kk") == []
    assert analyze("социал-демократия", "ru") == analyze("социал демократия", "ru")


def test_query_words_stand_for_their_forms_in_each_language():
    variants = query_variants("конференциях", ("ru", "kk"))
    assert analyze("конференция", "ru")[0] in variants
    assert analyze("конференция", "kk")[0] in variants
    # A Kazakh word in Latin letters on the Russian page still reads as Kazakh.
    assert analyze("Қазақстан", "kk")[0] in query_variants("qazaqstan", ("ru",))
