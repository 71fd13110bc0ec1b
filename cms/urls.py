from django.urls import path

from cms import views

app_name = "cms"
urlpatterns = [path("", views.site_search, name="site-search")]
