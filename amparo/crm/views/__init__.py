"""Agent pages for contacts and organizations (/contacts/, /organizations/)."""
