from desk import Catalog, Item


def test_a_second_delivery_adds_copies():
    catalog = Catalog([Item("b1", "Dune")])
    catalog.add(Item("B1", "dune", copies=2))
    assert catalog.find("B1").copies == 3


def test_search_sorts_by_title_then_code():
    catalog = Catalog([Item("B2", "Emma"), Item("B1", "emma"), Item("A1", "Dune")])
    assert [i.code for i in catalog.search("")] == ["A1", "B1", "B2"]
