"""The commissioner's market insights, under /insights/ in the "marketplace" namespace."""

from django.urls import path

from marketplace.insights import equity_views, supply_views, views
from marketplace.market_message_urls import urlpatterns as market_message_urlpatterns

urlpatterns = [
    path("insights/", views.overview, name="insights"),
    path("insights/prices/", views.prices, name="insights-prices"),
    path("insights/prices/<slug:table>.csv", views.prices_export, name="insights-prices-export"),
    path("insights/spend/", views.spend, name="insights-spend"),
    path("insights/spend/<slug:table>.csv", views.spend_export, name="insights-spend-export"),
    path("insights/quality/", views.quality, name="insights-quality"),
    path("insights/quality/<slug:table>.csv", views.quality_export, name="insights-quality-export"),
    path("insights/supply/", supply_views.supply, name="insights-supply"),
    path("insights/supply/map/", supply_views.supply_map, name="insights-supply-map"),
    path("insights/supply/<slug:table>.csv", supply_views.supply_export, name="insights-supply-export"),
    path("insights/equity/", equity_views.equity, name="insights-equity"),
    path("insights/equity/<slug:table>.csv", equity_views.equity_export, name="insights-equity-export"),
    path("insights/frameworks/", views.frameworks, name="insights-frameworks"),
    path("insights/frameworks/export.csv", views.frameworks_export, name="insights-frameworks-export"),
    path("insights/frameworks/<uuid:public_id>/", views.framework, name="insights-framework"),
    path(
        "insights/frameworks/<uuid:public_id>/<slug:table>.csv",
        views.framework_export,
        name="insights-framework-export",
    ),
]
# Messaging the providers of a category or framework lot is market management too (issue #14).
urlpatterns += market_message_urlpatterns
