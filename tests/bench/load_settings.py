"""Production settings for load runs: the site's own, with the hello view routed and the
per-address limits off (every simulated reader comes from 127.0.0.1)."""

from config import settings as _site

for _name in dir(_site):
    if _name.isupper():
        globals()[_name] = getattr(_site, _name)

ROOT_URLCONF = "tests.bench.hello_urls"
COMMENTS_RATE_LIMIT = 0
SUBSCRIPTIONS_RATE_LIMIT_IP = 0
SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = 0
SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY = 1_000_000
COMMENTS_CLOSE_AFTER_DAYS = 0  # generated archives are old; let every article take comments
