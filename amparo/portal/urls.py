from django.urls import path

from amparo.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.ticket_new, name="ticket_new"),
    path("requests/sent/", views.ticket_submitted, name="ticket_submitted"),
    path("requests/<int:ticket_id>/", views.ticket_detail, name="ticket"),
    path("requests/<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("requests/<int:ticket_id>/status/", views.ticket_status, name="ticket_status"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/password/", views.sign_in_password, name="sign_in_password"),
    path("sign-in/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
    path("language/", views.language, name="language"),
]
