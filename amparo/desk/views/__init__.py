"""Desk pages: queue.py (queues, saved views, bulk actions), ticket.py (the ticket page)."""
