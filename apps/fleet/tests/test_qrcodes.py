"""QR codes decode back to the serial; the label sheet has the A4 page size and the label count of the layout."""
import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from rest_framework.test import APIClient

from apps.access.tests.factories import make_grant, make_unit
from apps.fleet import qrcodes
from apps.trips.tests.factories import make_rider

from .factories import make_vehicle

API = "/api/dashboard/v1/vehicles"


def decoded(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_png_and_svg_codes_of_a_serial(admin_client):
    png = admin_client.get(f"{API}/qr-code", {"serial": "SXB1234"})
    assert png["Content-Type"] == "image/png" and decoded(png.content) == ["SXB1234"]
    svg = admin_client.get(f"{API}/qr-code", {"serial": "SXB1234"}, HTTP_ACCEPT="image/svg+xml")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_code_of_a_vehicle_is_limited_to_who_may_register_vehicles(db):
    vehicle = make_vehicle(serial_number="ABC98765")
    rider = make_rider()
    client = APIClient()
    client.force_authenticate(rider)
    response = client.get(f"{API}/{vehicle.pk}/qr-code")
    assert (response.status_code, response.json()["code"]) == (404, -5)  # logged in is not enough to see it
    make_grant(rider, "vehicles.register", unit=make_unit(networks=[vehicle.network]))
    response = client.get(f"{API}/{vehicle.pk}/qr-code")
    assert decoded(response.content) == ["ABC98765"]


@pytest.mark.parametrize("width, height, columns, rows", [(4, 5, 4, 5), (6.3, 3.8, 3, 7), (19, 27.7, 1, 1)])
def test_sheet_has_a4_pages_and_the_layouts_label_count(admin_client, width, height, columns, rows):
    response = admin_client.get(f"{API}/qr-code-sheet", {"prefix": "SXB", "begin_id": 41, "width_in_cm": width,
                                                         "height_in_cm": height})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    points_per_cm = 72 / 2.54
    assert len(reader.pages) == 1
    assert (round(float(page.mediabox.width) / points_per_cm, 1), round(float(page.mediabox.height) / points_per_cm, 1)) == (21.0, 29.7)
    assert len(page.images) == columns * rows
    text = page.extract_text()
    assert "SXB041" in text and qrcodes.sheet_serial("SXB", 41 + columns * rows - 1) in text
    first_code = page.images[0].image
    buffer = io.BytesIO()
    first_code.save(buffer, format="PNG")
    assert decoded(buffer.getvalue()) == ["SXB041"]


def test_a_label_that_fits_nowhere_is_refused(admin_client):
    response = admin_client.get(f"{API}/qr-code-sheet", {"prefix": "SXB", "begin_id": 1, "width_in_cm": 25,
                                                         "height_in_cm": 3})
    assert response.json()["code"] == -2 and "width_in_cm" in response.json()["message"]["fields"]


def test_schema_shows_files_for_qr_operations(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    ok = schema["paths"]["/api/dashboard/v1/vehicles/qr-code"]["get"]["responses"]["200"]["content"]
    sheet = schema["paths"]["/api/dashboard/v1/vehicles/qr-code-sheet"]["get"]["responses"]["200"]["content"]
    assert set(ok) == {"image/png", "image/svg+xml"} and set(sheet) == {"application/pdf"}
