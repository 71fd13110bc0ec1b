"""The find-support page: /search/."""

from django.urls import path

from marketplace.views.find_support import find_support

urlpatterns = [path("search/", find_support, name="find-support")]
