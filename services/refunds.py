"""The month's refund claims (the PUP's and the municipality's shares of the benefits paid, the
centre's own part) and the employers' refunds in supported employment, from the payroll."""

from __future__ import annotations

from datetime import UTC, datetime

from db import audit, payroll
from db.session import unit_of_work
from domain.calendar import local_date
from domain.payroll import month_last_day, month_name, parse_month
from domain.refunds import EmployerRefund, RefundClaim, employer_refund, refund_claim
from services.context import Caller, Services
from services.payroll import begun, compute, name_lines


async def month_claim(services: Services, caller: Caller, month: str) -> RefundClaim:
    """The refund claim of `month` for the caller's unit (as closed, or as it stands); audited."""
    first = begun(parse_month(month))
    today = local_date(datetime.now(UTC))
    async with unit_of_work(services.sessions) as session:
        found = await compute(session, caller.unit_id, first, today)
        await name_lines(session, found)
        agreements = await payroll.employer_agreements(
            session, caller.unit_id, month_last_day(first)
        )
        names = await payroll.names_of(session, [who for _, who, _ in agreements])
        employers: list[EmployerRefund] = []
        for pathway_id, who, on in agreements:
            refund = employer_refund(str(pathway_id), names.get(str(who)), on, first)
            if refund is not None:
                employers.append(refund)
        await audit.append(session, caller.actor, "payroll.refunds", [f"month:{month_name(first)}"])
    return refund_claim(found, employers)
