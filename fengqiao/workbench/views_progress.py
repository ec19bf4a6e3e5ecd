"""进展报告: the lead unit's handler reports how a case in handling is going, from the case
page (red cases must, every N working days: see ``fengqiao.deadlines``).

GET shows the form (``?slot=1``: only the fragment the case page loads, empty for anyone who
may not report); POST reports and returns to the case page. Out of scope looks missing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fengqiao.cases.models import Case
from fengqiao.cases.selectors import visible_cases
from fengqiao.core.errors import DomainError
from fengqiao.deadlines.selectors import can_report_progress, report_clock
from fengqiao.deadlines.services import (
    PROGRESS_LABEL,
    PROGRESS_MAX,
    PROGRESS_REPORTED,
    report_progress,
)
from fengqiao.org.selectors import membership_of

TEMPLATE = "deadlines/progress_report.html"


class ProgressForm(forms.Form):
    # The texts come from the deadlines catalogue (no strings of its own here).
    text = forms.CharField(label=PROGRESS_LABEL, max_length=PROGRESS_MAX, widget=forms.Textarea)


def _case(request: HttpRequest, code: str) -> Case | None:
    membership = membership_of(request)
    return (
        visible_cases(request.user, membership_id=membership.id if membership else None)
        .select_related("lead_unit", "center")
        .filter(code=code.strip().upper()[:20])
        .first()
    )


@login_required
def progress_report(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    if case is None:
        return render(request, TEMPLATE, {"missing": True}, status=404)
    allowed = can_report_progress(request.user, case)
    form = ProgressForm(request.POST or None, prefix="progress")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report_progress(case=case, actor=request.user, text=form.cleaned_data["text"])
            except DomainError as exc:
                form.add_error("text", str(exc.message))
            else:
                messages.success(request, str(PROGRESS_REPORTED))
                return redirect(reverse("workbench:case", kwargs={"code": case.code}) + "#clocks")
        status = 400 if allowed else 403
    elif not allowed and not request.GET.get("slot"):
        status = 403
    context = {"case": case, "form": form, "allowed": allowed, "clock": report_clock(case)}
    if request.GET.get("slot") and request.method == "GET":
        return render(request, "deadlines/progress_report_form.html", context)
    return render(request, TEMPLATE, context, status=status)
