from django.urls import path

from amparo.backoffice.views import agents, branding, catalogue, index, teams

app_name = "backoffice"

urlpatterns = [
    path("", index.index, name="index"),
    path("agents/", agents.agent_list, name="agent_list"),
    path("agents/new/", agents.agent_new, name="agent_new"),
    path("agents/<int:agent_id>/", agents.agent_detail, name="agent_detail"),
    path("agents/<int:agent_id>/<slug:action>/", agents.agent_action, name="agent_action"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:team_id>/", teams.team_detail, name="team_detail"),
    path("teams/<int:team_id>/members/add/", teams.team_member_add, name="team_member_add"),
    path(
        "teams/<int:team_id>/members/remove/", teams.team_member_remove, name="team_member_remove"
    ),
    path("teams/<int:team_id>/members/lead/", teams.team_member_lead, name="team_member_lead"),
    path("macros/", catalogue.macro_list, name="macro_list"),
    path("macros/new/", catalogue.macro_edit, name="macro_new"),
    path("macros/<int:macro_id>/", catalogue.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", catalogue.macro_delete, name="macro_delete"),
    path("tags/", catalogue.tag_list, name="tag_list"),
    path("tags/<int:tag_id>/", catalogue.tag_edit, name="tag_edit"),
    path("tags/<int:tag_id>/delete/", catalogue.tag_delete, name="tag_delete"),
    path("fields/", catalogue.field_list, name="field_list"),
    path("fields/new/", catalogue.field_new, name="field_new"),
    path("fields/<int:field_id>/", catalogue.field_edit, name="field_edit"),
    path("fields/<int:field_id>/delete/", catalogue.field_delete, name="field_delete"),
    path("branding/", branding.branding, name="branding"),
]
