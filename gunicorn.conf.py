"""gunicorn settings for production: `make serve` (or gunicorn -c gunicorn.conf.py "app:create_app()").

Each setting can be overridden from the environment: BIND, WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Workers are processes (one database connection pool each); threads serve requests that
# wait on the database or the disk while another computes.
workers = int(os.environ.get("WEB_WORKERS", str(multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
# Exports of large case files and imports stream for minutes; a stuck worker is restarted.
timeout = int(os.environ.get("WEB_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound -- spread out, so
# that the workers never restart together and leave no one to answer.
max_requests = 20000
max_requests_jitter = 10000
# Build the app in each worker, after the fork: no database connection crosses a fork.
preload_app = False
# The access log names the path without its query string (which can hold searched names).
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Behind a reverse proxy on the same host only.
forwarded_allow_ips = "127.0.0.1"
