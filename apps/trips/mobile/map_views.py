"""The riders' app map: the app label's networks, their stations, their geofencing layers, and a price preview."""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from rest_framework import serializers

from apps.core.api.mobile import MobileError, MobileOperationView
from apps.fleet.models import Cluster, Maintenance, Spot, Vehicle
from apps.netconfig.models import NetworkSettings
from apps.networks.models import Network
from apps.networks.selectors import riders_network, riders_networks
from apps.organizations.services import organization_share
from apps.pricing.engine import Segment
from apps.pricing.services import quote_trip

from ..coverage import covered_amount, plan_coverage
from ..models import Reservation, Trip


def _settings(network):
    """The network's settings, joined by the query (select_related), or the defaults when none were saved."""

    try:
        return network.settings
    except ObjectDoesNotExist:
        return NetworkSettings(network=network)


def _border(network):
    try:
        return network.border
    except ObjectDoesNotExist:
        return None


class RiderNetworkOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Name = serializers.CharField(source="name")
    Currency = serializers.CharField(source="currency_id")
    Timezone = serializers.CharField(source="timezone")
    ReservationSeconds = serializers.SerializerMethodField(help_text="0: the network takes no reservations.")
    PauseAllowed = serializers.SerializerMethodField()
    ParkingRequired = serializers.SerializerMethodField()
    OutOfZoneFee = serializers.SerializerMethodField(help_text="Null: an end outside a parking is refused.")
    MinBatteryToRent = serializers.SerializerMethodField()
    Bounds = serializers.SerializerMethodField(help_text="South, West, North, East of the border; null without one.")

    def get_ReservationSeconds(self, network) -> int:
        return _settings(network).reservation_duration

    def get_PauseAllowed(self, network) -> bool:
        return _settings(network).trip_on_hold

    def get_ParkingRequired(self, network) -> bool:
        return _settings(network).parking_required

    def get_OutOfZoneFee(self, network) -> str | None:
        fee = _settings(network).out_of_zone_fee
        return None if fee is None or not _settings(network).parking_required else str(network.currency.quantize(fee))

    def get_MinBatteryToRent(self, network) -> int:
        return _settings(network).min_battery_to_rent

    def get_Bounds(self, network) -> dict | None:
        border = _border(network)
        if border is None:
            return None
        return {"South": border.min_latitude, "West": border.min_longitude, "North": border.max_latitude,
                "East": border.max_longitude}


class RiderNetworkView(MobileOperationView):
    def network(self) -> Network:
        return riders_network(rider=self.request.user, network_id=self.kwargs["id"],
                              queryset=riders_networks(rider=self.request.user).select_related("currency", "settings"))


class RiderNetworks(RiderNetworkView):
    operations = {"GET": "listRiderNetworks"}
    output_serializers = {"GET": RiderNetworkOut}

    def get(self, request):
        networks = riders_networks(rider=request.user).select_related("currency", "settings", "border").order_by("name", "id")
        return self.respond(RiderNetworkOut(networks, many=True).data)


class RiderStationOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Name = serializers.CharField(source="name")
    Address = serializers.CharField(source="address")
    Latitude = serializers.DecimalField(source="latitude", max_digits=9, decimal_places=6, coerce_to_string=False)
    Longitude = serializers.DecimalField(source="longitude", max_digits=9, decimal_places=6, coerce_to_string=False)
    VehiclesAvailable = serializers.IntegerField(source="vehicles_available")
    DocksAvailable = serializers.IntegerField(source="docks_available")


class NetworkStations(RiderNetworkView):
    operations = {"GET": "listNetworkStations"}
    output_serializers = {"GET": RiderStationOut}

    def get(self, request, id):
        network, now = self.network(), timezone.now()
        # The start's vehicle checks, for the docked vehicles (lifecycle.rentable_vehicles_near makes them for the
        # free-floating ones): in maintenance, or reserved by another rider, a vehicle is not available.
        maintained = Maintenance.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now), vehicle=OuterRef("pk"),
                                                started_at__lte=now)
        reserved = Reservation.objects.live(now).filter(vehicle=OuterRef("pk")).exclude(rider=request.user)
        available = dict(
            Vehicle.objects.filter(spot__station__cluster__network=network, decommissioned_at__isnull=True,
                                   spot__station__decommissioned_at__isnull=True)
            .exclude(Exists(maintained)).exclude(Exists(reserved))
            .values_list("spot__station__cluster_id").annotate(n=Count("pk")).order_by())
        free = dict(Spot.objects.filter(station__cluster__network=network, station__decommissioned_at__isnull=True,
                                        vehicle__isnull=True)
                    .values_list("station__cluster_id").annotate(n=Count("pk")).order_by())
        clusters = list(Cluster.objects.filter(network=network, decommissioned_at__isnull=True).order_by("name", "id"))
        for cluster in clusters:
            cluster.vehicles_available, cluster.docks_available = available.get(cluster.pk, 0), free.get(cluster.pk, 0)
        return self.respond(RiderStationOut(clusters, many=True).data)


class NetworkGeofencing(RiderNetworkView):
    operations = {"GET": "getNetworkGeofencing"}

    def get(self, request, id):
        # at call time: geofencing imports trips at load time (a cycle).
        from apps.geofencing.models import NetworkBorder, NoParkingZone, SpeedZone, VirtualParking

        network = self.network()
        border = NetworkBorder.objects.filter(network=network).first()
        rules = _settings(network)
        return self.respond({
            "Border": border.geojson() if border is not None else None,
            "Parkings": [{"Id": p.pk, "Capacity": p.capacity, "Geometry": p.geojson()}
                         for p in VirtualParking.objects.filter(network=network).order_by("id")],
            "NoParkingZones": [{"Id": z.pk, "Name": z.name, "Geometry": z.geojson()}
                               for z in NoParkingZone.objects.in_force().filter(network=network).order_by("id")],
            "SpeedZones": [{"Id": z.pk, "MaxSpeed": z.max_speed, "Geometry": z.geojson()}
                           for z in SpeedZone.objects.in_force().filter(network=network).order_by("id")],
            "ParkingRequired": rules.parking_required,
            "OutOfZoneFee": (str(network.currency.quantize(rules.out_of_zone_fee))
                             if rules.parking_required and rules.out_of_zone_fee is not None else None),
        })


class TripPricePreview(MobileOperationView):
    operations = {"GET": "previewTripPrice"}

    def get(self, request):
        vehicle = (Vehicle.objects.select_related("network__currency")
                   .filter(serial_number=self.query["VehicleCode"], network__app_label_id=request.user.app_label_id,
                           network__closed_at__isnull=True, decommissioned_at__isnull=True).first())
        if vehicle is None or request.user.app_label_id is None:
            raise MobileError("err_VehicleNotFound", "No vehicle has this code.", 404)
        network, currency, minutes = vehicle.network, vehicle.network.currency, self.query["Minutes"]
        now = timezone.now()
        ride = [Segment(kind="use", start=now, end=now + timedelta(minutes=minutes))]
        quote = quote_trip(network=network, segments=ride, freefloat_lock=vehicle.spot_id is None)
        total = currency.quantize(quote.total)
        # The ride as it would end: what his subscription and pass would cover (read, not used), then what his
        # organization would pay of the rest. Discounts and coupons are not known before the end.
        trip = Trip(network=network, rider=request.user, vehicle=vehicle, started_at=now, ended_at=ride[0].end,
                    duration=minutes * 60)
        coverage = plan_coverage(rider_id=request.user.pk, network_id=network.pk, started_at=now,
                                 duration=trip.duration)
        covered = min(currency.quantize(covered_amount(trip, ride, covered_seconds=coverage.seconds)), total)
        share = organization_share(trip=trip, charge=total - covered)
        return self.respond({
            "VehicleCode": vehicle.serial_number, "NetworkId": network.pk, "Minutes": minutes, "Currency": currency.pk,
            "Total": str(total),
            "Lines": [{"Kind": line.kind, "Minutes": line.minutes, "UnitPrice": str(line.unit_price),
                       "Amount": str(currency.quantize(line.amount))} for line in quote.lines],
            "CoveredMinutes": coverage.seconds // 60, "CoveredAmount": str(covered),
            "CoveredBy": ("subscription+pass" if coverage.by_subscription and coverage.by_pass else
                          "subscription" if coverage.by_subscription else "pass" if coverage.by_pass else None),
            "OrganizationAmount": str(share.amount), "AmountDue": str(total - covered - share.amount)})
