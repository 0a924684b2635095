"""Clusters through the HTTP API: availability counts, search, details, decommissioning, pictures, settings."""
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.content.models import Language
from apps.core.testing.responses import code
from apps.fleet.models import Cluster, ClusterPicture, Station
from apps.networks.tests.factories import make_network

from .factories import image_upload, make_cluster, make_station, make_vehicle

API = "/api/dashboard/v1/clusters"


@pytest.fixture
def network(db):
    return make_network()


def test_list_clusters_counts_stations_spots_and_docked_vehicles(admin_client, network, django_assert_max_num_queries):
    cluster = make_cluster(network=network, name="Gare")
    in_service, retired = make_station(cluster=cluster, spots=4), make_station(cluster=cluster, spots=3)
    retired.decommissioned_at = timezone.now()
    retired.save()
    for spot in in_service.spots.all()[:3]:
        make_vehicle(network=network, spot=spot)
    make_vehicle(network=network, spot=retired.spots.first())  # in a retired station: not available
    for n in range(10):
        make_station(cluster=make_cluster(network=network, name=f"Other {n}"), spots=2)
    make_cluster(name="Elsewhere")  # another network

    with django_assert_max_num_queries(4):  # the list + the access log's savepoint, insert, release
        body = admin_client.get(API, {"networks": network.pk}).json()
    assert len(body["data"]) == 11
    gare = next(c for c in body["data"] if c["name"] == "Gare")
    assert (gare["station_count"], gare["spot_count"], gare["docked_vehicle_count"], gare["free_spot_count"]) == (
        1, 4, 3, 1)


def test_search_clusters(admin_client, network):
    make_cluster(network=network, name="Part-Dieu Nord", badge_reader=True)
    make_cluster(network=network, name="Gare Part-Dieu")
    make_cluster(network=network, name="Bellecour")
    make_cluster(network=network, name="Part-Dieu retired", decommissioned_at=timezone.now())
    names = lambda **q: [c["name"] for c in admin_client.get(f"{API}/search", {"networks": network.pk, **q}).json()["data"]]  # noqa: E731
    assert names(name="part-dieu") == ["Part-Dieu Nord", "Gare Part-Dieu"]  # prefix matches first
    assert names(name="part", badge_reader="true") == ["Part-Dieu Nord"]
    assert names(name="nothing") == []


def test_cluster_details_in_a_language(admin_client, network):
    cluster = make_cluster(network=network, address="1 place Bellecour")
    Language.objects.create(iso_639_1="fr", name="Français")
    put = admin_client.put(f"{API}/{cluster.pk}/description", {"lang": "FR", "description": "Face au métro."},
                           format="json")
    assert code(put) == 0
    detail = admin_client.get(f"{API}/{cluster.pk}", {"lang": "fr"}).json()["data"]
    assert (detail["description"], detail["location"], detail["max_unlock_distance"]) == (
        "Face au métro.", "1 place Bellecour", 100)
    assert admin_client.get(f"{API}/{cluster.pk}", {"lang": "de"}).json()["data"]["description"] is None
    admin_client.put(f"{API}/{cluster.pk}/description", {"lang": "fr", "description": None}, format="json")
    assert admin_client.get(f"{API}/{cluster.pk}", {"lang": "fr"}).json()["data"]["description"] is None
    unknown = admin_client.put(f"{API}/{cluster.pk}/description", {"lang": "xx", "description": "?"}, format="json")
    assert code(unknown) == -2 and "lang" in unknown.json()["message"]["fields"]


def test_decommission_is_refused_while_vehicles_are_docked(admin_client, network):
    station = make_station(cluster=make_cluster(network=network), spots=2)
    vehicle = make_vehicle(network=network, spot=station.spots.first())
    url = f"{API}/{station.cluster_id}"
    refused = admin_client.delete(url).json()
    assert refused["message"]["key"] == "cluster.vehicles_docked"
    assert Cluster.objects.get().decommissioned_at is None

    vehicle.spot = None
    vehicle.save()
    assert code(admin_client.delete(url)) == 0
    assert Station.objects.get().decommissioned_at is not None
    assert admin_client.delete(url).json()["message"]["key"] == "cluster.already_decommissioned"
    date = admin_client.put(f"{url}/commissioning-date", {"date": "2026-05-01T00:00:00Z"}, format="json")
    assert date.json()["message"]["key"] == "cluster.decommissioned"


def test_pictures_are_validated_stored_and_deleted(admin_client, network, django_capture_on_commit_callbacks):
    cluster = make_cluster(network=network)
    url = f"{API}/{cluster.pk}/pictures"
    for bad in (SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png"),
                image_upload(fmt="GIF"),
                SimpleUploadedFile("cut.png", image_upload().read()[:60], content_type="image/png")):
        response = admin_client.post(url, {"cluster_picture": bad}, format="multipart")
        assert code(response) == -2 and "cluster_picture" in response.json()["message"]["fields"], bad.name
    assert not ClusterPicture.objects.exists()

    assert code(admin_client.post(url, {"cluster_picture": image_upload(fmt="JPEG", size=(40, 30))},
                                  format="multipart")) == 0
    picture = ClusterPicture.objects.get()
    path = os.path.join(settings.MEDIA_ROOT, picture.key)
    assert os.path.exists(path) and picture.key.endswith(".jpg") and (picture.width, picture.height) == (40, 30)
    shown = admin_client.get(f"{API}/{cluster.pk}", {"lang": "en"}).json()["data"]["pictures"]
    assert [p["key"] for p in shown] == [picture.key]

    assert code(admin_client.delete(f"{url}?picture=clusterpictures/other.jpg")) == -5
    with django_capture_on_commit_callbacks(execute=True):
        assert code(admin_client.delete(f"{url}?picture={picture.key}")) == 0
    assert not ClusterPicture.objects.exists() and not os.path.exists(path)


def test_pictures_over_the_size_limit_are_refused(admin_client, network, settings):
    settings.CLUSTER_PICTURE_MAX_BYTES = 1024
    big = image_upload(fmt="PNG", size=(100, 100), noise=True)
    response = admin_client.post(f"{API}/{make_cluster(network=network).pk}/pictures", {"cluster_picture": big},
                                 format="multipart")
    assert code(response) == -2 and "KiB" in response.json()["message"]["fields"]["cluster_picture"][0]


def test_settings_and_location(admin_client, network):
    cluster = make_cluster(network=network)
    assert code(admin_client.put(f"{API}/{cluster.pk}/settings", {"max_unlock_distance": 250, "comment": "Gate code 1234"},
                                 format="json")) == 0
    assert code(admin_client.put(f"{API}/{cluster.pk}/location", {"location": "Rue de la République"},
                                 format="json")) == 0
    cluster.refresh_from_db()
    assert (cluster.max_unlock_distance, cluster.comment, cluster.address) == (250, "Gate code 1234",
                                                                              "Rue de la République")
