from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rates/", views.rates, name="rates"),
    path("costs/", views.costs, name="costs"),
    path("costs/submit/", views.cost_statement_submit, name="cost_statement_submit"),
    path("cost-statements/<uuid:uuid>/", views.cost_statement_detail, name="cost_statement_detail"),
    path("declarations/<uuid:uuid>/", views.declaration_detail, name="declaration_detail"),
    path("<str:code>/declaration/", views.declaration, name="declaration"),
    path("<str:code>/declaration/submit/", views.declaration_submit, name="declaration_submit"),
    path("<str:code>/allowances/", views.allowances, name="allowances"),
]
