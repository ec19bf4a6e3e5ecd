from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("fengqiao.api.urls")),
    path("p/mediation/", include("fengqiao.mediation.public_urls")),
    path("p/participation/", include("fengqiao.participation.public_urls")),
    path("p/", include("fengqiao.portal.urls")),
    path("mediation/", include("fengqiao.mediation.urls")),
    path("analytics/", include("fengqiao.analytics.urls")),
    path("grid/", include("fengqiao.grid.urls")),
    path("participation/", include("fengqiao.participation.urls")),
    path("integrations/", include("fengqiao.workbench.integrations_urls")),
    path("open311/v2/", include("fengqiao.open311.urls")),
    path("security/", include("fengqiao.security.urls")),
    path("centers/", include("fengqiao.centers.urls")),
    path("", include("fengqiao.workbench.urls")),
]
if settings.FENGQIAO_BENCH:
    urlpatterns.insert(0, path("bench/", include("bench.urls")))
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
