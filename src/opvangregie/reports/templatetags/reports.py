from typing import Any

from django import template

from opvangregie.reports.render import show

register = template.Library()


@register.filter
def report_value(value: Any) -> str:
    """A report value as printed: a number in the active locale, "<5" and "x" as they are."""
    return show(value)
