from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from apps.core.api.routing import ordered
from apps.core.media import serve_media

from apps.access.api.urls import urlpatterns as access_urls
from apps.accounts.api.urls import urlpatterns as auth_urls
from apps.applabels.api.urls import urlpatterns as applabel_urls
from apps.audit.api.urls import urlpatterns as audit_urls
from apps.content.api.urls import urlpatterns as content_urls
from apps.commerce.api.urls import urlpatterns as commerce_urls
from apps.devtools.api.urls import urlpatterns as devtools_urls
from apps.discounts.api.urls import urlpatterns as discount_urls
from apps.faq.api.urls import urlpatterns as faq_urls
from apps.fleet.api.urls import urlpatterns as fleet_urls
from apps.geofencing.api.urls import urlpatterns as geofencing_urls
from apps.mail.api.urls import urlpatterns as mail_urls
from apps.mail.tracking import urlpatterns as mail_tracking_urls
from apps.opendata.mds_views import urlpatterns as mds_urls
from apps.opendata.views import urlpatterns as gbfs_urls
from apps.balancing.api.urls import urlpatterns as balancing_urls
from apps.netconfig.api.urls import urlpatterns as netconfig_urls
from apps.networks.api.urls import urlpatterns as network_urls
from apps.notifications.api.urls import urlpatterns as notification_urls
from apps.organizations.api.urls import urlpatterns as organization_urls
from apps.payments.api.urls import urlpatterns as payment_urls
from apps.pricing.api.urls import urlpatterns as pricing_urls
from apps.riders.api.urls import urlpatterns as rider_urls
from apps.stats.api.urls import urlpatterns as stats_urls
from apps.stocks.api.urls import urlpatterns as stock_urls
from apps.support.api.urls import urlpatterns as support_urls
from apps.terms.api.urls import urlpatterns as terms_urls
from apps.terms.views import urlpatterns as terms_document_urls
from apps.trips.api.urls import urlpatterns as trip_urls
from apps.telemetry.api.urls import gateway_urlpatterns as telemetry_gateway_urls, urlpatterns as telemetry_urls
from apps.riders.mobile.urls import urlpatterns as mobile_rider_urls
from apps.trips.mobile.urls import urlpatterns as mobile_trip_urls

dashboard_urls = ordered(
    auth_urls, audit_urls, access_urls, applabel_urls, network_urls, content_urls, fleet_urls, geofencing_urls,
    stock_urls, pricing_urls, netconfig_urls, notification_urls, balancing_urls, discount_urls,
    stats_urls, trip_urls, rider_urls, support_urls, devtools_urls, payment_urls, commerce_urls,
    organization_urls, faq_urls, terms_urls, mail_urls, telemetry_urls,
)

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/dashboard/v1/", include(dashboard_urls)),
    path("api/business-mobile/v1/", include(ordered(mobile_rider_urls, mobile_trip_urls))),
    # What the vehicles' IoT gateways report (apps.telemetry): messages, and answers to commands.
    path("api/telemetry/v1/", include(telemetry_gateway_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
    # Links in mails (open pixel, tracked clicks, unsubscribe): short, public, signed.
    *mail_tracking_urls,
    # Open data for cities and trip planners: the public GBFS 3.0 feed and the agencies' MDS 2.0 provider API.
    *gbfs_urls,
    *mds_urls,
    # The published terms' PDFs, at unguessable addresses riders are sent.
    *terms_document_urls,
]

# Uploaded files (cluster pictures, terms PDFs) outside production (SERVE_MEDIA: the demo runs without DEBUG); production
# serves them from its storage (or a CDN). Exports are never served here: only their owner downloads them.
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media)]

handler404 = "apps.core.api.handlers.not_found"
handler500 = "apps.core.api.handlers.server_error"
