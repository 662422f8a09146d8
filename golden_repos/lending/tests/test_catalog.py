import pytest
from catalog import KINDS, Catalog, Item


def test_an_item_cleans_up_its_code_and_title():
    item = Item(" b7 ", "  Dune ")
    assert (item.code, item.title, item.kind, item.copies, item.out) == ("B7", "Dune", "book", 1, 0)
    assert item.holds == []
    assert repr(item) == "Item('B7', 'Dune', book, 1/1)"
    assert item.loan_days() == KINDS["book"] == 21


@pytest.mark.parametrize(
    "args, message",
    [
        (("", "Dune"), "bad item code: ''"),
        (("B 7", "Dune"), "bad item code: 'B 7'"),
        (("B7", "Dune", "vinyl"), "unknown kind: vinyl"),
        (("B7", "Dune", "book", 0), "copies must be a positive whole number"),
        (("B7", "Dune", "book", 1.5), "copies must be a positive whole number"),
    ],
)
def test_a_bad_item_is_refused(args, message):
    with pytest.raises(ValueError) as raised:
        Item(*args)
    assert str(raised.value) == message


def test_available_copies_never_go_below_zero():
    item = Item("B7", "Dune", copies=2)
    item.out = 1
    assert item.available() == 1
    item.out = 3
    assert item.available() == 0


def test_a_second_delivery_of_a_title_adds_copies():
    catalog = Catalog([Item("B7", "Dune")])
    merged = catalog.add(Item("b7", "DUNE", copies=2))
    assert merged is catalog.find("B7")
    assert merged.copies == 3 and merged.title == "Dune"


def test_a_code_cannot_be_reused_for_another_title_or_for_a_non_item():
    catalog = Catalog([Item("B7", "Dune")])
    with pytest.raises(ValueError) as raised:
        catalog.add(Item("B7", "Emma"))
    assert str(raised.value) == "code B7 is already used for 'Dune'"
    with pytest.raises(ValueError):
        catalog.add(Item("B7", "Dune", kind="dvd"))
    with pytest.raises(TypeError) as not_an_item:
        catalog.add("B7")
    assert str(not_an_item.value) == "only items can be catalogued"


def test_find_ignores_case_and_spaces_and_names_what_is_missing():
    catalog = Catalog([Item("B7", "Dune")])
    assert catalog.find(" b7").title == "Dune"
    with pytest.raises(KeyError) as raised:
        catalog.find("x9 ")
    assert raised.value.args == ("no item X9",)


def test_search_needs_every_word_and_sorts_by_title():
    catalog = Catalog(
        [
            Item("B3", "Learning Go"),
            Item("B1", "Python Tricks"),
            Item("B2", "Fluent Python"),
            Item("D1", "Monty Python Live", kind="dvd"),
        ]
    )
    assert [i.code for i in catalog.search("python")] == ["B2", "D1", "B1"]
    assert [i.code for i in catalog.search("PYTHON tricks")] == ["B1"]
    assert [i.code for i in catalog.search("python", kind="dvd")] == ["D1"]
    assert [i.code for i in catalog.search("")] == ["B2", "B3", "D1", "B1"]


def test_search_can_leave_out_what_is_all_on_loan():
    catalog = Catalog([Item("B1", "Python Tricks"), Item("B2", "Fluent Python", copies=2)])
    catalog.find("B1").out = 1
    catalog.find("B2").out = 1
    assert [i.code for i in catalog.search("python", available_only=True)] == ["B2"]
    assert [i.code for i in catalog.search("python")] == ["B2", "B1"]


def test_withdrawing_copies_and_the_last_one():
    catalog = Catalog([Item("B7", "Dune", copies=3)])
    catalog.find("B7").out = 1
    assert catalog.withdraw("b7") == 2
    with pytest.raises(ValueError) as raised:
        catalog.withdraw("B7", 2)
    assert str(raised.value) == "only 1 copies of B7 are on the shelf"
    with pytest.raises(ValueError) as none:
        catalog.withdraw("B7", 0)
    assert str(none.value) == "withdraw at least one copy"
    catalog.find("B7").out = 0
    assert catalog.withdraw("B7", 2) == 0
    assert catalog.items == {}
