"""The documents a pathway's steps make (issue 15): each belongs to the step that made it.

IPZS (art. 13), social contract (u.p.s. art. 108), the head's decision ending participation
(art. 13 ust. 4), the certificates of completing a CIS (art. 13 ust. 5a) and a KIS (art. 18
ust. 5a), and referrals (art. 12, art. 16). A document is named by its pathway and the `seq` of
its step; it is rendered afresh from the step's facts whenever it is asked for.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from domain.pathway import Event


class DocumentKind(StrEnum):
    """Kinds of a pathway's documents."""

    IPZS = "ipzs"
    SOCIAL_CONTRACT = "social_contract"
    TERMINATION_DECISION = "termination_decision"
    CIS_CERTIFICATE = "cis_certificate"
    KIS_CERTIFICATE = "kis_certificate"
    REFERRAL = "referral"


# The step that makes each kind of document.
MADE_BY: dict[str, DocumentKind] = {
    "sign_ipzs": DocumentKind.IPZS,
    "sign_social_contract": DocumentKind.SOCIAL_CONTRACT,
    "terminate": DocumentKind.TERMINATION_DECISION,
    "complete_cis": DocumentKind.CIS_CERTIFICATE,
    "complete_kis": DocumentKind.KIS_CERTIFICATE,
    "refer": DocumentKind.REFERRAL,
}

TITLES: dict[DocumentKind, str] = {
    DocumentKind.IPZS: "Indywidualny program zatrudnienia socjalnego",
    DocumentKind.SOCIAL_CONTRACT: "Kontrakt socjalny",
    DocumentKind.TERMINATION_DECISION: "Decyzja o zaprzestaniu realizacji programu",
    DocumentKind.CIS_CERTIFICATE: "Zaświadczenie o ukończeniu zajęć w CIS",
    DocumentKind.KIS_CERTIFICATE: "Zaświadczenie o ukończeniu zajęć w KIS",
    DocumentKind.REFERRAL: "Skierowanie",
}


class DocumentRef(BaseModel):
    """A document of the pathway: its kind, the step (seq) that made it, the step's date."""

    kind: DocumentKind
    seq: int
    occurred_on: date
    title: str


def documents_of(timeline: list[Event]) -> list[DocumentRef]:
    """Every document the pathway's steps made, in the timeline's order."""
    return [
        DocumentRef(
            kind=MADE_BY[e.type],
            seq=e.seq,
            occurred_on=e.occurred_on,
            title=TITLES[MADE_BY[e.type]],
        )
        for e in timeline
        if e.type in MADE_BY
    ]
