from apps.content.models import Language
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.models import ExternalLock, StationOutage
from apps.networks.tests.factories import make_network

from .factories import image_upload, make_alert, make_cluster, make_maintenance, make_station, make_vehicle


def _cluster_id():
    return {"id": make_cluster().pk}


def _with_picture():
    from apps.fleet.services import cluster_add_picture

    cluster = make_cluster()
    picture = cluster_add_picture(cluster=cluster, cluster_picture=image_upload())
    return Request(path_params={"id": cluster.pk}, query={"picture": picture.key})


def _description():
    Language.objects.get_or_create(iso_639_1="fr", defaults={"name": "Français"})
    return Request(path_params=_cluster_id(), body={"lang": "fr", "description": "Sous le pont, côté fleuve."})


def _list_clusters():
    return Request(query={"networks": str(make_station().cluster.network_id)})


def _search_clusters():
    cluster = make_cluster(name="Gare Part-Dieu")
    return Request(query={"networks": str(cluster.network_id), "name": "part"})


def _outages():
    station = make_station()
    StationOutage.objects.create(station=station, started_at="2026-02-01T10:00:00Z", reason="power")
    return Request(path_params={"id": station.cluster_id})


def _decommissioned():
    from apps.fleet.services import vehicle_decommission

    vehicle = make_vehicle()
    vehicle_decommission(vehicle=vehicle, reason="sold")
    return Request(query={"networks": str(vehicle.network_id)})


def _change_network():
    return Request(path_params={"id": make_vehicle().pk}, body={"network_id": make_network().pk})


def _locked_vehicle():
    vehicle = make_vehicle()
    ExternalLock.objects.create(vehicle=vehicle, model="Abus", type="u", serial_number=f"L{vehicle.pk}", code="1")
    return vehicle


def _networks_of(obj):
    return {"networks": str(obj.network_id)}


def _spot_maintenance():
    station = make_station(spots=1)
    make_maintenance(target=station.spots.get(), key="spot-check")
    return station.cluster_id


def _commanded_vehicle():
    from apps.fleet.commands import command_request

    vehicle = make_vehicle()
    command_request(vehicle=vehicle, command="ring", source="staff", deliver=False)
    return Request(query={"vehicle_id": vehicle.pk})


CASES = [
    OperationCase("listVehicleCommands", _commanded_vehicle),
    OperationCase("sendVehicleCommand", lambda: Request(path_params={"id": make_vehicle().pk}, body={"command": "ring"})),
    OperationCase("setVehicleMaxSpeed", lambda: Request(path_params={"id": make_vehicle().pk}, body={"max_speed": 20})),
    OperationCase("listClusters", _list_clusters),
    OperationCase("searchClusters", _search_clusters),
    OperationCase("getCluster", lambda: Request(path_params=_cluster_id(), query={"lang": "fr"})),
    OperationCase("decommissionCluster", lambda: Request(path_params={"id": make_station().cluster_id})),
    OperationCase("listClusterStations", lambda: Request(path_params={"id": make_station().cluster_id})),
    OperationCase("addClusterPicture", lambda: Request(path_params=_cluster_id(),
                                                       body={"cluster_picture": image_upload()})),
    OperationCase("deleteClusterPicture", _with_picture),
    OperationCase("setClusterCommissioningDate", lambda: Request(path_params=_cluster_id(),
                                                                 body={"date": "2026-03-01T08:00:00Z"})),
    OperationCase("updateClusterLocation", lambda: Request(path_params=_cluster_id(),
                                                           body={"location": "12 quai du Rhône"})),
    OperationCase("updateClusterSettings", lambda: Request(path_params=_cluster_id(),
                                                           body={"max_unlock_distance": 80, "comment": "Call Bob"})),
    OperationCase("updateClusterDescription", _description),
    OperationCase("listClusterStationOutages", _outages),
    OperationCase("decommissionStation", lambda: Request(path_params={"id": make_station().pk})),
    OperationCase("getStationEnergyConsumption", lambda: Request(
        path_params={"id": make_station().pk},
        query={"start_date": "2026-03-01", "end_date": "2026-03-31", "timezone": "Europe/Paris"})),
    OperationCase("listVehicles", lambda: Request(query={"networks": str(make_vehicle().network_id)})),
    OperationCase("listDecommissionedVehicles", _decommissioned),
    # Serial numbers are unique installation-wide: the answer is the same for any holder of the key.
    OperationCase("listUsedSerials", lambda: Request(query={"serials": make_vehicle().serial_number}), scoped=False),
    OperationCase("getVehicle", lambda: Request(path_params={"id": make_vehicle().pk})),
    OperationCase("decommissionVehicle", lambda: Request(path_params={"id": make_vehicle().pk},
                                                         query={"reason": "irreparable", "amount": "-35.5"})),
    OperationCase("changeVehicleNetwork", _change_network),
    OperationCase("registerExternalLock", lambda: Request(body={
        "vehicle_id": make_vehicle().pk, "model": "Abus", "type": "chain", "serial_number": "L-1", "code": "0000"})),
    OperationCase("decommissionExternalLock", lambda: Request(path_params={"id": _locked_vehicle().pk})),
    OperationCase("listFleetAlerts", lambda: Request(query=_networks_of(make_alert()))),
    OperationCase("listFleetAlertsHistory", lambda: Request(query=_networks_of(make_alert(resolved=True)))),
    OperationCase("resolveFleetAlerts", lambda: Request(body={"alert_ids": [make_alert().pk, make_alert().pk]})),
    OperationCase("listVehicleAlerts", lambda: Request(path_params={"id": make_alert(vehicle=make_vehicle()).vehicle_id})),
    OperationCase("listCurrentMaintenances", lambda: Request(query={**_networks_of(make_maintenance()), "lang": "en"})),
    OperationCase("listVehicleMaintenances", lambda: Request(path_params={"id": make_maintenance().vehicle_id},
                                                             query={"lang": "fr"})),
    OperationCase("listClusterMaintenances", lambda: Request(path_params={"id": _spot_maintenance()})),
    OperationCase("createMaintenanceType", lambda: Request(body={"key": "brake-pads", "target_type": "vehicle",
                                                                 "severity": "high"})),
    OperationCase("deleteMaintenanceType", lambda: Request(query={"key": make_maintenance().type.key})),
    # QR codes encode a given serial: no tenant data, any holder of the key gets the same image.
    OperationCase("generateVehicleQrCode", lambda: Request(query={"serial": "SXB1234"}), scoped=False,
                  binary="image/png"),
    OperationCase("getVehicleQrCode", lambda: Request(path_params={"id": make_vehicle().pk}), binary="image/png"),
    OperationCase("generateVehicleQrCodeSheet", lambda: Request(query={
        "prefix": "SXB", "begin_id": 100, "width_in_cm": 4, "height_in_cm": 5}), scoped=False,
        binary="application/pdf"),
    OperationCase("updateExternalLockCode", lambda: Request(path_params={"id": _locked_vehicle().pk},
                                                            body={"code": "4321"})),
]

globals().update(contract_tests(CASES))
