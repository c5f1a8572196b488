"""gunicorn settings for Mutualis (read by `gunicorn --config deploy/gunicorn.conf.py`)."""

import multiprocessing
import os

wsgi_app = "mutualis.wsgi:application"
bind = os.environ.get("MUTUALIS_BIND", "127.0.0.1:8000")
# Two workers per core plus one, at most 9: requests wait on the database, not the CPU.
workers = int(os.environ.get("MUTUALIS_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("MUTUALIS_THREADS", "1"))
timeout = 60  # PDF and archive downloads are the slowest pages
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, jittered so they do not restart together
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("MUTUALIS_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The request id (X-Request-Id response header) ties each access line to the app's log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
