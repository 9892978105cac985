from django.contrib import admin
from django.urls import include, path

from amparo.accounts.views.auth import admin_login
from amparo.api.main import api
from amparo.backoffice.views.logo import logo_file
from amparo.core import views as core_views
from amparo.core.branding import branding_css

urlpatterns = [
    # The admin signs in through /account/login/ so two-factor and lockout apply there too.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("health", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("attachments/<int:attachment_id>/", core_views.attachment_download, name="attachment"),
    path("portal/", include("amparo.portal.urls")),
    path("desk/", include("amparo.desk.urls")),
    path("inbox/", include("amparo.inbox.urls")),
    path("branding.css", branding_css, name="branding_css"),
    path("account/", include("amparo.accounts.urls")),
    path("manage/", include("amparo.backoffice.urls")),
    path("media/branding/<str:name>", logo_file, name="branding_logo"),
    path("", include("amparo.crm.urls")),
    path("", core_views.home, name="home"),
]
