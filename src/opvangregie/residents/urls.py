from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.resident_search, name="search"),
    path("new/", views.household_create, name="create"),
    path("households/<uuid:uuid>/", views.household_detail, name="household"),
    path("households/<uuid:uuid>/move/", views.household_move, name="move"),
    path("households/<uuid:uuid>/departure/", views.household_departure, name="departure"),
    path("persons/<uuid:uuid>/bsn/", views.person_bsn, name="person_bsn"),
    path("locations/<uuid:uuid>/stays/", views.location_stays_export, name="location_stays"),
]
