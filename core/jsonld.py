import json

from django.utils.safestring import SafeString, mark_safe


def json_ld(data: dict | list) -> SafeString:
    """JSON for a <script type="application/ld+json"> block, safe against </script> breakouts."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
