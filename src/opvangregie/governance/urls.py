from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/<uuid:uuid>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:uuid>/ical/", views.meeting_ical, name="meeting_ical"),
    path("meetings.ics", views.calendar, name="calendar"),
    path("documents/<uuid:uuid>/", views.document, name="document"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<uuid:uuid>/", views.agreement_detail, name="agreement"),
    path("dilemmas/", views.escalation_list, name="escalations"),
    path("dilemmas/<uuid:uuid>/", views.escalation_detail, name="escalation"),
    path("decisions/", views.decision_list, name="decisions"),
    path("prt-packs/", views.pack_list, name="packs"),
    path("prt-packs/<uuid:uuid>/", views.pack_detail, name="pack"),
    path("prt-packs/<uuid:uuid>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("notifications/", views.notification_preferences, name="notifications"),
]
