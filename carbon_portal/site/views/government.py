"""/portal/government/: ratings, certified enterprises, exports and industry baselines, for
government users (their jurisdiction) and platform administrators (everything)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carbon_portal.accounts.models import Industry, Role
from carbon_portal.core.regions import region_edition

from certificates import exports, government
from certificates.baselines import set_industry_baseline
from carbon_portal.site.forms.certification import BaselineForm, GovernmentFilterForm
from certificates.models import IndustryBaseline
from certificates.policies import can_manage_baselines


def government_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_manage_baselines(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request) -> dict:
    """The filters of the query string; `invalid` when one is wrong (an unknown region code, one
    outside the user's jurisdiction, a year out of range): the page then says so with a 400."""
    form = GovernmentFilterForm(request.GET or None, user=request.user)
    invalid = form.is_bound and not form.is_valid()
    data = form.cleaned_data if form.is_bound and not invalid else {}
    years = government.years_available(request.user)
    year = data.get("year") or (years[0] if years else timezone.localdate().year - 1)
    industry = data.get("industry")
    return {"form": form, "invalid": invalid, "years": years, "year": year,
            "industry": industry.code if industry else "", "region": data.get("region") or "",
            "region_edition": region_edition()}


def _query(filters) -> dict:
    return {"industry": filters["industry"], "region": filters["region"]}


@government_only
def dashboard(request):
    filters = _filters(request)
    ratings = ({"groups": [], "total": government.Group("", "", "")} if filters["invalid"]
               else government.ratings(request.user, year=filters["year"], **_query(filters)))
    return render(request, "certificates/government/dashboard.html", {
        **filters, "ratings": ratings, "grades": government.GRADES, "query": request.GET.urlencode(),
    }, status=400 if filters["invalid"] else 200)


@government_only
def enterprises(request):
    filters = _filters(request)
    rows = [] if filters["invalid"] else government.enterprise_rows(request.user, year=filters["year"],
                                                                    **_query(filters))
    return render(request, "certificates/government/enterprises.html",
                  {**filters, "rows": rows, "query": request.GET.urlencode()},
                  status=400 if filters["invalid"] else 200)


@government_only
def export(request, file_format: str):
    filters = _filters(request)
    if filters["invalid"]:
        problems = [str(message) for messages_ in filters["form"].errors.values() for message in messages_]
        return HttpResponseBadRequest("\n".join(problems) + "\n", content_type="text/plain; charset=utf-8")
    rows = government.enterprise_rows(request.user, year=filters["year"], **_query(filters))
    name = f"carbon-ratings-{filters['year']}"
    if file_format == "csv":
        response = HttpResponse(exports.rows_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        ratings = government.ratings(request.user, year=filters["year"], **_query(filters))
        response = HttpResponse(exports.rows_xlsx(rows, ratings),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _authority(user):
    membership = user.memberships.filter(role=Role.GOVERNMENT).select_related("authority").first()
    return membership.authority if membership else None


def _industries_for(user):
    authority = _authority(user)
    if authority is not None and authority.industries.exists():
        return authority.industries.all()
    return Industry.objects.all()


@government_only
@require_http_methods(["GET", "POST"])
def baselines(request):
    industries = _industries_for(request.user)
    form = BaselineForm(request.POST or None, industries=industries)
    if request.method == "POST" and form.is_valid():
        try:
            set_industry_baseline(industry=form.cleaned_data["industry"], year=form.cleaned_data["year"],
                                  average_intensity=form.cleaned_data["average_intensity"],
                                  authority=_authority(request.user), set_by=request.user,
                                  source=form.cleaned_data["source"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The industry average is saved. Labels already issued keep theirs."))
            return redirect("government:baselines")
    rows = IndustryBaseline.objects.filter(industry__in=industries).select_related("industry", "authority")[:500]
    return render(request, "certificates/government/baselines.html", {"form": form, "baselines": rows})
