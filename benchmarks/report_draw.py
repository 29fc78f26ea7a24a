"""Time the report: writing it, and its first draw in headless Chromium, at 5,000 organisations and on CORDIS.

    python benchmarks/report_draw.py [--sizes 1000 5000] [--cordis DATA_DIR] [--seed 0]

For each size, synthetic records of that many organisations are generated
(``benchmarks/generate.py``), built, analysed and written as a report; the
page is then opened from ``file://`` in Debian's chromium through Playwright
and timed until vis-network's first ``afterDrawing`` (``window.netcluster.drawn``).
Up to 5,000 organisations every organisation is drawn; above, the aggregated
community view. Prints organisations, drawn nodes and edges, file size, write
time and draw time. The target is a first draw under 5 s at 5,000 organisations.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _draw_seconds(browser, path: Path) -> tuple[float, int, int]:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.netcluster && window.netcluster.drawn", timeout=300_000)
    seconds = time.perf_counter() - start
    nodes = page.evaluate("window.netcluster.nodes.length")
    edges = page.evaluate("window.netcluster.visibleEdges.length")
    page.close()
    return seconds, nodes, edges


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--cordis", type=Path, default=None, help="folder with the CORDIS files (optional)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import netcluster
    from generate import generate, write

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        cases = [(f"synthetic {n:,}", n) for n in args.sizes] + ([("CORDIS H2020", None)] if args.cordis else [])
        for label, size in cases:
            folder = Path(tmp) / label.replace(" ", "_").replace(",", "")
            folder.mkdir(parents=True, exist_ok=True)
            if size is None:
                network = netcluster.build_network(
                    partnerships=args.cordis / "cordis_h2020_participations.csv.gz",
                    organisations=args.cordis / "cordis_h2020_organisations_2017.csv.gz")
            else:
                organisations, participations = generate(size, seed=args.seed)
                files = write(organisations, participations, folder)
                network = netcluster.build_network(partnerships=files[0], organisations=files[1])
            result = netcluster.analyze(network, seed=args.seed)
            start = time.perf_counter()
            path = netcluster.write_report(result, folder / "report.html")
            written = time.perf_counter() - start
            seconds, nodes, edges = _draw_seconds(browser, path)
            rows.append((label, network.n_orgs, nodes, edges, path.stat().st_size / 1e6, written, seconds))
        browser.close()
    print(f"{'network':<20} {'organisations':>13} {'drawn nodes':>11} {'drawn edges':>11} {'MB':>6} "
          f"{'write s':>8} {'first draw s':>12}")
    for label, n, nodes, edges, mb, written, seconds in rows:
        print(f"{label:<20} {n:>13,} {nodes:>11,} {edges:>11,} {mb:>6.1f} {written:>8.1f} {seconds:>12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
