"""A large read model for the reports benchmark, generated inside PostgreSQL in a few seconds.

Participants spread over units, each with an open pathway (a fifth also with an older, closed
one), a few events each, open deadlines (some overdue), the reports' per-pathway rows and monthly
rows. Ids are md5-derived, so two runs make the same data; names come from short lists, so
name searches match a realistic share of a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from domain.stages import Stage

UNITS = 10
CASEWORKERS_PER_UNIT = 8
LAST_NAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Jan", "Maria", "Piotr", "Katarzyna", "Andrzej", "Małgorzata", "Krzysztof",
    "Agnieszka", "Tomasz", "Barbara", "Paweł", "Ewa", "Marcin", "Zofia", "Michał",
)  # fmt: skip
OPEN_STAGES = tuple(s.value for s in Stage if s is not Stage.CLOSED)
DEADLINE_KINDS = ("contract_review", "trial_end", "participation_end", "extension_decision",
                  "kis_six_months", "outcome_window")  # fmt: skip


@dataclass(frozen=True)
class Seeded:
    """What the measurements pick from."""

    unit_ids: list[str]
    unit_codes: list[str]
    caseworkers: list[str]  # of the first unit
    participants: int
    pathways: int


# Participant i is in unit 1 + i % UNITS; caseworker w in unit 1 + (w - 1) % UNITS: this picks
# one of the participant's own unit.
CASEWORKER_OF_PARTICIPANT = (
    f"1 + (i % {UNITS}) + {UNITS} * ((i / {UNITS}) % {CASEWORKERS_PER_UNIT})"
)


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _statements(count: int) -> list[str]:
    per_unit = count // UNITS
    uid = "md5('{}' || ({}))::uuid"
    return [
        f"""INSERT INTO units (id, code, name, kind, created_at)
            SELECT {uid.format("u", "u")}, 'BENCH-' || u, 'Unit ' || u,
                   CASE WHEN u % 2 = 0 THEN 'kis' ELSE 'cis' END, now()
            FROM generate_series(1, {UNITS}) u""",
        f"""INSERT INTO users (id, username, password_hash, role, unit_id, active, created_at)
            SELECT {uid.format("w", "w")}, 'bench-cw-' || w, 'x', 'caseworker',
                   {uid.format("u", f"1 + ((w - 1) % {UNITS})")}, true, now()
            FROM generate_series(1, {UNITS * CASEWORKERS_PER_UNIT}) w""",
        f"""INSERT INTO participants (id, unit_id, first_name, last_name, pesel, birth_date,
                   phone, email, consent_sms, consent_email, created_by, created_at)
            SELECT {uid.format("p", "i")}, {uid.format("u", f"1 + (i % {UNITS})")},
                   ({_array(FIRST_NAMES)})[1 + (i * 7) % {len(FIRST_NAMES)}],
                   ({_array(LAST_NAMES)})[1 + (i * 13) % {len(LAST_NAMES)}] || '-' || (i % 997),
                   lpad((50000000000 + i)::text, 11, '0'), date '1960-01-01' + (i % 15000),
                   '+48600' || lpad((i % 1000000)::text, 6, '0'), NULL, i % 3 = 0, false,
                   {uid.format("w", CASEWORKER_OF_PARTICIPANT)}, now()
            FROM generate_series(1, {per_unit * UNITS}) i""",
        # One open pathway each; every fifth participant also has an older, closed one.
        f"""INSERT INTO pathways (id, participant_id, unit_id, caseworker_id, programme,
                   started_on, stage, graduate, outcome, next_due_kind, next_due_on, last_seq,
                   created_at, updated_at, closed_at)
            SELECT {uid.format("o", "i")}, p.id, p.unit_id, p.created_by,
                   CASE WHEN i % 3 = 0 THEN 'kis' ELSE 'cis' END,
                   date '2024-01-01' + (i % 700),
                   ({_array(OPEN_STAGES)})[1 + i % {len(OPEN_STAGES)}],
                   false, NULL, ({_array(DEADLINE_KINDS)})[1 + i % {len(DEADLINE_KINDS)}],
                   date '2026-06-01' + (i % 400), 5, now() - interval '1 day', now(), NULL
            FROM generate_series(1, {per_unit * UNITS}) i
            JOIN participants p ON p.id = {uid.format("p", "i")}""",
        f"""INSERT INTO pathways (id, participant_id, unit_id, caseworker_id, programme,
                   started_on, stage, graduate, outcome, next_due_kind, next_due_on, last_seq,
                   created_at, updated_at, closed_at)
            SELECT {uid.format("c", "i")}, p.id, p.unit_id, p.created_by, 'kis',
                   date '2022-01-01' + (i % 500), 'closed', i % 2 = 0,
                   CASE WHEN i % 4 = 0 THEN 'employed' ELSE 'not_employed' END, NULL, NULL, 5,
                   now() - interval '800 days', now(), now() - interval '300 days'
            FROM generate_series(5, {per_unit * UNITS}, 5) i
            JOIN participants p ON p.id = {uid.format("p", "i")}""",
        """INSERT INTO pathway_events (pathway_id, seq, type, occurred_on, actor, recorded_at, data)
            SELECT pw.id, s, CASE s WHEN 1 THEN 'pathway_started' ELSE 'record_attendance' END,
                   pw.started_on + s, 'bench', now(), '{}'
            FROM pathways pw, generate_series(1, 5) s""",
        """INSERT INTO pathway_deadlines (pathway_id, kind, due_on, overdue)
            SELECT id, next_due_kind, next_due_on, next_due_on < date '2026-11-01'
            FROM pathways WHERE closed_at IS NULL""",
        """INSERT INTO pathway_deadlines (pathway_id, kind, due_on, overdue)
            SELECT id, 'complaint_window', next_due_on + 30, false
            FROM pathways WHERE closed_at IS NULL AND next_due_kind <> 'complaint_window'
              AND md5(id::text) < '4'""",
        """INSERT INTO pathway_report_rows (pathway_id, last_seq, kis_entered_on, cis_entered_on,
                   cis_admitted_on, trial_passed_on, extension_months, contract_fulfilled,
                   kis_completed_on, kis_graduate, cis_completed_on, job_started_on,
                   job_qualifying, exit_kind, exit_programme, exited_on, referred_to, outcome,
                   outcome_on, social_progress, attendance_days, absence_days, bonus_count,
                   bonus_total, projected_at)
            SELECT pw.id, 5,
                   CASE WHEN pw.programme = 'kis' THEN pw.started_on END,
                   CASE WHEN pw.programme = 'cis' THEN pw.started_on END,
                   CASE WHEN pw.programme = 'cis' THEN pw.started_on + 3 END,
                   CASE WHEN pw.programme = 'cis' THEN pw.started_on + 30 END, 0,
                   pw.graduate, CASE WHEN pw.closed_at IS NOT NULL THEN pw.started_on + 200 END,
                   pw.graduate, NULL, NULL, coalesce(pw.outcome = 'employed', false),
                   CASE WHEN pw.closed_at IS NOT NULL THEN 'completed' END,
                   CASE WHEN pw.closed_at IS NOT NULL THEN pw.programme END,
                   CASE WHEN pw.closed_at IS NOT NULL THEN pw.started_on + 200 END, NULL,
                   pw.outcome, CASE WHEN pw.closed_at IS NOT NULL THEN pw.started_on + 260 END,
                   md5(pw.id::text) < '8', 40, 3, 0, 0, now()
            FROM pathways pw""",
        """INSERT INTO pathway_months (pathway_id, month, programme, attendance_days,
                   attendance_hours, excused_days, sick_days, unexcused_days, days_off, psu_hours,
                   bonus_count, bonus_amount, benefit_amount, deductions_amount)
            SELECT pw.id, (date_trunc('month', pw.started_on) + make_interval(months => m))::date,
                   pw.programme, 18, 108, 1, 1, 1, 0, 0, 0, 0, 1400, 0
            FROM pathways pw, generate_series(0, 2) m""",
        "ANALYZE",
    ]


def seed(url: str, count: int) -> Seeded:
    """Fill the (migrated, empty) database with `count` participants and their read model."""
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in _statements(count):
            conn.execute(statement.encode())
        units = conn.execute("SELECT id::text, code FROM units ORDER BY code").fetchall()
        workers = conn.execute(
            "SELECT username FROM users WHERE unit_id = %s ORDER BY username", (units[0][0],)
        ).fetchall()
        participants = conn.execute("SELECT count(*) FROM participants").fetchone()
        pathways = conn.execute("SELECT count(*) FROM pathways").fetchone()
    assert participants is not None and pathways is not None
    return Seeded(
        unit_ids=[u[0] for u in units],
        unit_codes=[u[1] for u in units],
        caseworkers=[w[0] for w in workers],
        participants=int(participants[0]),
        pathways=int(pathways[0]),
    )
