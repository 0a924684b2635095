"""Writes on the physical fleet (HackSoft services: keyword-only, one transaction, rules raise -6)."""
from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.content.services import existing_language
from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.core.images import read_image, store_image
from apps.core.models import UNSET, assign

from .models import (
    Cluster,
    ClusterDescription,
    ClusterPicture,
    ExternalLock,
    FleetAlert,
    Maintenance,
    MaintenanceType,
    Station,
    Vehicle,
    VehicleDecommission,
)


def _locked(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().get(pk=cluster.pk)


def _require_in_service(cluster: Cluster) -> None:
    if cluster.decommissioned_at is not None:
        raise BusinessRuleViolation("cluster.decommissioned", "This cluster is decommissioned.")


@transaction.atomic
def cluster_decommission(*, cluster: Cluster) -> Cluster:
    """Take a cluster and its stations out of service; refused while vehicles are docked in it."""
    cluster = _locked(cluster)
    if cluster.decommissioned_at is not None:
        raise BusinessRuleViolation("cluster.already_decommissioned", "This cluster is already decommissioned.")
    docked = Vehicle.objects.filter(spot__station__cluster=cluster).count()
    if docked:
        raise BusinessRuleViolation(
            "cluster.vehicles_docked", f"{docked} vehicle(s) are docked in this cluster; move them first.")
    now = timezone.now()
    cluster.decommissioned_at = now
    cluster.save(update_fields=["decommissioned_at", "updated_at"])
    cluster.stations.filter(decommissioned_at__isnull=True).update(decommissioned_at=now, updated_at=now)
    return cluster


@transaction.atomic
def cluster_set_commissioning_date(*, cluster: Cluster, date) -> Cluster:
    cluster = _locked(cluster)
    _require_in_service(cluster)
    cluster.commissioned_at = date
    cluster.save(update_fields=["commissioned_at", "updated_at"])
    return cluster


@transaction.atomic
def cluster_update(*, cluster: Cluster, address=UNSET, max_unlock_distance=UNSET, comment=UNSET) -> Cluster:
    """Location (informative address), max unlock distance, internal comment: what is given."""
    cluster = _locked(cluster)
    values = {"address": address, "max_unlock_distance": max_unlock_distance, "comment": comment}
    assign(cluster, **values)
    cluster.save(update_fields=[name for name, value in values.items() if value is not UNSET] + ["updated_at"])
    return cluster


@transaction.atomic
def cluster_set_description(*, cluster: Cluster, lang: str, description: str | None) -> None:
    """The riders' description in `lang`; null removes it."""
    lang = existing_language(lang=lang)
    if description is None:
        ClusterDescription.objects.filter(cluster=cluster, lang=lang).delete()
        return
    ClusterDescription.objects.update_or_create(cluster=cluster, lang=lang, defaults={"text": description})


def cluster_add_picture(*, cluster: Cluster, cluster_picture) -> ClusterPicture:
    """Store a validated JPEG/PNG/WebP through Django's storage API, under a random key."""
    image = read_image(cluster_picture, "cluster_picture")
    return store_image(image, "clusterpictures", lambda key: ClusterPicture.objects.create(
        cluster=cluster, key=key, content_type=image.content_type, width=image.width, height=image.height))


@transaction.atomic
def cluster_delete_picture(*, cluster: Cluster, key: str) -> None:
    picture = ClusterPicture.objects.select_for_update().filter(cluster=cluster, key=key).first()
    if picture is None:
        raise NotFound(f"This cluster has no picture {key!r}.")
    picture.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: default_storage.delete(key))


@transaction.atomic
def station_decommission(*, station: Station) -> Station:
    """Take one station out of service; refused while vehicles are docked in its spots."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.decommissioned_at is not None:
        raise BusinessRuleViolation("station.already_decommissioned", "This station is already decommissioned.")
    docked = Vehicle.objects.filter(spot__station=station).count()
    if docked:
        raise BusinessRuleViolation(
            "station.vehicles_docked", f"{docked} vehicle(s) are docked in this station; move them first.")
    station.decommissioned_at = timezone.now()
    station.save(update_fields=["decommissioned_at", "updated_at"])
    return station


# --- vehicles -------------------------------------------------------------------------------------------
def _locked_vehicle(vehicle: Vehicle) -> Vehicle:
    # Lock the vehicle row only: FOR UPDATE over the join would also lock its network and currency rows and
    # serialize every vehicle write of the network (and of every network in that currency).
    return Vehicle.objects.select_for_update(of=("self",)).select_related("network__currency").get(pk=vehicle.pk)


def _require_active(vehicle: Vehicle) -> None:
    if vehicle.decommissioned_at is not None:
        raise BusinessRuleViolation("vehicle.decommissioned", "This vehicle is decommissioned.")


def _require_no_running_trip(vehicle: Vehicle, action: str) -> None:
    # at call time: trips imports fleet at load time (a cycle).
    from apps.trips.models import Trip, TripState

    if Trip.objects.filter(vehicle=vehicle, state__in=[TripState.RUNNING, TripState.ON_HOLD]).exists():
        raise BusinessRuleViolation("vehicle.trip_running", f"A trip is running on this vehicle; {action} after it.")


def lock_movable_vehicle(*, vehicle: Vehicle, action: str) -> Vehicle:
    """The vehicle's row locked (call inside a transaction), refused (-6) if decommissioned or on a trip: what any
    move of a vehicle (to a network, a stock...) first checks."""
    vehicle = _locked_vehicle(vehicle)
    _require_active(vehicle)
    _require_no_running_trip(vehicle, action)
    return vehicle


@transaction.atomic
def vehicle_decommission(*, vehicle: Vehicle, reason: str, comment: str | None = None, amount=None,
                         actor=None) -> VehicleDecommission:
    """Take a vehicle out of the fleet: undocked, kept for history, with the sale price or recycling cost
    rounded to the network currency's minor units."""
    vehicle = _locked_vehicle(vehicle)
    if vehicle.decommissioned_at is not None:
        raise BusinessRuleViolation("vehicle.already_decommissioned", "This vehicle is already decommissioned.")
    _require_no_running_trip(vehicle, "decommission it")
    currency = vehicle.network.currency
    vehicle.decommissioned_at = timezone.now()
    vehicle.spot = None
    vehicle.save(update_fields=["decommissioned_at", "spot", "updated_at"])
    vehicle.external_locks.filter(decommissioned_at__isnull=True).update(decommissioned_at=vehicle.decommissioned_at)
    return VehicleDecommission.objects.create(
        vehicle=vehicle, reason=reason, comment=comment or "", currency=currency, decommissioned_by=actor,
        amount=None if amount is None else currency.quantize(amount),
    )


@transaction.atomic
def vehicle_change_network(*, vehicle: Vehicle, network) -> Vehicle:
    """Move a vehicle to another network; it leaves its spot (spots belong to the old network's clusters)."""
    vehicle = lock_movable_vehicle(vehicle=vehicle, action="move it")
    if vehicle.network_id == network.pk:
        raise BusinessRuleViolation("vehicle.same_network", "The vehicle already belongs to this network.")
    vehicle.network = network
    vehicle.spot = None
    vehicle.save(update_fields=["network", "spot", "updated_at"])
    # What is still open about the vehicle follows it; closed history stays with the old network.
    vehicle.maintenances.filter(ended_at__isnull=True).update(network=network, updated_at=timezone.now())
    vehicle.alerts.filter(resolved_at__isnull=True).update(network=network, updated_at=timezone.now())
    return vehicle


# --- external locks -------------------------------------------------------------------------------------
@transaction.atomic
def external_lock_register(*, vehicle: Vehicle, model: str, type: str, serial_number: str, code: str) -> ExternalLock:
    vehicle = _locked_vehicle(vehicle)
    _require_active(vehicle)
    if vehicle.external_locks.filter(decommissioned_at__isnull=True).exists():
        raise BusinessRuleViolation("vehicle.has_external_lock",
                                    "This vehicle already has an external lock; decommission it first.")
    if ExternalLock.objects.filter(serial_number=serial_number).exists():
        raise BusinessRuleViolation("external_lock.serial_taken", f"A lock with serial {serial_number!r} exists.")
    return ExternalLock.objects.create(vehicle=vehicle, model=model, type=type, serial_number=serial_number,
                                       code=code)


def _active_lock(vehicle: Vehicle) -> ExternalLock:
    lock = vehicle.external_locks.select_for_update().filter(decommissioned_at__isnull=True).first()
    if lock is None:
        raise NotFound("This vehicle has no external lock.")
    return lock


@transaction.atomic
def external_lock_decommission(*, vehicle: Vehicle) -> None:
    lock = _active_lock(vehicle)
    lock.decommissioned_at = timezone.now()
    lock.save(update_fields=["decommissioned_at", "updated_at"])


@transaction.atomic
def external_lock_set_code(*, vehicle: Vehicle, code: str) -> None:
    lock = _active_lock(vehicle)
    lock.code = code
    lock.save(update_fields=["code", "updated_at"])


# --- fleet alerts ---------------------------------------------------------------------------------------
@transaction.atomic
def fleet_alerts_resolve(*, alerts: list[FleetAlert], actor) -> int:
    """Resolve the alerts not resolved yet (resolving twice changes nothing); returns how many changed."""
    ids = sorted(alert.pk for alert in alerts)
    pending = FleetAlert.objects.select_for_update().filter(pk__in=ids, resolved_at__isnull=True).order_by("pk")
    pending_ids = list(pending.values_list("pk", flat=True))  # locks taken in primary-key order
    now = timezone.now()
    return FleetAlert.objects.filter(pk__in=pending_ids).update(resolved_at=now, resolved_by=actor, updated_at=now)


# --- maintenances ---------------------------------------------------------------------------------------
@transaction.atomic
def maintenance_type_create(*, key: str, target_type: str, severity: str) -> MaintenanceType:
    if MaintenanceType.objects.filter(key=key).exists():
        raise BusinessRuleViolation("maintenance_type.key_taken",
                                    f"A maintenance type {key!r} exists (retired types keep their key).")
    return MaintenanceType.objects.create(key=key, target_type=target_type, severity=severity)


@transaction.atomic
def maintenance_type_delete(*, key: str) -> None:
    """Retire the type: existing maintenances keep it, new ones cannot use it."""
    retired = MaintenanceType.objects.filter(key=key, deleted_at__isnull=True).update(deleted_at=timezone.now())
    if not retired:
        raise NotFound(f"No maintenance type {key!r} in use.")


@transaction.atomic
def maintenance_open(*, maintenance_type: MaintenanceType, target, comment: str = "", actor=None) -> Maintenance:
    """Open a maintenance on a vehicle, spot or station, with a type made for that kind of target."""
    if maintenance_type.deleted_at is not None:
        raise BusinessRuleViolation("maintenance_type.deleted",
                                    f"The maintenance type {maintenance_type.key!r} is retired.")
    kind = target._meta.model_name
    if kind != maintenance_type.target_type:
        raise ValidationFailed.on(
            "type", f"{maintenance_type.key!r} applies to a {maintenance_type.target_type}, not a {kind}.")
    network_id = {"vehicle": lambda: target.network_id, "spot": lambda: target.station.cluster.network_id,
                  "station": lambda: target.cluster.network_id}[kind]()
    return Maintenance.objects.create(network_id=network_id, type=maintenance_type, comment=comment,
                                      opened_by=actor, started_at=timezone.now(), **{kind: target})


@transaction.atomic
def maintenances_close(*, maintenances: list[Maintenance]) -> int:
    """End the open ones of `maintenances` now (row locks; closing a closed one changes nothing): how many closed."""
    now = timezone.now()
    return (Maintenance.objects.select_for_update().filter(pk__in=[m.pk for m in maintenances], ended_at__isnull=True)
            .update(ended_at=now, updated_at=now))
