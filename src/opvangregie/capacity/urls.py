from django.urls import path

from . import views

app_name = "capacity"

urlpatterns = [
    path("", views.location_list, name="list"),
    path("new/", views.location_create, name="create"),
    path("targets/", views.targets, name="targets"),
    path("municipality/<str:cbs_code>/", views.municipality_panel, name="municipality_panel"),
    path("<uuid:uuid>/", views.location_detail, name="detail"),
    path("<uuid:uuid>/capacity/", views.capacity_change, name="capacity_change"),
    path("<uuid:uuid>/status/", views.status_change, name="status_change"),
]
