"""The production image's static step (the Dockerfile's `collectstatic` with WhiteNoise's compressed manifest storage)
runs in the suite: a vendored file naming a missing source map, or any other broken reference, fails here and not
in the image build."""
from django.core.management import call_command


def test_collectstatic_with_the_production_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest and "admin/css/base.css" in manifest
    assert list((tmp_path / "staticfiles" / "vendor" / "leaflet").glob("leaflet.*.js.gz"))
