from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("structure/", views.structure, name="structure"),
    path("municipalities/<str:cbs_code>/", views.municipality_detail, name="municipality"),
    path("bodies/<slug:code>/", views.body_detail, name="body"),
    path("<slug:code>/", views.organisation_detail, name="organisation"),
]
