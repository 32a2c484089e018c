from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("preview/", views.report_preview, name="preview"),
    path("preview/download/<str:fmt>/", views.report_preview_download, name="preview_download"),
    path("issue/", views.report_issue_view, name="issue"),
    path("<uuid:uuid>/", views.report_detail, name="detail"),
    path("<uuid:uuid>/download/<str:fmt>/", views.report_download, name="download"),
]
