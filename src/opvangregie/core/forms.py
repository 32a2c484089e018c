"""Form helpers: NL Design System classes on every widget; services behind forms."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO date it expects."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledForm(forms.Form):
    """A form whose widgets carry the Utrecht component classes and error states."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), TEXTBOX
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}_error"


T = TypeVar("T")


def submit_result(request: HttpRequest, form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run ``action`` (a service call) for a valid POSTed form and return what it returns.

    A rule the service refuses becomes an error on the form, in the service's own words, so the
    page shows it where the person is working; the result is then ``None``, as it is for a GET or
    an invalid form. Use it for services that return what they made (a create, a freeze).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


def submit(request: HttpRequest, form: forms.Form, action: Callable[[], object]) -> bool:
    """Run ``action`` (a service call) for a valid POSTed form; return whether it succeeded."""

    def run() -> bool:
        action()
        return True

    return submit_result(request, form, run) is not None


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would swap it into the target)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
