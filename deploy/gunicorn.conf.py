"""gunicorn settings for Oversight: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Sync workers behind nginx (which buffers slow clients), recycled now and then so memory
stays flat. Every value can be set from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# nginx on this machine sets X-Forwarded-For/-Proto; trust only it.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
