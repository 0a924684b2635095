import itertools
from decimal import Decimal

from apps.fleet.models import Cluster, Spot, Station, Vehicle, VehicleModel
from apps.networks.tests.factories import make_network

_seq = itertools.count(1)


def make_cluster(*, network=None, **fields) -> Cluster:
    fields.setdefault("name", f"Cluster {next(_seq)}")
    fields.setdefault("latitude", Decimal("45.764043"))
    fields.setdefault("longitude", Decimal("4.835659"))
    return Cluster.objects.create(network=network or make_network(), **fields)


def make_station(*, cluster=None, spots=2, **fields) -> Station:
    fields.setdefault("name", f"Station {next(_seq)}")
    station = Station.objects.create(cluster=cluster or make_cluster(), **fields)
    Spot.objects.bulk_create(Spot(station=station, number=n) for n in range(1, spots + 1))
    return station


def make_vehicle(*, network=None, model_name="E-Bike V3", spot=None, **fields) -> Vehicle:
    fields.setdefault("serial_number", f"SN{next(_seq):06d}")
    model, _ = VehicleModel.objects.get_or_create(name=model_name)
    return Vehicle.objects.create(network=network or make_network(), model=model, spot=spot, **fields)


def image_upload(*, fmt="PNG", size=(16, 12), name=None, noise=False):
    """An in-memory image file as a multipart upload (random pixels with `noise`, so it does not compress)."""
    import io
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 40, 40))
    image.save(buffer, format=fmt)
    return SimpleUploadedFile(name or f"picture.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def make_alert(*, network=None, vehicle=None, resolved=False, **fields):
    from django.utils import timezone

    from apps.fleet.models import FleetAlert

    network = network or (vehicle.network if vehicle else make_network())
    fields.setdefault("alert_type", "vehicle-fallen")
    fields.setdefault("severity", "high")
    return FleetAlert.objects.create(network=network, vehicle=vehicle, resolved_at=timezone.now() if resolved else None,
                                     **fields)


def make_maintenance(*, target=None, key="flat-tyre", **fields):
    from apps.fleet.models import MaintenanceType
    from apps.fleet.services import maintenance_open

    target = target or make_vehicle()
    maintenance_type, _ = MaintenanceType.objects.get_or_create(
        key=key, defaults={"target_type": target._meta.model_name, "severity": "low"})
    return maintenance_open(maintenance_type=maintenance_type, target=target, **fields)
