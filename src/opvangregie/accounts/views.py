"""The second-factor page: enrol an authenticator app, or confirm a one-time password."""

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from opvangregie.core.forms import StyledForm

from .second_factor import confirmed_device, enrolment_device


class TokenForm(StyledForm):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    confirmed = confirmed_device(user=user)
    enrolling = confirmed is None
    device = enrolment_device(user=user) if confirmed is None else confirmed
    form = TokenForm(request.POST or None)
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(target)
        form.add_error("token", _("This code is not right, or it has expired. Try the next one."))
    context = {"form": form, "enrolling": enrolling, "next": target}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["config_url"] = device.config_url
    return render(request, "registration/second_factor.html", context, status=200)
