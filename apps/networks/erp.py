"""The ERP that owners of networks (third parties) are imported from.

fleetadmin talks to it through `ErpClient`; `LocalFileErpClient` reads a JSON or CSV export configured by
ERP_LOCAL_FILE (columns: erp_id, name, address, zipcode, city, country — ISO 3166 alpha-2). A real ERP plugs
in by adding a client and naming it in ERP_PROVIDER.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.exceptions import ApiError


@dataclass(frozen=True)
class ErpThirdParty:
    erp_id: int
    name: str
    address: str
    zipcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2


class ErpClient(Protocol):
    def list_third_parties(self) -> list[ErpThirdParty]: ...


class ErpUnavailable(ApiError):
    """The ERP could not be read: the request fails cleanly (503) and nothing is imported."""

    http_status, key, text = 503, "erp.unavailable", "The ERP is unavailable."


class LocalFileErpClient:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _records(self) -> list[dict]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ErpUnavailable(f"Cannot read the ERP export {self.path}: {exc}") from exc
        if self.path.suffix.lower() == ".csv":
            return list(csv.DictReader(text.splitlines()))
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ErpUnavailable(f"The ERP export {self.path} is not valid JSON: {exc}") from exc
        return data["third_parties"] if isinstance(data, dict) else data

    def list_third_parties(self) -> list[ErpThirdParty]:
        return [
            ErpThirdParty(
                erp_id=int(r["erp_id"]), name=r["name"], address=r["address"], zipcode=str(r["zipcode"]),
                city=r["city"], country=r["country"].upper(),
            )
            for r in self._records()
        ]


PROVIDERS = {"local": lambda: LocalFileErpClient(settings.ERP_LOCAL_FILE)}


def get_erp_client() -> ErpClient:
    provider = settings.ERP_PROVIDER
    if provider in PROVIDERS:
        return PROVIDERS[provider]()
    return import_string(provider)()
