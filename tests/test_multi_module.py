"""Exercises of several top-level modules that import each other (a flat layout, as katas
have), graded through the CLI: golden tests in a tests/ package with a helper, candidates who
extract a module, move functions between modules, change a sibling module's behaviour, or
delete a module whose names callers still import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, write_files

SHOP3 = FIXTURES / "shop3"
ORIGINAL = SHOP3 / "original"

PRICING = '''
"""Prices and coupons, extracted from checkout."""

BULK_DISCOUNT_DIVISOR = 10
TENOFF_FROM_CENTS = 5000
TENOFF_CENTS = 1000


def line_total(product, qty):
    cents = product.price_cents * qty
    if product.bulk_from and qty >= product.bulk_from:
        cents -= cents // BULK_DISCOUNT_DIVISOR
    return cents


def apply_coupon(cents, coupon):
    if coupon is None:
        return cents
    if coupon == "TENOFF":
        return cents - TENOFF_CENTS if cents > TENOFF_FROM_CENTS else cents
    if coupon == "HALF":
        return cents // 2
    raise ValueError("unknown coupon: " + coupon)
'''
CHECKOUT_USING_PRICING = """
from cart import Cart
from catalog import Catalog
from pricing import apply_coupon, line_total

__all__ = ["line_total", "receipt", "shop", "total"]


def total(cart, coupon=None):
    return apply_coupon(sum(line_total(p, q) for p, q in cart.lines), coupon)


def receipt(cart, coupon=None):
    rows = [
        "%-10s x%-3d %8.2f" % (product.name, qty, line_total(product, qty) / 100)
        for product, qty in cart.lines
    ]
    rows.append("%-15s %8.2f" % ("TOTAL", total(cart, coupon) / 100))
    return "\\n".join(rows)


def shop(names_and_qty, catalog):
    if not isinstance(catalog, Catalog):
        raise TypeError("not a catalog")
    cart = Cart()
    for name, qty in names_and_qty:
        cart.add(catalog.find(name), qty)
    return cart
"""
OWN_TESTS = """
import pytest
from catalog import Product
from pricing import apply_coupon, line_total


def test_bulk_boundary():
    rice = Product("rice", 1000, bulk_from=3)
    assert line_total(rice, 2) == 2000
    assert line_total(rice, 3) == 2700


def test_coupons():
    assert apply_coupon(5000, "TENOFF") == 5000
    assert apply_coupon(5001, "TENOFF") == 4001
    assert apply_coupon(7, "HALF") == 3
    assert apply_coupon(7, None) == 7
    with pytest.raises(ValueError):
        apply_coupon(7, "X")
"""


def _submission(root: Path, replace: dict[str, str], remove: tuple[str, ...] = ()) -> Path:
    root.mkdir(parents=True)
    for path in ORIGINAL.glob("*.py"):
        if path.name not in remove:
            shutil.copyfile(path, root / path.name)
    return write_files(root, replace)


def _run(cli, submission: Path, *more: str):
    return cli("run", submission, "--golden", SHOP3, "--differential-examples", "20", *more)


def test_a_clean_refactor_that_extracts_a_module_is_preserved(tmp_path: Path, cli) -> None:
    submission = _submission(
        tmp_path / "extract",
        {
            "checkout.py": CHECKOUT_USING_PRICING,
            "pricing.py": PRICING,
            "tests/test_pricing.py": OWN_TESTS,
        },
    )

    result = _run(cli, submission)

    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["exercise"]["modules"] == ["checkout", "cart", "catalog"]
    assert report["candidate"]["added_modules"] == ["pricing.py"]
    golden = report["golden"]
    assert golden["total"] == 6 and all(t["outcome"] == "passed" for t in golden["tests"])
    # The differential run covered the public names of every module of the exercise.
    compared = {t["path"]: t["calls"] for t in report["differential"]["targets"]}
    assert {"cart.Cart", "catalog.Catalog", "checkout.total"} <= set(compared)
    assert all(compared[p] > 0 for p in ("cart.Cart", "catalog.Catalog", "checkout.total"))
    # Their tests were scored by mutants of the extracted module and of the exercise's.
    own = report["mutation"]["candidate_tests"]
    assert own is not None and own["killed"] > 0
    assert "pricing.py" in own["source_files"]
    # Complexity maps the original's functions across modules.
    mapped = {r["original"]: r["candidate"] for r in report["complexity"]["functions"]}
    assert mapped["checkout.line_total"] == "pricing.line_total"
    assert mapped["cart.Cart.add"] == "cart.Cart.add"
    assert report["complexity"]["original"]["cc_total"] == 29
    # The API diff covers every module of the exercise and not the one added.
    changes = report["complexity"]["api"]["changes"]
    assert not [c for c in changes if c["change"] == "removed"]
    assert not any(c["name"].startswith("pricing") for c in changes)


def test_moving_a_function_between_modules_behind_the_old_import_path_is_preserved(
    tmp_path: Path, cli
) -> None:
    checkout = (ORIGINAL / "checkout.py").read_text()
    start = checkout.index("def line_total")
    end = checkout.index("def total")
    moved = checkout[start:end]
    submission = _submission(
        tmp_path / "move",
        {
            "cart.py": (ORIGINAL / "cart.py").read_text() + "\n\n" + moved,
            "checkout.py": checkout[:start].replace(
                "from cart import Cart", "from cart import Cart, line_total"
            )
            + checkout[end:],
        },
    )

    result = _run(cli, submission, "--no-mutation")

    assert result.code == 0, result.stdout + result.stderr
    mapped = {
        r["original"]: (r["candidate"], r["how"]) for r in result.report["complexity"]["functions"]
    }
    assert mapped["checkout.line_total"] == ("cart.line_total", "moved")
    # cart.line_total is a new public name of cart; checkout.line_total is still there.
    added = {
        c["name"] for c in result.report["complexity"]["api"]["changes"] if c["change"] == "added"
    }
    assert "cart.line_total" in added
    assert result.report["complexity"]["change"]["functions_changed"] == 0


def test_a_behaviour_change_in_a_sibling_module_the_golden_tests_miss_is_found(
    tmp_path: Path, cli
) -> None:
    # The golden tests check that an unknown product raises KeyError, not what it says.
    catalog = (ORIGINAL / "catalog.py").read_text()
    changed = catalog.replace("raise KeyError(name)", 'raise KeyError("no product " + name)')
    assert changed != catalog
    submission = _submission(tmp_path / "gap", {"catalog.py": changed})

    result = _run(cli, submission, "--no-mutation")

    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert all(t["outcome"] == t["expected"] for t in report["golden"]["tests"])
    found = [f for f in report["findings"] if f["kind"] == "differential_mismatch"]
    assert found and all("catalog.Catalog" in f["message"] for f in found)
    assert "KeyError" in found[0]["message"] and "no product" in found[0]["message"]


def test_deleting_a_module_whose_names_are_still_imported_is_a_finding_that_names_it(
    tmp_path: Path, cli
) -> None:
    catalog = (ORIGINAL / "catalog.py").read_text()
    cart = (ORIGINAL / "cart.py").read_text().replace("from catalog import Product\n", "")
    submission = _submission(
        tmp_path / "deleted",
        {
            "cart.py": catalog + "\n\n" + cart,
            "checkout.py": (ORIGINAL / "checkout.py")
            .read_text()
            .replace("from catalog import Catalog", "from cart import Catalog"),
        },
        remove=("catalog.py",),
    )

    result = _run(cli, submission, "--no-mutation")

    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["candidate"]["removed_modules"] == ["catalog"]
    removed = [f for f in report["findings"] if f["kind"] == "module_removed"]
    assert len(removed) == 1 and "module 'catalog' of the original" in removed[0]["message"]
    # The golden tests that import it say the same in their own words.
    assert any("No module named 'catalog'" in f["message"] for f in report["findings"])


def test_the_starter_keeps_the_exercises_layout(tmp_path: Path, cli) -> None:
    out = tmp_path / "starter"
    result = cli("exercise", "starter", SHOP3, out)
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.py")) == ["cart.py", "catalog.py", "checkout.py"]
    readme = (out / "README.md").read_text()
    assert "`checkout.py`, `cart.py`, `catalog.py`: the code to refactor." in readme
    practice = (out / ".refactor-check" / "practice" / "exercise.toml").read_text()
    assert 'modules = ["checkout", "cart", "catalog"]' in practice


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('modules = "cart"', "modules must be a list of import names"),
        ('modules = ["cart", "nowhere"]', "original/ holds no package 'nowhere'"),
        ('modules = ["tests"]', "would shadow the test machinery"),
    ],
)
def test_bad_modules_are_bad_input(tmp_path: Path, cli, table: str, message: str) -> None:
    golden = Path(shutil.copytree(SHOP3, tmp_path / "golden"))
    (golden / "exercise.toml").write_text(f'[exercise]\nname = "shop3"\n{table}\n')
    result = cli("run", ORIGINAL, "--golden", golden, "--no-mutation")
    assert result.code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_without_package_or_modules_every_module_in_original_is_the_code(tmp_path: Path) -> None:
    from refactor_check import exercise

    golden = Path(shutil.copytree(SHOP3, tmp_path / "golden"))
    (golden / "exercise.toml").write_text('[exercise]\nname = "shop3"\n')
    assert exercise.load(golden).modules == ("cart", "catalog", "checkout")


def test_classes_moved_to_a_new_module_keep_their_names_in_the_comparison(
    tmp_path: Path, cli
) -> None:
    # Catalog and Product move to models.py; catalog.py and cart.py import them back, and
    # checkout reaches them through the module instead of binding the names itself. Values
    # of those classes must still compare as catalog.Catalog and catalog.Product.
    catalog = (ORIGINAL / "catalog.py").read_text()
    checkout = (
        (ORIGINAL / "checkout.py")
        .read_text()
        .replace("from catalog import Catalog\n", "import models\n")
        .replace("isinstance(catalog, Catalog)", "isinstance(catalog, models.Catalog)")
    )
    submission = _submission(
        tmp_path / "models",
        {
            "models.py": catalog,
            "catalog.py": (
                "from models import Catalog, Product\n\n__all__ = ['Catalog', 'Product']\n"
            ),
            "cart.py": (ORIGINAL / "cart.py")
            .read_text()
            .replace("from catalog import Product", "from models import Product"),
            "checkout.py": checkout,
        },
    )

    result = _run(cli, submission, "--no-mutation")

    assert result.code == 0, result.stdout + result.stderr
    assert result.report["findings"] == []
    assert result.report["candidate"]["added_modules"] == ["models.py"]
