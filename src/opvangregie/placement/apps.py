from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "opvangregie.placement"
    verbose_name = _("Placement")

    def ready(self) -> None:
        from opvangregie.residents.selectors import SCOPE_EXTENSIONS

        from .selectors import proposed_to_q

        if proposed_to_q not in SCOPE_EXTENSIONS:
            SCOPE_EXTENSIONS.append(proposed_to_q)
