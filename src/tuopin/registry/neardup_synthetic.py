"""A generated population with planted near-duplicates, for measuring the duplicate search's
precision and recall (tests and ``bench/registry_upkeep.py``). Pure code."""

from __future__ import annotations

import datetime as dt
import random

from tuopin.core import idcard

from .neardup import Rec
from .synthetic import GIVEN_F, GIVEN_M, SURNAMES

KINDS = ("transposed", "typo", "new_id", "phone")


def population(
    n: int, *, seed: int = 7, duplicates: float = 0.01, counties: int = 20
) -> tuple[list[Rec], set[tuple[int, int]]]:
    """``n`` people in households of four, and about ``duplicates`` × n planted copies of
    people in another household: ID digits transposed, one digit mistyped, a new ID number
    with the same name and birth date, or the same name and phone. Returns the people and the
    planted pairs (lower id first)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    base = dt.date(1940, 1, 1)
    people: list[Rec] = []
    regions = [f"{420000 + 100 * c + 1:06d}" for c in range(counties)]
    seq = 0
    used: set[str] = set()
    for i in range(n):
        sex = rng.random() < 0.5
        birth = base + dt.timedelta(days=rng.randrange(80 * 365))
        region = regions[(i // 4) % counties]
        number = ""
        while not number or number in used:  # one number per person, as the registry holds
            seq = (seq + 1) % 500  # the sequence code has three digits, its parity the sex
            number = idcard.build(region, birth, seq * 2 + (1 if sex else 0))
        used.add(number)
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN_M if sex else GIVEN_F) for _ in range(rng.choice((1, 2)))
        )
        phone = f"13{rng.randrange(10**9):09d}" if rng.random() < 0.6 else ""
        people.append(Rec(i + 1, i // 4 + 1, name, birth.isoformat(), number, phone))
    planted: set[tuple[int, int]] = set()
    next_id, next_household = n + 1, n // 4 + 2
    for _ in range(int(n * duplicates)):
        src = people[rng.randrange(n)]
        kind = rng.choice(KINDS)
        number, phone, birth_text = src.id_number, src.phone, src.birth
        if kind == "transposed":
            digits = list(number[:17])
            i = rng.randrange(6, 16)
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            number = "".join(digits) + number[17]
        elif kind == "typo":
            digits = list(number[:17])
            i = rng.randrange(14, 17)
            digits[i] = str((int(digits[i]) + rng.randrange(1, 10)) % 10)
            number = "".join(digits) + number[17]
        elif kind == "new_id":
            number = idcard.build(
                number[:6], dt.date.fromisoformat(birth_text), rng.randrange(1000)
            )
        else:
            phone = phone or f"13{rng.randrange(10**9):09d}"
            src = Rec(src.id, src.household, src.name, src.birth, src.id_number, phone)
            people[src.id - 1] = src
            moved = dt.date.fromisoformat(birth_text) + dt.timedelta(days=rng.randrange(1, 300))
            birth_text = moved.isoformat()
            number = idcard.build(number[:6], moved, rng.randrange(1000))
        if number in used or number == src.id_number:
            continue
        used.add(number)
        people.append(Rec(next_id, next_household, src.name, birth_text, number, phone))
        planted.add((src.id, next_id))
        next_id += 1
        next_household += 1
    return people, planted
