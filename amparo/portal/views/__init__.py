"""Portal pages: sign-in (auth.py), requests (tickets.py), the customer's account (account.py)."""

from amparo.portal.views.account import account, language
from amparo.portal.views.auth import sign_in, sign_in_link, sign_in_password, sign_in_sent, sign_out
from amparo.portal.views.tickets import (
    home,
    ticket_detail,
    ticket_new,
    ticket_reply,
    ticket_status,
    ticket_submitted,
)

__all__ = [
    "account",
    "home",
    "language",
    "sign_in",
    "sign_in_link",
    "sign_in_password",
    "sign_in_sent",
    "sign_out",
    "ticket_detail",
    "ticket_new",
    "ticket_reply",
    "ticket_status",
    "ticket_submitted",
]
