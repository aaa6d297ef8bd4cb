from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("apart.core.urls")),
    path("", include("apart.metrics.urls")),
    path("", include("apart.registration.urls")),
    # The employer's space first: it serves /espace/ (the dashboard).
    path("", include("apart.space.urls")),
    path("", include("apart.establishments.urls")),
    path("", include("apart.dap.urls")),
    path("", include("apart.claims.urls")),
    path("", include("apart.accounts.urls")),
    path("proconnect/", include("apart.proconnect.urls")),
    path("", include("apart.mfa.urls")),
    path("", include("apart.notifications.urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apart.habilitations.urls")),
    path("gestion/admin/", admin.site.urls),
    path("gestion/autorisations/", include("apart.backoffice.dap_urls")),
    path("gestion/indemnisations/", include("apart.backoffice.claims_urls")),
    path("gestion/fraude/", include("apart.fraud.urls")),
    path("gestion/", include("apart.backoffice.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
