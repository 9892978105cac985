"""The email channel: parsing, threading, loop and bounce handling, IMAP, SMTP, pipe, smtpd."""
