from django.urls import path

from amparo.desk.views import queue, ticket

app_name = "desk"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("views/<int:view_id>/", queue.saved_view, name="saved_view"),
    path("views/save/", queue.saved_view_save, name="saved_view_save"),
    path("views/<int:view_id>/delete/", queue.saved_view_remove, name="saved_view_delete"),
    path("bulk/", queue.bulk, name="bulk"),
    path("tickets/<int:ticket_id>/", ticket.ticket_page, name="ticket"),
    path("tickets/<int:ticket_id>/timeline/", ticket.ticket_timeline, name="ticket_timeline"),
    path("tickets/<int:ticket_id>/properties/", ticket.ticket_props, name="ticket_props"),
    path("tickets/<int:ticket_id>/update/", ticket.ticket_update, name="ticket_update"),
    path("tickets/<int:ticket_id>/follow/", ticket.ticket_follow, name="ticket_follow"),
    path("tickets/<int:ticket_id>/reply/", ticket.ticket_reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/macro/", ticket.ticket_macro, name="ticket_macro"),
    path("tickets/<int:ticket_id>/merge/", ticket.ticket_merge, name="ticket_merge"),
]
