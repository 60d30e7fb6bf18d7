"""The month's refund claims: who refunds what the centre paid (domain.md §2.1, §2.6, §2.9).

The integration benefit is refunded from the Labour Fund via the PUP at the rulebook's share for
the month it is for (`refund_benefit_pup_pct`, [V]); what the PUP does not refund falls to the
municipality; the motivational bonus is the centre's own money unless the rulebook says the PUP
refunds part of it (`refund_bonus_pup_pct`, [V]). Each line is split to the grosz and its parts
add up to the line, so the claim reconciles with the payroll exactly. An employer in supported
employment is refunded by the tiers in force on the agreement's date (`sw_refund_tiers`, [V]),
at most that share of the month's unemployment benefit.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel

from domain.payroll import Payroll, parse_month
from domain.rulebook import rules_on, unemployment_benefit_on

GROSZ = Decimal("0.01")


class RefundLine(BaseModel):
    """One line of the payroll, split by who pays it back."""

    kind: str  # "statement" | "adjustment"
    pathway_id: str
    name: str | None
    for_month: str
    amount: Decimal
    pup: Decimal
    municipality: Decimal
    centre: Decimal


class RefundTotals(BaseModel):
    """The claim's sums."""

    pup: Decimal
    municipality: Decimal
    centre: Decimal
    total: Decimal


class EmployerRefund(BaseModel):
    """What the starosta may refund an employer in supported employment for the month."""

    pathway_id: str
    name: str | None
    agreement_on: date
    month_of_employment: int
    tier_pct: Decimal
    unemployment_benefit: Decimal
    max_refund: Decimal


class RefundClaim(BaseModel):
    """The month's statement of benefits paid, by funding body, and the employers' refunds."""

    unit_code: str
    month: str
    payroll_status: str
    benefit_pup_pct: Decimal
    bonus_pup_pct: Decimal
    lines: list[RefundLine]
    totals: RefundTotals
    payroll_total: Decimal
    reconciles: bool
    employers: list[EmployerRefund]
    basis: list[str]


def split(amount: Decimal, bonus: Decimal, for_month: str) -> tuple[Decimal, Decimal, Decimal]:
    """(PUP, municipality, centre) of a paid amount whose `bonus` part is the bonus."""
    rules = rules_on(parse_month(for_month))
    benefit = amount - bonus
    pup_benefit = _grosze(benefit * rules.refund_benefit_pup_pct / 100)
    pup_bonus = _grosze(bonus * rules.refund_bonus_pup_pct / 100)
    return pup_benefit + pup_bonus, benefit - pup_benefit, bonus - pup_bonus


def refund_claim(payroll: Payroll, employers: list[EmployerRefund]) -> RefundClaim:
    """The claim of the payroll's month: every statement and adjustment split by funding body."""
    lines: list[RefundLine] = []
    for line in payroll.lines:
        s = line.statement
        pup, municipality, centre = split(s.total, s.bonus, s.month)
        lines.append(
            RefundLine(
                kind="statement", pathway_id=line.pathway_id, name=line.name,
                for_month=s.month, amount=s.total, pup=pup, municipality=municipality,
                centre=centre,
            )
        )  # fmt: skip
    for a in payroll.adjustments:
        pup, municipality, centre = split(a.amount, a.bonus_change, a.for_month)
        lines.append(
            RefundLine(
                kind="adjustment", pathway_id=a.pathway_id, name=a.name, for_month=a.for_month,
                amount=a.amount, pup=pup, municipality=municipality, centre=centre,
            )
        )  # fmt: skip
    zero = Decimal("0.00")
    totals = RefundTotals(
        pup=sum((x.pup for x in lines), zero),
        municipality=sum((x.municipality for x in lines), zero),
        centre=sum((x.centre for x in lines), zero),
        total=sum((x.amount for x in lines), zero),
    )
    rules = rules_on(parse_month(payroll.month))
    return RefundClaim(
        unit_code=payroll.unit_code,
        month=payroll.month,
        payroll_status=payroll.status,
        benefit_pup_pct=rules.refund_benefit_pup_pct,
        bonus_pup_pct=rules.refund_bonus_pup_pct,
        lines=lines,
        totals=totals,
        payroll_total=payroll.totals.total,
        reconciles=totals.pup + totals.municipality + totals.centre == payroll.totals.total
        and totals.total == payroll.totals.total,
        employers=employers,
        basis=[
            "u.z.s. art. 15, 15a: integration benefit and motivational bonus",
            "u.z.s. art. 16: supported employment, refund to the employer",
            "shares marked [V] in the rulebook: not verified against the consolidated text",
        ],
    )


def tier_pct(tiers: str, month_of_employment: int) -> Decimal:
    """The refund's % for the n-th month of employment (0 outside every tier)."""
    for tier in tiers.split(","):
        span, pct = tier.split(":")
        low, high = (int(x) for x in span.split("-"))
        if low <= month_of_employment <= high:
            return Decimal(pct)
    return Decimal(0)


def employer_refund(
    pathway_id: str, name: str | None, agreement_on: date, first: date
) -> EmployerRefund | None:
    """The employer's refund for the month starting `first`, by the tiers of the agreement's
    day (the agreement's month is the first month of employment); None outside the tiers."""
    n = (first.year - agreement_on.year) * 12 + first.month - agreement_on.month + 1
    pct = tier_pct(rules_on(agreement_on).sw_refund_tiers, n)
    if n < 1 or pct == 0:
        return None
    base = unemployment_benefit_on(first)
    return EmployerRefund(
        pathway_id=pathway_id,
        name=name,
        agreement_on=agreement_on,
        month_of_employment=n,
        tier_pct=pct,
        unemployment_benefit=base,
        max_refund=_grosze(base * pct / 100),
    )


def _grosze(amount: Decimal) -> Decimal:
    return amount.quantize(GROSZ, rounding=ROUND_HALF_UP)
