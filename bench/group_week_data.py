"""Data for `bench.group_week`: a 60-person month's programme (pure), and a 500-person unit's
month of attendance lists in the database (for "who was here")."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import insert

from db.group_tables import ClassMark, Group, PlannedClassRow
from db.models import Participant, Unit, User
from db.session import unit_of_work
from domain.groups import ActivityKind, Membership
from domain.month_check import PersonInCentre
from domain.timetable import PlannedClass, month_bounds
from services.context import Services


def month_programme(
    year: int, month: int, people: int = 60, groups: int = 4
) -> tuple[list[PlannedClass], list[Membership], list[PersonInCentre]]:
    """Groups of workshops six one-hour blocks a weekday, and each person's consultations:
    about 1,200 classes held in the month for 60 people."""
    first, last = month_bounds(year, month)
    ids = [f"p{n:03d}" for n in range(people)]
    members = [
        Membership(group_id=f"g{n % groups}", participant_id=pid, joined_on=first)
        for n, pid in enumerate(ids)
    ]
    classes: list[PlannedClass] = []
    for g in range(groups):
        for weekday in range(5):
            for block in range(6):
                classes.append(
                    PlannedClass(
                        id=f"g{g}-{weekday}-{block}", kind=ActivityKind.WORKSHOP,
                        title="Warsztat", place=f"Sala {g}", staff_id=f"s{g}",
                        group_id=f"g{g}", starts_at=time(8 + block), hours=Decimal(1),
                        weekday=weekday, first_day=first, last_day=last,
                    )
                )  # fmt: skip
    day = first
    n = 0
    while day <= last:
        if day.weekday() < 5:
            for k in range(30):  # thirty consultations a weekday, at 14:00, in ten rooms
                pid = ids[(n + k) % people]
                classes.append(
                    PlannedClass(
                        id=f"c-{day}-{k}", kind=ActivityKind.CONSULTATION, title="Konsultacja",
                        place=f"Pokój {k % 10}", staff_id=f"t{k % 10}", participant_id=pid,
                        starts_at=time(14 + k // 10), hours=Decimal(1), on=day,
                    )
                )  # fmt: skip
            n += 30
        day += timedelta(days=1)
    people_in = [PersonInCentre(participant_id=pid, in_centre_from=first) for pid in ids]
    return classes, members, people_in


async def seed_attendance(
    services: Services, people: int, year: int, month: int
) -> tuple[uuid.UUID, int]:
    """A unit with `people` participants in one group, a weekday class, and a list for every
    weekday of the month (a tenth of the days corrected once): the unit and the marks written."""
    first, last = month_bounds(year, month)
    unit_id, user_id, group_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    pids = [uuid.uuid4() for _ in range(people)]
    async with unit_of_work(services.sessions) as session:
        session.add(Unit(id=unit_id, code=f"BENCH-{str(unit_id)[:8]}", name="CIS", kind="cis"))
        await session.flush()
        session.add(User(id=user_id, username=f"bench-{unit_id}", password_hash="-",
                         role="caseworker", unit_id=unit_id))  # fmt: skip
        await session.flush()
        await session.execute(insert(Participant), [
            {"id": pid, "unit_id": unit_id, "first_name": "Jan", "last_name": f"Nowak{n}",
             "birth_date": date(1980, 1, 1), "created_by": user_id}
            for n, pid in enumerate(pids)
        ])  # fmt: skip
        session.add(Group(id=group_id, unit_id=unit_id, name="Warsztat", kind="workshop"))
        await session.flush()
        class_ids = {}
        for weekday in range(5):
            class_ids[weekday] = uuid.uuid4()
            session.add(PlannedClassRow(
                id=class_ids[weekday], unit_id=unit_id, kind="workshop", title="Warsztat",
                place="Sala 1", group_id=group_id, starts_at=time(8), hours=Decimal(6),
                weekday=weekday, first_day=first, last_day=last, cancelled_days=[],
            ))  # fmt: skip
        await session.flush()
        rows = []
        day = first
        while day <= last:
            if day.weekday() < 5:
                for n, pid in enumerate(pids):
                    base = {"unit_id": unit_id, "class_id": class_ids[day.weekday()], "day": day,
                            "participant_id": pid, "recorded_by": user_id}  # fmt: skip
                    absent = (n + day.day) % 9 == 0
                    rows.append({**base, "id": uuid.uuid4(), "correction": 0,
                                 "mark": "absent" if absent else "present",
                                 "hours": None if absent else Decimal(6),
                                 "absence": "unexcused" if absent else None})  # fmt: skip
                    if absent and n % 10 == 0:
                        rows.append({**base, "id": uuid.uuid4(), "correction": 1,
                                     "mark": "absent", "hours": None, "absence": "excused"})
            day += timedelta(days=1)
        for start in range(0, len(rows), 2000):
            await session.execute(insert(ClassMark), rows[start : start + 2000])
    return unit_id, len(rows)
