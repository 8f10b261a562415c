"""Bringing a WordPress site over: `wordpress_import` and the report it returns.

Two passes over the export. The first reads the whole file without writing (a truncated or
hostile file stops the run before anything is written) and keeps only an index: authors,
terms, attachments, and each post's address and dates (state.py). The second runs in one
transaction (run.py): authors, categories, tags and media first, then the plan of every new
address, then each post with its comments as the stream reaches it, then the redirects. A
failure rolls everything back, files included. Each step is a module of its own, a subclass
of the run's state.
"""

from wordpress.services.report import ImportFailed, ImportReport
from wordpress.services.run import wordpress_import

__all__ = ["ImportFailed", "ImportReport", "wordpress_import"]
