"""Serve the people who use coopwatch: JSON API, analyst web page and weekly digest e-mails."""
