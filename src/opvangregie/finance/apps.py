from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "opvangregie.finance"
    verbose_name = _("Finance")
    # Loads the finance sections of a region's reference data after the lower apps' sections
    # (called by ``capacity.reference.reference_load_all``, which may not import this app).
    reference_loader = "opvangregie.finance.reference.finance_reference_load"
