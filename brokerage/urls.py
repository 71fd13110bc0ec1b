"""Budgets and support plans, under the "brokerage" namespace, mounted at /budgets/."""

from brokerage.urls_config import urlpatterns as config_urlpatterns
from brokerage.urls_people import urlpatterns as people_urlpatterns

app_name = "brokerage"

urlpatterns = [*config_urlpatterns, *people_urlpatterns]
