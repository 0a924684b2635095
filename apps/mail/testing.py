"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: the mail tests and the newsletter
benchmark send to it through Django's SMTP backend, exactly as to a production server."""
from __future__ import annotations

import logging
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, keep: str, pipelining: bool):
        self.keep, self.pipelining, self.lock = keep, pipelining, threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # aiosmtpd reads commands one by one, so it serves pipelined ones; advertising it tests that path (RFC 2920).
        session.host_name = hostname
        extra = ["250-PIPELINING"] if self.pipelining else []
        return responses[:-1] + extra + responses[-1:]  # before the final "250 HELP"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):  # a mailbox that does not exist, for the refusal tests
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            if self.keep != "nothing":  # a benchmark keeps the recipients only: its memory stays flat
                raw = (envelope.original_content or envelope.content) if self.keep == "all" else b""
                self.messages.append((list(envelope.rcpt_tos), raw))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """`with SmtpSink() as sink:` a server on 127.0.0.1:`sink.port`; `sink.parsed()` gives the mails received."""

    def __init__(self, *, keep: str = "all", port: int | None = None, pipelining: bool = False):
        self.handler = _Handler(keep, pipelining)
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, data_size_limit=None)

    def __enter__(self) -> SmtpSink:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def count(self) -> int:
        return self.handler.count

    def recipients(self) -> list[str]:
        return [to for recipients, _ in self.handler.messages for to in recipients]

    def parsed(self):
        return [(to, message_from_bytes(raw, policy=policy.default)) for to, raw in self.handler.messages]

    def settings(self) -> dict:
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": self.port, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10,
                "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}
