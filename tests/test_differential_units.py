"""Differential testing's parts that run in this process alone: values, programs, signatures,
neighbours, shrinking, the domain, settings, hints, comparison, API vetoes, error precedence."""

from __future__ import annotations

import datetime
import decimal
import fractions
import textwrap
from pathlib import Path
from typing import Any

import hypothesis
import pytest

from refactor_check.differential import (
    api,
    compare,
    hints,
    literals,
    neighbours,
    precedence,
    rendering,
    settings,
    shrink,
    surface,
    sweep,
    values,
)
from refactor_check.differential.compare import ProgramRun, StepObservation
from refactor_check.differential.domain import Domain
from refactor_check.differential.generation import Catalog
from refactor_check.differential.program import CALL, METHOD, NEW, Program, Step
from refactor_check.differential.recording import Recording
from refactor_check.differential.signatures import Signatures
from refactor_check.errors import BadInputError
from refactor_check.sources import load_package

from .conftest import write_files


def s(text: str) -> list[Any]:
    return ["str", text]


def i(n: int) -> list[Any]:
    return ["int", str(n)]


def d(text: str) -> list[Any]:
    return ["Decimal", text]


def lst(*items: list[Any]) -> list[Any]:
    return ["list", list(items)]


def dct(**items: list[Any]) -> list[Any]:
    return ["dict", [[s(k), v] for k, v in items.items()]]


# -- values ---------------------------------------------------------------------------------


def test_values_compare_by_type_and_structure_never_by_equality() -> None:
    one, one_float, true = i(1), ["float", "1.0"], ["bool", True]
    assert values.diff(one, one_float) and values.diff(one, true) and values.diff(one_float, true)
    # Equal as numbers, but a caller printing them sees 1.10 and 1.1.
    assert values.diff(d("1.10"), d("1.1"))
    assert values.diff(d("0"), d("-0"))
    assert not values.diff(lst(i(1), d("2.50")), lst(i(1), d("2.50")))
    (difference,) = values.diff(dct(total=d("1.10")), dct(total=d("1.1")), ("return value",))
    assert difference.where == "return value['total']"


def test_object_state_may_gain_public_attributes_but_not_lose_or_change_them() -> None:
    original = ["object", "shop.Cart", [["lines", lst()], ["owner", s("ann")]]]
    grown = ["object", "shop.Cart", [["LIMIT", i(5)], ["lines", lst()], ["owner", s("ann")]]]
    assert values.diff(original, grown) == []
    lost = ["object", "shop.Cart", [["owner", s("ann")]]]
    assert [x.where for x in values.diff(original, lost)] == [".lines"]
    other_class = ["object", "shop.Basket", original[2]]
    assert values.diff(original, other_class)


def test_dict_order_alone_is_an_order_only_difference_but_ordered_dicts_differ() -> None:
    ab, ba = dct(a=i(1), b=i(2)), dct(b=i(2), a=i(1))
    (only,) = values.diff(ab, ba)
    assert only.order_only
    ordered = ["mapping", "collections.OrderedDict", ab[1]]
    reordered = ["mapping", "collections.OrderedDict", ba[1]]
    (real,) = values.diff(ordered, reordered)
    assert not real.order_only
    missing = values.diff(ab, dct(a=i(1)))
    assert [(x.where, x.candidate) for x in missing] == [("['b']", None)]


def test_masked_paths_cover_everything_beneath_them() -> None:
    mask = {("return value", "['id']")}
    assert values.masked(("return value", "['id']", "[0]"), mask)
    assert not values.masked(("return value",), mask)
    assert not values.masked(("return value", "['total']"), mask)


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        [],
        ["unknown-tag", "x"],
        ["int", 1],
        ["list", ["not a value"]],
        ["dict", [[s("k")]]],
        ["object", "Cls", [[1, i(1)]]],
        ["ref", True],
    ],
)
def test_malformed_encodings_are_rejected(bad: object) -> None:
    assert not values.is_valid(bad)


def test_rendered_values_are_runnable_python() -> None:
    samples: list[object] = [
        None,
        True,
        -12,
        2.5,
        "it's",
        b"\x00a",
        decimal.Decimal("1.10"),
        fractions.Fraction(1, 3),
        datetime.date(2025, 12, 31),
        datetime.datetime(2024, 2, 29, 13, 5, 7),
        datetime.timedelta(days=1, seconds=5),
        [1, (2,), {3}, frozenset()],
        {"a": [None, {}], 1: ()},
    ]
    namespace = {"Decimal": decimal.Decimal, "Fraction": fractions.Fraction, "datetime": datetime}
    for sample in samples:
        encoded = values.encode_plain(sample)
        assert values.is_valid(encoded) and values.decodable(encoded)
        rebuilt = eval(values.render(encoded), namespace)
        assert values.encode_plain(rebuilt) == encoded, sample
    with pytest.raises(TypeError):
        values.encode_plain(object())


def test_leaves_name_places_by_key_and_collapse_list_positions() -> None:
    found = set(values.leaves(lst(dct(qty=i(1), price=s("2")), dct(qty=s("3")))))
    assert ("[]['qty']", "int") in found and ("[]['qty']", "str") in found
    assert ("", "list") in found and ("[]", "dict") in found


# -- programs and signatures ----------------------------------------------------------------


def test_programs_render_as_runnable_calls_with_variables_for_objects() -> None:
    program = Program(
        (
            Step(NEW, "shop.Cart", (s("ann"),)),
            Step(METHOD, "shop.Cart.add", (s("pen"),), (("qty", i(2)),), receiver=0),
            Step(METHOD, "shop.Cart.__len__", (), receiver=0),
            Step(CALL, "shop.total", (["ref", 0], d("0.10"))),
        )
    )
    assert rendering.render(program) == (
        "cart = shop.Cart('ann')\n"
        "cart.add('pen', qty=2)\n"
        "len(cart)\n"
        "shop.total(cart, Decimal('0.10'))"
    )
    assert program.without(0) is None  # later steps need the cart
    shorter = program.without(2)
    assert shorter is not None and shorter.steps[2].args[0] == ["ref", 0]


def _signatures() -> Signatures:
    def param(name: str, kind: str, default: list[Any] | None = None) -> list[Any]:
        return [name, kind, default is not None, default, None]

    return Signatures(
        {
            "m.f": {
                "exists": True,
                "signature": [
                    param("a", "positional_only"),
                    param("b", "positional_or_keyword"),
                    param("c", "positional_or_keyword", i(3)),
                    param("rest", "var_positional"),
                    param("k", "keyword_only", ["none"]),
                    param("extra", "var_keyword"),
                ],
            },
            "m.Cls.meth": {
                "exists": True,
                "method": True,
                "signature": [
                    param("self", "positional_or_keyword"),
                    param("x", "positional_or_keyword"),
                ],
            },
        }
    )


def test_signatures_bind_recorded_calls_and_lay_chosen_values_out_again() -> None:
    signature = _signatures().get("m.f")
    assert signature is not None
    bound = signature.bind((i(1), i(2), i(3), i(4)), (("k", i(5)), ("z", i(6))))
    assert bound == {
        "a": i(1),
        "b": i(2),
        "c": i(3),
        "rest": ["tuple", [i(4)]],
        "k": i(5),
        "extra": ["dict", [[s("z"), i(6)]]],
    }
    assert signature.call(bound) == ((i(1), i(2), i(3), i(4)), (("k", i(5)), ("z", i(6))))
    # Without *args, an optional parameter goes by keyword; a missing required one fails.
    assert signature.call({"a": i(1), "b": i(2), "c": i(9)}) == ((i(1), i(2)), (("c", i(9)),))
    assert signature.call({"b": i(2)}) is None
    assert signature.bind((i(1),), ()) is None  # b is required
    method = _signatures().get("m.Cls.meth")
    assert method is not None and [p.name for p in method.params] == ["x"]


# -- neighbours -----------------------------------------------------------------------------


def _near(pool: tuple[list[Any], ...] = ()) -> neighbours.Neighbours:
    # As if the original's source held ``qty >= 50`` and ``Decimal("0.05")``.
    return neighbours.Neighbours(literals.Literals(ints=(50,), decimals=("0.05",)), pool)


def test_integer_neighbours_start_at_the_originals_boundaries() -> None:
    near = _near().variants(i(49))
    assert near[:3] == [i(50), i(51), ["none"]]  # None is inside the domain: always early
    assert {values.key(x) for x in (i(48), i(0), i(-1))} <= {values.key(x) for x in near}


def test_decimal_neighbours_hit_half_way_values_and_other_scales() -> None:
    texts = neighbours.decimal_neighbours("1.00", ())
    assert {"0.99", "1.01", "1.005", "0.995", "1.000", "1", "0.00", "-1.00"} <= set(texts)
    assert "1.00" not in _near().variants(d("1.00"))  # never the value itself
    as_text = {v[1] for v in _near().variants(s("2.50")) if v[0] == "str"}
    assert {"2.49", "2.505", "2.5", "", " 2.50 "} <= as_text


def test_neighbours_include_ties_in_both_orders_and_values_seen_at_the_same_place() -> None:
    entries = lst(["tuple", [s("ann"), i(1)]], ["tuple", [s("bob"), i(3)]])
    near = _near(pool=(entries, lst(["tuple", [s("cy"), i(7)]]))).neighbours(entries)
    tie = lst(["tuple", [s("ann"), i(3)]], ["tuple", [s("bob"), i(3)]])
    swapped = lst(["tuple", [s("bob"), i(3)]], ["tuple", [s("ann"), i(3)]])
    seen_elsewhere = lst(["tuple", [s("ann"), i(7)]], ["tuple", [s("bob"), i(3)]])
    keys = [values.key(x) for x in near]
    assert values.key(tie) in keys and values.key(swapped) in keys
    assert values.key(seen_elsewhere) in keys
    assert values.key(lst()) in keys and values.key(entries) not in keys
    assert near == _near(pool=(entries, lst(["tuple", [s("cy"), i(7)]]))).neighbours(entries)


def test_dict_values_tie_in_both_orders_of_their_keys() -> None:
    counts = dct(b=i(2), a=i(1))
    near = [values.key(x) for x in _near().neighbours(counts)]
    assert values.key(dct(b=i(2), a=i(2))) in near
    assert values.key(dct(a=i(2), b=i(2))) in near


def test_a_text_that_differs_is_shown_by_its_first_differing_line() -> None:
    from refactor_check.differential import counterexamples

    difference = values.Difference(
        ("return value",), s("head\nbob  3\nann  3\n"), s("head\nann  3\nbob  3\n")
    )
    original = _returned(difference.original)  # type: ignore[arg-type]
    candidate = _returned(difference.candidate)  # type: ignore[arg-type]
    assert counterexamples.headline(difference, original, candidate) == (
        "return value, line 2, is 'ann  3' where the original has 'bob  3'"
    )


def test_dict_neighbours_drop_keys_one_at_a_time_and_add_keys_seen_elsewhere() -> None:
    pool = (dct(sku=s("a"), qty=i(1)), dct(sku=s("b"), quantity=i(2)))
    near = _near(pool=pool).variants(pool[0])
    assert dct(sku=s("a")) in near and dct(qty=i(1)) in near
    assert dct(sku=s("a"), qty=i(1), quantity=i(2)) in near


def test_literals_are_mined_from_code_not_docstrings(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pkg.py": '''
            """Mentions 777 and "DOCWORD" in prose."""
            from decimal import Decimal
            LIMIT = 50
            def f(x):
                """Docstring 'ALSO_DOC'."""
                return x >= 20 and x != Decimal("0.125") and x != "SAVE10" and x < "2025-12-31"
            ''',
        },
    )
    package = load_package(tmp_path, "pkg")
    assert package is not None
    mined = literals.mine(package)
    assert mined.ints == (20, 50)
    assert "0.125" in mined.decimals and "SAVE10" in mined.strings and "2025-12-31" in mined.dates
    assert "DOCWORD" not in " ".join(mined.strings) and "ALSO_DOC" not in " ".join(mined.strings)


# -- shrinking ------------------------------------------------------------------------------


def test_shrinking_drops_steps_arguments_and_parts_of_values_while_the_difference_stays() -> None:
    noise = Step(CALL, "m.g", (i(7),))
    failing = Step(
        CALL,
        "m.f",
        (lst(dct(sku=s("long-name"), qty=i(50)), dct(sku=s("x"), qty=i(2))),),
        (("flag", ["bool", True]),),
    )
    program = Program((noise, noise, failing))

    def still_fails(candidate: Program) -> int | None:
        last = candidate.steps[-1]
        # The difference needs a line with qty 50, nothing else.
        text = values.key(list(last.args))
        return len(candidate.steps) - 1 if last.target == "m.f" and '"50"' in text else None

    smaller = shrink.shrink(program, 2, still_fails, attempts=200)
    assert rendering.render(smaller) == "m.f([{'qty': 50}])"


# -- domain ---------------------------------------------------------------------------------


def test_the_domain_admits_seen_types_none_and_hinted_types_only() -> None:
    facts = {
        "m.f": {
            "exists": True,
            "signature": [
                ["text", "positional_or_keyword", False, None, None],
                ["n", "positional_or_keyword", False, None, "int | float"],
            ],
        }
    }
    signatures = Signatures(facts)
    recorded = [Step(CALL, "m.f", (lst(s("a")), i(1)))]
    domain = Domain.build(signatures, recorded)

    def outside(*args: list[Any]) -> str | None:
        return domain.outside(Program((Step(CALL, "m.f", args),)), 0, signatures)

    assert outside(lst(s("b"), ["none"]), i(5)) is None
    assert outside(lst(), ["float", "2.5"]) is None  # the hint admits a float
    reason = outside(lst(["bytes", "6162"]), i(1))
    assert reason is not None and "bytes" in reason and "str" in reason
    assert outside(lst(s("a")), s("1")) is not None


def test_a_parameter_no_test_passed_admits_what_its_namesake_elsewhere_was_given() -> None:
    """``add(items, coupon=None)`` passes ``coupon`` on to ``total``; the tests only gave
    ``total`` a coupon. A text coupon for ``add`` is inside the domain; a text ``items`` is
    not (the tests passed ``add`` a list there)."""
    facts = {
        "m.total": {
            "exists": True,
            "signature": [
                ["items", "positional_or_keyword", False, None, None],
                ["coupon", "positional_or_keyword", True, ["none"], None],
            ],
        },
        "m.add": {
            "exists": True,
            "signature": [
                ["items", "positional_or_keyword", False, None, None],
                ["coupon", "positional_or_keyword", True, ["none"], None],
            ],
        },
    }
    signatures = Signatures(facts)
    recorded = [
        Step(CALL, "m.total", (lst(i(1)), s("SAVE10"))),
        Step(CALL, "m.add", (lst(i(2)),)),
    ]
    domain = Domain.build(signatures, recorded)

    def outside(*args: list[Any]) -> str | None:
        return domain.outside(Program((Step(CALL, "m.add", args),)), 0, signatures)

    assert outside(lst(i(3)), s("BULK15")) is None
    assert outside(s("x"), ["none"]) is not None


def test_the_sweep_gives_a_left_out_option_what_its_namesake_elsewhere_was_given() -> None:
    """``add`` passes ``coupon`` on to ``total``; only ``total`` was given coupons by the
    tests. The sweep calls ``add`` with each of them."""
    facts = {
        path: {
            "exists": True,
            "signature": [
                ["items", "positional_or_keyword", False, None, None],
                ["coupon", "positional_or_keyword", True, ["none"], None],
            ],
        }
        for path in ("m.total", "m.add")
    }
    signatures = Signatures(facts)
    samples = (
        Step(CALL, "m.total", (lst(i(1)), s("SAVE10"))),
        Step(CALL, "m.total", (lst(i(1)), s("BULK15"))),
        Step(CALL, "m.add", (lst(i(2)),)),
    )
    catalog = Catalog(signatures, Recording(samples=samples), literals.Literals(), {})
    assert catalog.named_elsewhere("m.add", "coupon") == [s("BULK15"), s("SAVE10")]
    assert catalog.named_elsewhere("m.total", "coupon") == []  # its own are in its pool
    swept = sweep.single_changes(catalog, "m.add", 500)
    assert {"items": lst(i(2)), "coupon": s("SAVE10")} in swept
    assert {"items": lst(i(2)), "coupon": s("BULK15")} in swept


# -- settings and hints ---------------------------------------------------------------------


def test_settings_come_from_defaults_then_the_exercise_then_the_command_line(
    tmp_path: Path,
) -> None:
    default = settings.load({}, tmp_path)
    assert default.seed == 0 and default.examples > 0 and default.seconds > 0
    (tmp_path / "strategies.py").write_text("STRATEGIES = {}\n")
    table = {"seed": 7, "examples": 3, "entry_points": ["m.f"], "strategies": "strategies.py"}
    mixed = settings.load(table, tmp_path, seed=9, seconds=5.0)
    assert (mixed.seed, mixed.examples, mixed.seconds, mixed.entry_points) == (9, 3, 5.0, ("m.f",))
    assert mixed.strategies == (tmp_path / "strategies.py").resolve()


@pytest.mark.parametrize(
    "table, fragment",
    [
        ({"bogus": 1}, "unknown setting [differential] bogus"),
        ({"examples": -1}, "examples must be a positive integer"),
        ({"seed": True}, "seed must be an integer"),
        ({"seconds": "soon"}, "seconds must be a positive number"),
        ({"probe_seconds": 0}, "probe_seconds must be a positive number"),
        ({"probe_total_seconds": -1}, "probe_total_seconds must be a number, 0 or more"),
        ({"exclude": "m.f"}, "exclude must be a list"),
        ({"strategies": "../elsewhere.py"}, "not found in the golden repo"),
    ],
)
def test_bad_settings_are_one_clear_line(
    tmp_path: Path, table: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(BadInputError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        settings.load(table, tmp_path)


def test_hints_become_strategies_and_say_what_they_admit() -> None:
    assert hints.parse("list[dict[str, int]]").admits == {"list", "dict", "str", "int"}
    assert hints.parse("Optional[decimal.Decimal]").admits == {"Decimal", "none"}
    assert hints.parse("float").admits == {"float", "int"}
    assert hints.parse("typing.Any").admits is None
    assert hints.parse("SomeClass").strategy is None
    example = hints.parse("tuple[int, str]").strategy
    assert example is not None and values.is_valid(hypothesis.find(example, lambda _: True))


# -- comparison -----------------------------------------------------------------------------


def _returned(value: list[Any], stdout: str = "") -> StepObservation:
    return StepObservation(
        compare.RETURNED,
        ((compare.RETURN, value), (compare.STDOUT, s(stdout)), (compare.STDERR, s(""))),
    )


def _raised(kind: str, message: str, by: str) -> StepObservation:
    fields = ((compare.EXCEPTION, ["exception", kind, message]),)
    return StepObservation(compare.RAISED, fields, raised_by=by)


def test_what_the_originals_two_runs_disagree_on_is_excluded() -> None:
    a = ProgramRun((_returned(dct(id=i(1), total=i(5))),))
    b = ProgramRun((_returned(dct(id=i(2), total=i(5))),))
    same_total = ProgramRun((_returned(dct(id=i(3), total=i(5))),))
    other_total = ProgramRun((_returned(dct(id=i(3), total=i(6))),))
    quiet = compare.compare(a, b, same_total)
    assert quiet.mismatches == () and quiet.nondeterministic == ("step 1: return value/['id']",)
    (loud,) = compare.compare(a, b, other_total).mismatches
    assert [x.where for x in loud.differences] == ["return value['total']"]


def test_every_differing_step_is_reported_and_an_unfinished_original_ends_the_comparison() -> None:
    runs = [ProgramRun((_returned(i(1)), _returned(i(2)), _returned(i(3)))) for _ in range(2)]
    candidate = ProgramRun((_returned(i(0)), _returned(i(2)), _returned(i(0))))
    assert [m.step for m in compare.compare(*runs, candidate).mismatches] == [0, 2]
    hung = ProgramRun((_returned(i(1)), StepObservation(compare.TIMEOUT)))
    result = compare.compare(hung, hung, candidate)
    assert result.steps_compared == 1 and result.unsettled == "the original did not return in time"


def test_digests_that_agree_on_every_side_settle_a_program() -> None:
    answer = {"status": "done", "steps": [{"outcome": "returned", "digest": "ab"}]}
    other = {"status": "done", "steps": [{"outcome": "returned", "digest": "cd"}]}
    assert compare.same_digests([answer, answer, answer], 1)
    assert not compare.same_digests([answer, answer, other], 1)
    assert not compare.same_digests([answer, answer, {**answer, "status": "timeout"}], 1)


def test_only_exceptions_python_raises_on_its_own_are_incidental() -> None:
    assert compare.incidental(_raised("KeyError", "'sku'", "operation"))
    assert compare.incidental(_raised("TypeError", "not iterable", "call"))
    assert not compare.incidental(_raised("ValueError", "invalid literal", "call"))
    assert not compare.incidental(_raised("TypeError", "bad qty", "raise"))


# -- API and error precedence ---------------------------------------------------------------


def test_runtime_facts_veto_what_static_reading_gets_wrong() -> None:
    def fact(**extra: Any) -> dict[str, Any]:
        return {"exists": True, "kind": "function", **extra}

    sig = [["prefix", "positional_or_keyword", True, s("INV"), None]]
    changed_sig = [["prefix", "positional_or_keyword", True, s("inv"), None]]
    proposals = [
        api.Proposal("p.f", "PARAMETER_CHANGED_DEFAULT", "default changed"),
        api.Proposal("p.g", "PARAMETER_CHANGED_DEFAULT", "default changed"),
        api.Proposal("p.Item.__eq__", "OBJECT_REMOVED", "removed"),
        api.Proposal("p.gone", "OBJECT_REMOVED", "removed"),
    ]
    original = {
        "p.f": fact(signature=sig),
        "p.g": fact(signature=sig),
        "p.Item.__eq__": fact(inherited_from_builtins=False),
        "p.gone": fact(),
    }
    candidate = {
        "p.f": fact(signature=sig),  # DEFAULT_PREFIX = "INV": the same value
        "p.g": fact(signature=changed_sig),
        "p.Item.__eq__": fact(inherited_from_builtins=False),  # a dataclass's own __eq__
        "p.gone": {"exists": False},
    }
    kept = api.confirm(proposals, original, original, candidate)
    assert [c.path for c in kept] == ["p.g", "p.gone"]
    assert kept[1].candidate == "(missing)"


def test_griffe_public_flags_follow_all_so_a_split_module_is_no_api_change(tmp_path: Path) -> None:
    old = write_files(
        tmp_path / "old",
        {
            "pkg/__init__.py": 'from pkg.core import f, Thing\n__all__ = ["f", "Thing"]\n',
            "pkg/core.py": """
                class Thing:
                    pass

                def f(a, b=1):
                    return a

                def g():
                    pass
                """,
        },
    )
    split = write_files(
        tmp_path / "split",
        {
            "pkg/__init__.py": """
                from pkg.a import f
                from pkg.b import Thing
                __all__ = ["f", "Thing"]
                """,
            "pkg/a.py": "def f(a, b=1):\n    return a\n",
            "pkg/b.py": "class Thing:\n    pass\n",
        },
    )
    broken = write_files(
        tmp_path / "broken",
        {"pkg/__init__.py": "def f(a):\n    return a\n\n__all__ = ['f']\n"},
    )
    original = surface.load_tree(old, "pkg")
    assert [t.path for t in surface.read(original).targets] == ["pkg.Thing", "pkg.f"]
    assert api.propose(original, surface.load_tree(split, "pkg"))[0] == []
    found = api.propose(surface.load_tree(old, "pkg"), surface.load_tree(broken, "pkg"))[0]
    assert {(p.path, p.kind) for p in found} == {
        ("pkg.Thing", "OBJECT_REMOVED"),
        ("pkg.f", "PARAMETER_REMOVED"),
    }


def test_without_all_public_means_defined_not_imported(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "pkg/__init__.py": "import datetime\nfrom pkg.core import helper\n",
            "pkg/core.py": """
                from decimal import Decimal

                def helper():
                    pass

                def _private():
                    pass
                """,
        },
    )
    paths = [t.path for t in surface.read(surface.load_tree(root, "pkg")).targets]
    assert paths == ["pkg.helper"]


def _precedence_catalog() -> Catalog:
    facts = {
        "m.parse": {
            "exists": True,
            "signature": [["record", "positional_or_keyword", False, None, None]],
        }
    }
    signatures = Signatures(facts)
    sample = Step(CALL, "m.parse", (dct(sku=s("a"), qty=i(1)),))
    return Catalog(signatures, Recording(samples=(sample,)), literals.Literals(), {})


def _missing_first_key(step: Step, order: tuple[str, ...]) -> StepObservation:
    present = {k[1] for k, _ in step.args[0][1]}
    missing = next((k for k in order if k not in present), None)
    if missing is None:
        return _returned(i(1))
    return _raised("KeyError", repr(missing), "raise")


def test_a_different_one_of_several_problems_reported_first_is_error_precedence() -> None:
    catalog = _precedence_catalog()
    program = Program((Step(CALL, "m.parse", (dct(),)),))
    original, candidate = (
        _missing_first_key(program.steps[0], ("sku", "qty")),
        _missing_first_key(program.steps[0], ("qty", "sku")),
    )
    mismatch = compare.Mismatch(
        0, tuple(compare.step_differences(original, candidate)), original, candidate
    )

    def original_step(p: Program) -> StepObservation:
        return _missing_first_key(p.steps[-1], ("sku", "qty"))

    assert precedence.reported_later(program, mismatch, original_step, catalog, attempts=20)

    def original_never_checks_qty(p: Program) -> StepObservation:
        return _missing_first_key(p.steps[-1], ("sku",))

    assert not precedence.reported_later(program, mismatch, original_never_checks_qty, catalog, 20)


def test_the_invoice_originals_constants_are_found() -> None:
    package = load_package(
        Path(__file__).resolve().parent.parent / "golden_repos" / "invoice" / "original", "billing"
    )
    assert package is not None
    mined = literals.mine(package)
    assert {20, 50, 100} <= set(mined.ints)
    assert {"0.05", "1000.00"} <= set(mined.decimals) and "2025-12-31" in mined.dates


def test_strategies_files_give_plain_data_strategies(tmp_path: Path) -> None:
    from refactor_check.differential import generation

    path = tmp_path / "strategies.py"
    path.write_text(
        textwrap.dedent(
            """
            from decimal import Decimal
            from hypothesis import strategies as st
            STRATEGIES = {"m.f": {"price": st.just(Decimal("1.50"))}}
            """
        )
    )
    loaded = generation.load_strategies(path)
    assert hypothesis.find(loaded["m.f"]["price"], lambda _: True) == ["Decimal", "1.50"]
    path.write_text("STRATEGIES = {'m.f': {'price': 3}}\n")
    with pytest.raises(BadInputError, match="not a hypothesis strategy"):
        generation.load_strategies(path)
