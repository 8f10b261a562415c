"""Demo content for `manage.py load_demo`: articles written from the inspection facts."""
