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
    "<a href=\"javascript:window.__pwned=9\">href</a>",
    "'; window.__pwned = 10; '\\",
    "back\\slash \\u003cscript\\u003e \\\" quote",
    "<details open ontoggle=window.__pwned=11>",
    "Long " + "<b>very</b> long name " * 400,
]


#: A country text that names no country: it reaches the page through the load report.
HOSTILE_COUNTRY = "<img src=x onerror=window.__pwned=16>"


def hostile_network():
    """A network whose organisations carry hostile names, ids, regions, cities, kinds and sectors.

    Norwegian and Danish organisations alternate around a ring; the last one
    is Swedish and tied only to the first (a single point of failure); one
    more Norwegian organisation has only a Norwegian partner (a member
    without a foreign partner), so every table of the report shows names;
    one more organisation has a hostile, unknown country text.
    """
    n = len(HOSTILE_NAMES)
    ids = [f"h{i}<b onclick=alert({i})>" for i in range(n)]
    orgs = pd.DataFrame(
        {
            "org": ids + ["<iframe src=//evil>", "lonely\"><script>window.__pwned=12</script>", "nowhere"],
            "name": HOSTILE_NAMES + ["<iframe src=//evil>", "<script>window.__pwned = 13</script> lonely",
                                     "Nowhere Ltd"],
            "country": ["NO", "DK"] * (n // 2) + ["NO"] * (n % 2) + ["SE", "NO", HOSTILE_COUNTRY],
            "region": ["<b onclick=alert(1)>Vestland</b>"] * (n + 3),
            "city": ["<script>alert('city')</script>"] * (n + 3),
            "kind": ["<img src=x onerror=window.__pwned=14>"] * (n + 3),
            "sector": ["\" onfocus=\"window.__pwned=15"] * (n + 3),
        }
    )
    pairs = pd.DataFrame({"source": ids, "target": ids[1:] + ids[:1]})
    pairs.loc[len(pairs)] = [ids[0], "<iframe src=//evil>"]
    pairs.loc[len(pairs)] = [ids[0], "lonely\"><script>window.__pwned=12</script>"]
    pairs.loc[len(pairs)] = [ids[1], "nowhere"]
    return build_network(partnerships=pairs, organisations=orgs)
