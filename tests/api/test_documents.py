"""A pathway's documents through the API on the real servers, read back from the PDF: the IPZS
with its review dates, the head's decision with its reasons and the complaint instruction, the
CIS and KIS certificates, the social contract, referrals; each names the centre and its basis."""

from __future__ import annotations

import io
from typing import Any

import httpx
from pypdf import PdfReader

from tests.support import Staff, eventually, person


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


async def _pathway(
    api: httpx.AsyncClient, staff: Staff, programme: str, start: str, steps: list[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    body = person(first_name="Żaneta", last_name="Łęcka-Ćwik")
    participant = (await api.post("/participants", json=body, headers=staff.caseworker)).json()
    answer = await api.post(
        f"/participants/{participant['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": programme, "start_date": start},
    )
    assert answer.status_code == 201, answer.text
    pathway: dict[str, Any] = answer.json()
    who = {"cw": staff.caseworker, "sv": staff.supervisor}
    for role, step in steps:
        done = await api.post(f"/pathways/{pathway['id']}/actions", json=step, headers=who[role])
        assert done.status_code == 200, (step, done.text)
    return pathway, {**body, "id": participant["id"]}


async def _documents(
    api: httpx.AsyncClient, staff: Staff, pathway: dict[str, Any], count: int
) -> dict[str, tuple[int, str]]:
    async def listed() -> list[dict[str, Any]] | None:
        answer = await api.get(f"/pathways/{pathway['id']}/documents", headers=staff.caseworker)
        assert answer.status_code == 200, answer.text
        found: list[dict[str, Any]] = answer.json()
        return found if len(found) == count else None

    texts: dict[str, tuple[int, str]] = {}
    for ref in await eventually(listed):
        pdf = await api.get(
            f"/pathways/{pathway['id']}/documents/{ref['seq']}", headers=staff.caseworker
        )
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        texts[ref["kind"]] = (ref["seq"], _text(pdf.content))
    return texts


async def test_cis_documents_read_back_with_names_dates_and_basis(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    ipzs = {"type": "sign_ipzs", "occurred_on": "2026-03-02", "summary": "Warsztaty stolarskie"}
    pathway, who = await _pathway(
        api,
        staff,
        "cis",
        "2026-03-02",
        [
            ("sv", ipzs),
            ("sv", {"type": "pass_trial", "occurred_on": "2026-03-27"}),
            ("cw", {"type": "record_attendance", "hours": 6, "kind": "workshop",
                    "occurred_on": "2026-03-30"}),
            ("cw", {"type": "record_attendance", "hours": "7.5", "kind": "workshop",
                    "occurred_on": "2026-03-31"}),
            ("cw", {"type": "record_attendance", "hours": 4, "occurred_on": "2026-04-01"}),
            ("sv", {"type": "complete_cis", "occurred_on": "2026-09-30"}),
        ],
    )  # fmt: skip
    texts = await _documents(api, staff, pathway, 2)
    name = f"{who['first_name']} {who['last_name']}"
    centre = f"Unit {staff.unit_code}"
    _, plan = texts["ipzs"]
    for expected in (centre, name, who["pesel"], "Indywidualny program zatrudnienia socjalnego",
                     "art. 12 i 13 ustawy z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym",
                     "Warsztaty stolarskie", "02.03.2026", "po okresie próbnym 02.04.2026",
                     "na zakończenie uczestnictwa 02.03.2027"):  # fmt: skip
        assert expected in plan, expected
    _, certificate = texts["cis_certificate"]
    for expected in (centre, name, "art. 13 ust. 5a", "od 02.03.2026 do 30.09.2026",
                     "warsztaty reintegracji zawodowej 13,50", "zajęcia grupowe 4,00",
                     "absolwenta CIS"):  # fmt: skip
        assert expected in certificate, (expected, certificate)
    # Supported employment after six months in the centre (art. 16): a referral.
    employed, _ = await _pathway(
        api,
        staff,
        "cis",
        "2026-01-05",
        [
            ("sv", {"type": "sign_ipzs", "occurred_on": "2026-01-05"}),
            ("sv", {"type": "pass_trial", "occurred_on": "2026-01-30"}),
            ("cw", {"type": "refer", "to": "supported_employment", "occurred_on": "2026-07-06"}),
        ],
    )
    _, referral = (await _documents(api, staff, employed, 2))["referral"]
    assert "Skierowanie do zatrudnienia wspieranego" in referral and "art. 16" in referral
    assert "06.07.2026" in referral and "wspólny wniosek" in referral
    audit = await api.get(
        "/audit", params={"action": "document.generate"}, headers=staff.supervisor
    )
    assert len(audit.json()["items"]) == 4


async def test_the_decision_states_its_reasons_and_the_complaint_instruction(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    reason = "Od 3 tygodni nie stawia się na zajęciach mimo wezwań."
    pathway, who = await _pathway(
        api,
        staff,
        "cis",
        "2026-05-04",
        [
            ("sv", {"type": "sign_ipzs", "occurred_on": "2026-05-04"}),
            ("sv", {"type": "pass_trial", "occurred_on": "2026-05-29"}),
            ("sv", {"type": "terminate", "ground": "abandonment", "reason": reason,
                    "occurred_on": "2026-07-15"}),
        ],
    )  # fmt: skip
    texts = await _documents(api, staff, pathway, 2)
    _, decision = texts["termination_decision"]
    for expected in ("Decyzja o zaprzestaniu realizacji", "art. 13 ust. 4 pkt 2",
                     "trwałe opuszczenie zajęć", reason, "15.07.2026",
                     "skarga do wojewódzkiego sądu administracyjnego", "w terminie 30 dni",
                     "doręczenia", f"{who['first_name']} {who['last_name']}"):  # fmt: skip
        assert expected in decision, expected
    outside = await api.get(
        f"/pathways/{pathway['id']}/documents/{texts['ipzs'][0]}", headers=staff.stranger
    )
    assert outside.status_code == 404
    not_a_document = await api.get(
        f"/pathways/{pathway['id']}/documents/{texts['ipzs'][0] + 1}", headers=staff.caseworker
    )
    assert not_a_document.status_code == 404


async def test_kis_contract_certificate_and_referral_to_cis(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway, who = await _pathway(
        api,
        staff,
        "kis",
        "2026-01-05",
        [
            ("cw", {"type": "record_diagnosis", "occurred_on": "2026-01-06"}),
            ("cw", {"type": "sign_social_contract", "occurred_on": "2026-01-07",
                    "review_on": "2026-03-31"}),
            ("cw", {"type": "record_attendance", "hours": 3, "occurred_on": "2026-02-10"}),
            ("cw", {"type": "review_contract", "occurred_on": "2026-03-31",
                    "next_review_on": "2026-06-30"}),
            ("cw", {"type": "mark_contract_fulfilled", "occurred_on": "2026-07-10"}),
            ("cw", {"type": "complete_kis", "occurred_on": "2026-07-10"}),
        ],
    )  # fmt: skip
    texts = await _documents(api, staff, pathway, 2)
    _, contract = texts["social_contract"]
    for expected in ("Kontrakt socjalny", "art. 108", "07.01.2026", "31.03.2026", "30.06.2026"):
        assert expected in contract, expected
    _, certificate = texts["kis_certificate"]
    for expected in ("art. 18 ust. 5a", "od 05.01.2026 do 10.07.2026", "zajęcia grupowe 3,00",
                     "spełnia warunki absolwenta KIS", who["last_name"]):  # fmt: skip
        assert expected in certificate, expected
    onwards, _ = await _pathway(
        api,
        staff,
        "kis",
        "2026-02-02",
        [
            ("cw", {"type": "record_diagnosis", "occurred_on": "2026-02-03"}),
            ("cw", {"type": "sign_social_contract", "occurred_on": "2026-02-04"}),
            ("cw", {"type": "refer", "to": "cis", "occurred_on": "2026-04-01"}),
        ],
    )
    _, referral = (await _documents(api, staff, onwards, 2))["referral"]
    assert "Skierowanie do Centrum Integracji Społecznej" in referral
    assert "art. 12 ust. 1" in referral
