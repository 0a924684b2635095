"""Writes on network settings (one transaction each; rules raise -2 naming the field, or -6)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ValidationFailed
from apps.core.models import UNSET, assign, check_field_rules
from apps.fleet.commands import command_deliver, command_request
from apps.fleet.models import IotCommand, Vehicle
from apps.networks.models import Network

from .models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings, VehicleSettingsPush
from .selectors import settings_of
from .tasks import push_vehicle_settings


@transaction.atomic
def settings_update(
        *, network: Network, sponsoring_reward=UNSET, sponsored_reward=UNSET, default_low_speed=UNSET,
        default_medium_speed=UNSET, default_high_speed=UNSET, min_battery_to_slow_down=UNSET,
        battery_slow_down_speed=UNSET, first_purchase_required=UNSET, min_battery_to_rent=UNSET,
        max_simultaneous_rented_vehicle=UNSET, trip_on_hold=UNSET, credit_depletion_auto_lock=UNSET,
        min_battery_to_auto_lock=UNSET, trip_too_long_notifications=UNSET, trip_too_long_notifications_frequency=UNSET,
        vehicle_stolen=UNSET, trip_auto_pause=UNSET, trip_max_pause=UNSET, trip_auto_lock=UNSET,
        freefloat_to_station_discount_per_km=UNSET, freefloat_to_station_free_credits=UNSET,
        freefloat_to_receiver_station_free_credits=UNSET, freefloat_to_station_min_battery=UNSET,
        reservation_duration=UNSET, parking_required=UNSET, out_of_zone_fee=UNSET) -> NetworkSettings:
    """Change the given settings of the network (UNSET: unchanged), amounts rounded to its currency; the rules
    between settings are checked on the result."""
    given = dict(
        sponsoring_reward=sponsoring_reward, sponsored_reward=sponsored_reward,
        default_low_speed=default_low_speed, default_medium_speed=default_medium_speed,
        default_high_speed=default_high_speed, min_battery_to_slow_down=min_battery_to_slow_down,
        battery_slow_down_speed=battery_slow_down_speed,
        first_purchase_required=first_purchase_required, min_battery_to_rent=min_battery_to_rent,
        max_simultaneous_rented_vehicle=max_simultaneous_rented_vehicle, trip_on_hold=trip_on_hold,
        credit_depletion_auto_lock=credit_depletion_auto_lock,
        min_battery_to_auto_lock=min_battery_to_auto_lock,
        trip_too_long_notifications=trip_too_long_notifications,
        trip_too_long_notifications_frequency=trip_too_long_notifications_frequency,
        vehicle_stolen=vehicle_stolen, trip_auto_pause=trip_auto_pause, trip_max_pause=trip_max_pause,
        trip_auto_lock=trip_auto_lock,
        freefloat_to_station_discount_per_km=freefloat_to_station_discount_per_km,
        freefloat_to_station_free_credits=freefloat_to_station_free_credits,
        freefloat_to_receiver_station_free_credits=freefloat_to_receiver_station_free_credits,
        freefloat_to_station_min_battery=freefloat_to_station_min_battery,
        reservation_duration=reservation_duration, parking_required=parking_required, out_of_zone_fee=out_of_zone_fee)
    # The network row lock serializes writers, so the first write creates the row exactly once.
    network = Network.objects.select_for_update(of=("self",)).select_related("currency").get(pk=network.pk)
    settings = NetworkSettings.objects.get_or_create(network=network)[0]
    assign(settings, **{name: network.currency.quantize(value) if name in _AMOUNTS and value not in (None, UNSET)
                        else value for name, value in given.items()})
    check_field_rules(settings, [name for name, value in given.items() if value is not UNSET])
    _check(settings)
    settings.save()
    return settings


_AMOUNTS = {"sponsoring_reward", "sponsored_reward", "freefloat_to_station_free_credits",
            "freefloat_to_receiver_station_free_credits", "out_of_zone_fee"}


def _check(settings: NetworkSettings) -> None:
    if not settings.default_low_speed <= settings.default_medium_speed <= settings.default_high_speed:
        raise ValidationFailed.on("default_medium_speed", "Speeds must be ordered: low <= medium <= high.")
    if (settings.min_battery_to_slow_down is None) != (settings.battery_slow_down_speed is None):
        raise ValidationFailed.on("battery_slow_down_speed",
                                  "Give both min_battery_to_slow_down and battery_slow_down_speed, or neither.")
    if settings.battery_slow_down_speed is not None and settings.battery_slow_down_speed > settings.default_low_speed:
        raise ValidationFailed.on("battery_slow_down_speed", "Must not exceed default_low_speed.")
    if settings.trip_too_long_notifications >= settings.vehicle_stolen:
        raise ValidationFailed.on("vehicle_stolen", "Must be longer than trip_too_long_notifications: riders are "
                                                    "told to return the vehicle before it is declared stolen.")
    if settings.trip_auto_lock and settings.trip_too_long_notifications >= settings.trip_auto_lock:
        raise ValidationFailed.on("trip_auto_lock", "Must be longer than trip_too_long_notifications (or 0).")


@transaction.atomic
def rent_settings_update(*, network: Network, default_vehicle_guarantee, trip_to_skip_pre_auth_guarantee,
                         **settings) -> NetworkSettings:
    """The network's guarantee columns, then the rent `settings` (settings_update's named parameters)."""
    network = Network.objects.select_for_update(of=("self",)).select_related("currency").get(pk=network.pk)
    network.default_vehicle_guarantee = network.currency.quantize(default_vehicle_guarantee)
    network.trip_to_skip_pre_auth_guarantee = trip_to_skip_pre_auth_guarantee
    network.save(update_fields=["default_vehicle_guarantee", "trip_to_skip_pre_auth_guarantee", "updated_at"])
    return settings_update(network=network, **settings)


def access_rule_save(*, network: Network, rule: NetworkAccessRule | None = None, email_pattern=None,
                     organization=None, app_label=None) -> NetworkAccessRule:
    if email_pattern is None and organization is None and app_label is None:
        raise ValidationFailed.on("email_pattern", "Give an email pattern, an organization or an app label.")
    rule = rule or NetworkAccessRule(network=network)
    rule.email_pattern, rule.organization, rule.app_label = email_pattern, organization, app_label
    rule.save()
    return rule


def model_settings_set(*, network: Network, model, auto_light: bool, speed_mode) -> VehicleModelSettings:
    return VehicleModelSettings.objects.update_or_create(
        network=network, model=model, defaults={"auto_light": auto_light, "speed_mode": speed_mode})[0]


def model_guarantee_set(*, network: Network, model, guarantee, pre_auth) -> VehicleModelGuarantee:
    quantize = network.currency.quantize
    return VehicleModelGuarantee.objects.update_or_create(
        network=network, model=model, defaults={"guarantee": quantize(guarantee), "pre_auth": quantize(pre_auth)})[0]


@transaction.atomic
def vehicle_settings_push_request(*, network: Network, actor=None) -> VehicleSettingsPush:
    """Record the request; the task sends the settings to every vehicle once the transaction commits."""

    push = VehicleSettingsPush.objects.create(network=network, requested_by=actor)
    transaction.on_commit(lambda: push_vehicle_settings.delay(push.pk))
    return push


def vehicle_settings_payload(*, settings: NetworkSettings, model_settings: VehicleModelSettings | None) -> dict:
    return {
        "speeds": [settings.default_low_speed, settings.default_medium_speed, settings.default_high_speed],
        "min_battery_to_slow_down": settings.min_battery_to_slow_down,
        "battery_slow_down_speed": settings.battery_slow_down_speed,
        "auto_light": model_settings.auto_light if model_settings else False,
        "speed_mode": model_settings.speed_mode if model_settings else None,
    }


def vehicle_settings_push_run(*, push_id: int) -> int:
    """Send the settings to every vehicle in service of the network; safe to run again (idempotency keys)."""

    push = VehicleSettingsPush.objects.select_related("network").get(pk=push_id)
    settings = settings_of(network=push.network)
    per_model = {s.model_id: s for s in VehicleModelSettings.objects.filter(network=push.network)}
    count = 0
    for vehicle in Vehicle.objects.filter(network=push.network, decommissioned_at__isnull=True).iterator():
        command = command_request(vehicle=vehicle, command="apply_settings", source=IotCommand.Source.SYSTEM,
                                  payload=vehicle_settings_payload(settings=settings, model_settings=per_model.get(vehicle.model_id)),
                                  idempotency_key=f"settings-push-{push.pk}-{vehicle.pk}", deliver=False)
        command_deliver(command_id=command.pk)  # this task's retry resends only what is still pending
        count += 1
    VehicleSettingsPush.objects.filter(pk=push.pk).update(vehicle_count=count, completed_at=timezone.now())
    return count
