from django.urls import path

from . import views

app_name = "placement"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("runs/<uuid:uuid>/", views.run_detail, name="run"),
    path("runs/<uuid:uuid>/send/", views.run_send, name="send"),
    path("runs/<uuid:uuid>/approve/", views.run_approve, name="approve"),
    path("runs/<uuid:uuid>/close/", views.run_close, name="close"),
    path("lines/<uuid:uuid>/", views.line_detail, name="line"),
]
