import pytest
from members import BLOCK_AT, TIERS, Member, Register


def test_a_member_is_cleaned_up_on_joining():
    m = Member(" Ann ", "Ann Archer", "STUDENT", balance=120)
    assert (m.member_id, m.name, m.tier, m.fines) == ("ann", "Ann Archer", "student", 120)
    assert m.loans == [] and m.suspended is False
    assert m.limit() == TIERS["student"][0] == 8
    assert repr(m) == "Member('ann', student, owes 120)"


@pytest.mark.parametrize(
    "args, message",
    [
        (("  ", "Nobody"), "member id is empty"),
        (("ann", "Ann", "vip"), "unknown tier: vip"),
        (("ann", "Ann", "standard", -1), "an opening balance cannot be negative"),
    ],
)
def test_a_bad_member_is_refused(args, message):
    with pytest.raises(ValueError) as raised:
        Member(*args)
    assert str(raised.value) == message


def test_standing_follows_the_fines_owed():
    assert Member("a", "A").standing() == "good"
    assert Member("a", "A", balance=250).standing() == "owes"
    assert Member("a", "A", balance=BLOCK_AT + 200).standing() == "blocked"
    suspended = Member("a", "A")
    suspended.suspended = True
    assert suspended.standing() == "suspended"


def test_who_may_borrow():
    assert Member("a", "A", balance=250).can_borrow() == (True, "ok")
    assert Member("a", "A", balance=900).can_borrow() == (False, "blocked")
    guest = Member("g", "G", "guest")
    guest.loans = ["B1", "B2"]
    assert guest.can_borrow() == (False, "limit")
    guest.suspended = True
    assert guest.can_borrow() == (False, "suspended")


def test_paying_fines_gives_change():
    m = Member("a", "A", balance=300)
    assert m.pay(100) == 0 and m.fines == 200
    assert m.pay(250) == 50 and m.fines == 0
    assert m.pay(1) == 1
    with pytest.raises(ValueError) as nothing:
        m.pay(0)
    assert str(nothing.value) == "nothing to pay"
    with pytest.raises(TypeError) as fraction:
        m.pay(1.5)
    assert str(fraction.value) == "pay in whole cents"


def test_the_register_knows_each_member_once():
    register = Register()
    ann = register.join("Ann", "Ann Archer")
    assert register.get(" ANN ") is ann
    with pytest.raises(ValueError) as raised:
        register.join("ann", "Another Ann")
    assert str(raised.value) == "member ann has already joined"
    with pytest.raises(KeyError) as missing:
        register.get("Zed")
    assert missing.value.args == ("no member zed",)


def test_suspending_says_what_it_was():
    register = Register()
    register.join("ann", "Ann Archer")
    assert register.suspend("ann") is False
    assert register.suspend("ann", 1) is True
    assert register.get("ann").suspended is True
    assert register.suspend("ann", flag=0) is True
    assert register.get("ann").suspended is False


def test_who_owes_most_comes_first():
    register = Register()
    register.join("cy", "Cy", balance=40)
    register.join("ann", "Ann", balance=90)
    register.join("bo", "Bo", balance=40)
    register.join("di", "Di")
    register.join("ed", "Ed", balance=1)
    assert [m.member_id for m in register.owing()] == ["ann", "bo", "cy", "ed"]
