from decimal import Decimal

from apps.fleet.models import VehicleModel

from .models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings


def seed(ctx):
    """Settings for every network, per-model settings and guarantees, and an employee-only rule on one network."""
    for index, network in enumerate(ctx.made["networks"].values()):
        if NetworkSettings.objects.filter(network=network).exists():
            continue
        NetworkSettings.objects.create(
            network=network, sponsoring_reward=Decimal("5"), sponsored_reward=Decimal("2"),
            min_battery_to_slow_down=15, battery_slow_down_speed=12, min_battery_to_auto_lock=5,
            trip_auto_pause=900, trip_max_pause=3600, trip_auto_lock=24 * 3600,
            freefloat_to_station_free_credits=Decimal("0.50"), freefloat_to_station_min_battery=60)
        for model in VehicleModel.objects.all():
            cargo = model.name.startswith("Cargo")
            VehicleModelSettings.objects.create(network=network, model=model, auto_light=True,
                                                speed_mode=VehicleModelSettings.SpeedMode.ECO if cargo else None)
            VehicleModelGuarantee.objects.create(network=network, model=model,
                                                 guarantee=Decimal("900" if cargo else "300"), pre_auth=Decimal("50"))
        if index == 0:
            NetworkAccessRule.objects.create(network=network, email_pattern="%@fleetadmin.demo")
    ctx.log(f"network settings: {NetworkSettings.objects.count()} networks configured")
