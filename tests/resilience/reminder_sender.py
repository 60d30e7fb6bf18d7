"""A process that sends one reminder through the real activity code, so that a test can kill it
in the middle of the send (run as `python -m tests.resilience.reminder_sender <json>`)."""

from __future__ import annotations

import asyncio
import json
import sys

from activities.channels import Channels, LogChannel, SmsApiChannel, SmtpChannel
from activities.notifications import LinkSettings, NotificationActivities, SendReminderInput
from db.session import create_engine, create_sessionmaker


async def send(config: dict[str, str]) -> None:
    """Send the reminder once, as a worker's activity would."""
    engine = create_engine(config["database_url"])
    channels = Channels(
        email=SmtpChannel(host="127.0.0.1", port=int(config["smtp_port"]), sender="p@c.pl"),
        sms=SmsApiChannel(
            token="t", sender="C", base_url=config["gateway"], duplicate_errors=frozenset({53})
        )
        if config.get("gateway")
        else LogChannel(),
    )
    links = LinkSettings("test-secret-key-long-enough-for-hs256", "https://x/api/v1", "p@c.pl")
    activities = NotificationActivities(create_sessionmaker(engine), channels, links)
    await activities.send_reminder(SendReminderInput.model_validate_json(config["job"]))
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(send(json.loads(sys.argv[1])))
