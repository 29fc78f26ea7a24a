"""Organisation names an attacker might put into an export, for the safety tests."""

from __future__ import annotations

import pandas as pd

from netcluster import build_network

#: Names that would execute script if a page ever treated them as HTML or JS.
HOSTILE_NAMES = [
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "</script><script>window.__pwned = 3</script>",
    "\" onmouseover=\"window.__pwned = 4",
    "javascript:window.__pwned = 5",
    "<svg onload=window.__pwned=6>",
    "{{ 7 * 7 }} ${window.__pwned = 8}",
    "=HYPERLINK(\"http://evil.example\")",
    "<!-- comment <style>body{display:none}</style>",
    "line\u2028separator\u2029 and & <b>bold</b>",
]


def hostile_network():
    """A network whose organisations carry hostile names, regions and cities."""
    n = len(HOSTILE_NAMES)
    orgs = pd.DataFrame(
        {
            "org": [f"h{i}" for i in range(n)] + ["<iframe src=//evil>"],
            "name": HOSTILE_NAMES + ["<iframe src=//evil>"],
            "country": ["NO", "DK"] * (n // 2) + ["SE"],
            "region": ["<b onclick=alert(1)>Vestland</b>"] * (n + 1),
            "city": ["<script>alert('city')</script>"] * (n + 1),
        }
    )
    pairs = pd.DataFrame(
        {
            "source": [f"h{i}" for i in range(n)],
            "target": [f"h{(i + 1) % n}" for i in range(n)],
        }
    )
    pairs.loc[len(pairs)] = ["h0", "<iframe src=//evil>"]
    return build_network(partnerships=pairs, organisations=orgs)
