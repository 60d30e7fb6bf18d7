"""Appointments were sessions: what running workflows and their histories carry still reads."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.appointments import Agenda, AppointmentReceipt, AppointmentRequest

_AT = "2026-12-03T10:00:00+00:00"
_HELD = {"id": "a-1", "starts_at": _AT, "kind": "workshop", "place": "sala 12"}


def test_an_agenda_saved_before_the_rename_reads_with_its_appointments() -> None:
    saved = {"sessions": [_HELD], "sessions_version": 3, "projected_sessions_version": 2}
    agenda = Agenda.model_validate(saved)
    assert [a.id for a in agenda.appointments] == ["a-1"]
    assert (agenda.appointments_version, agenda.projected_appointments_version) == (3, 2)
    # Written again (continue-as-new), it carries the new names, and reads back the same.
    written = agenda.model_dump(mode="json")
    assert "appointments" in written and "sessions" not in written
    assert Agenda.model_validate(written) == agenda


def test_an_update_of_an_old_history_reads_its_session_id_and_answer() -> None:
    request = AppointmentRequest.model_validate({"op": "cancel", "session_id": "a-1"})
    assert request.appointment_id == "a-1"
    receipt = AppointmentReceipt.model_validate({"session": _HELD})
    assert receipt.appointment.starts_at == datetime(2026, 12, 3, 10, tzinfo=UTC)
    assert AppointmentReceipt.model_validate({"appointment": _HELD}) == receipt
