"""Logging: a refused request (a 4xx: permission denied, not found, bad input) is one line, whoever logs it; Django
logs some of them with the exception that produced them, which would print a traceback for every 403."""
import logging


class RefusalsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            record.exc_info = record.exc_text = None
        return True
