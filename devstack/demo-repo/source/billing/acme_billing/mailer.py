"""Outgoing email through the mail provider's HTTP API (the same provider as the API's)."""

from __future__ import annotations

import json
import os
import urllib.request


def send_email(to: str, subject: str, text: str, tag: str, attachments: list[dict] | None = None) -> None:
    api_url = os.environ.get("MAIL_API_URL")
    if not api_url:
        # Development: print instead of sending.
        print(f"[mail] to={to} subject={subject!r}")
        return
    payload = {
        "from": os.environ.get("MAIL_FROM", "Acme Billing <billing@acme.example>"),
        "to": to,
        "subject": subject,
        "text": text,
        "tag": tag,
        "attachments": attachments or [],
    }
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}/v1/messages",
        data=json.dumps(payload).encode(),
        headers={
            "authorization": f"Bearer {os.environ['MAIL_API_KEY']}",
            "content-type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status >= 300:
            raise RuntimeError(f"mail provider answered {response.status}")
