"""Load benchmark: the archive under gunicorn, 16 concurrent clients per page type, on this machine.

    .venv/bin/python bench/load.py [--articles 10000] [--seconds 20] [--clients 16] [--workers 4]
                                   [--workdir /tmp/archive-load] [--reuse] [--seed 7]
                                   [--pages "new search,article"]

Builds a scratch archive in the work folder (its own SQLite database, search index, static files and
secret key, all through environment variables): `migrate`, `import_articles fixtures/` (the seed
coverage), then `--articles` generated articles (bench/search.py's Corpus) written through the real ingest
service with extraction, so company pages and the events table have events; then `rebuild_index` and
`collectstatic`. `--reuse` skips all that when the folder already holds an archive of that size.
Starts gunicorn (`newsroom.wsgi`) on a free 127.0.0.1 port, access log off, and for each page type
(article, list, search, company, events) runs the clients for `--seconds` (each at most `--max-requests`
requests), on URLs drawn from real slugs and queries. Prints requests, req/s, p50/p95/p99 latency, errors
(non-200 answers and exceptions) and what bounded the run: the CPU time gunicorn and the clients used.
Targets (issue 7): 0 errors, >= 300 req/s on article pages, >= 80 req/s on search, p99 < 500 ms.
A benchmark, not a test: nothing here fails a build. gunicorn is always stopped, also on Ctrl-C.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from search import Corpus  # noqa: E402 - bench/search.py, found through the path above

HOST = "127.0.0.1"  # never anything else: the benchmark must not leave the machine
# "search" repeats 400 queries (result pages are cached until the index changes); "new search" asks
# queries never asked before (two random title words each), so every one is computed.
PAGE_TYPES = ("article", "list", "search", "new search", "company", "events")
UNCACHED = {"new search"}
RATE_TARGETS = {"article": 300, "search": 80, "new search": 80}  # req/s
P99_TARGET_MS = 500
READY_FILE = "load-ready.json"
SAMPLE_URLS = 400


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles (besides the seeds)")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration per page type")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per page type")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (threads)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/archive-load"))
    parser.add_argument("--reuse", action="store_true", help="keep the archive already in --workdir")
    parser.add_argument("--seed", type=int, default=7, help="corpus and URL sampling seed")
    parser.add_argument(
        "--pages",
        default=",".join(PAGE_TYPES),
        help=f"page types to measure, comma-separated ({', '.join(PAGE_TYPES)})",
    )
    args = parser.parse_args(argv)
    args.pages = [page.strip() for page in args.pages.split(",") if page.strip()]
    unknown = sorted(set(args.pages) - set(PAGE_TYPES))
    if unknown:
        parser.error(f"unknown page types: {', '.join(unknown)}")
    return args


def scratch_environment(workdir: Path) -> dict:
    """Environment for every Django process of the run: nothing touches the repository's var/."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_VAR_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'archive.sqlite3'}",
        "SEARCH_INDEX_DIR": str(workdir / "search_index"),
        "DJANGO_SECRET_KEY": "load-benchmark-only-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_LOG_LEVEL": "WARNING",
        "SEARCH_INDEX_INLINE": "0",
    }


def manage(env: dict, *args: str) -> None:
    print(f"$ manage.py {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True)


def build_archive(args, env: dict) -> None:
    # Pages cached by an earlier run would answer "new search" queries of the same seed from the cache.
    shutil.rmtree(args.workdir / "cache", ignore_errors=True)
    marker = args.workdir / READY_FILE
    wanted = {"articles": args.articles, "seed": args.seed}
    if args.reuse and marker.is_file() and json.loads(marker.read_text()) == wanted:
        print(f"reusing the archive in {args.workdir}")
        return
    if args.reuse:
        print(
            f"--reuse: no archive of {args.articles} articles (seed {args.seed}) in {args.workdir}; building"
        )
    args.workdir.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    (args.workdir / "archive.sqlite3").unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "import_articles", "--no-progress", "fixtures/")
    generate_articles(args.articles, args.seed)
    manage(env, "rebuild_index")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    marker.write_text(json.dumps(wanted))


def generate_articles(count: int, seed: int) -> None:
    """Write the generated corpus through the ingest and extraction services, in this process."""
    import django

    django.setup()
    from django.db import connections

    from articles.services import article_extract, article_ingest
    from articles.services.extraction import Context

    context = Context.load()
    started = time.perf_counter()
    for done, item in enumerate(Corpus(count, seed), start=1):
        article, _, _ = article_ingest(
            body=item.body,
            title=item.title,
            url=f"https://bench.example/{seed}/{item.number}",
            publication=item.publication,
            published=item.published,
            precision="day",
        )
        article_extract(article, context=context)
        if done % 500 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            print(f"generated {done:,}/{count:,} articles, {rate:.0f} articles/s", flush=True)
    connections.close_all()


def sample_urls(env: dict, seed: int) -> dict[str, list[str]]:
    """Real URLs for each page type, read from the scratch database in a child process."""
    code = f"""
import django, json, random
django.setup()
from django.conf import settings
from articles.models import Article, Company, PurchaseEvent
rng = random.Random({seed})
slugs = list(Article.objects.values_list("slug", flat=True))
titles = list(Article.objects.values_list("title", flat=True)[:5000])
words = [w.strip(".,:;!?«»()") for t in titles for w in t.split()]
words = [w for w in words if len(w) >= 4 and w.isalpha()]
companies = [c.slug for c in Company.objects.filter(sales__isnull=False).distinct()]
companies += [c.slug for c in Company.objects.filter(purchases__isnull=False).distinct()]
pages = max(1, len(slugs) // settings.ARTICLES_PER_PAGE)
print(json.dumps({{
    "articles": rng.sample(slugs, min(len(slugs), {SAMPLE_URLS})),
    "words": rng.sample(words, min(len(words), {SAMPLE_URLS})),
    "companies": sorted(set(companies)),
    "pages": pages,
    "events": PurchaseEvent.objects.count(),
}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    rng = random.Random(seed)
    words, companies = data["words"] or ["Nvidia"], data["companies"] or ["nvidia"]
    queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(SAMPLE_URLS)]
    event_pages = max(1, data["events"] // 50)
    print(f"sampled URLs: {len(data['articles'])} articles, {len(companies)} companies with events, "
          f"{data['pages']:,} list pages, {data['events']:,} events")  # fmt: skip
    return {
        "article": [f"/articles/{slug}/" for slug in data["articles"]],
        "list": [f"/articles/?page={rng.randint(1, data['pages'])}" for _ in range(SAMPLE_URLS)],
        "search": [f"/recherche/?{urlencode({'q': query})}" for query in queries],
        "new search": [
            f"/recherche/?{urlencode({'q': pair})}" for pair in distinct_pairs(rng, words, 20_000)
        ],
        "company": [f"/entreprises/{slug}/" for slug in companies],
        "events": [f"/evenements/?page={rng.randint(1, min(event_pages, 20))}" for _ in range(50)]
        + [f"/evenements/?{urlencode({'entreprise': slug})}" for slug in companies[:50]],
    }


def distinct_pairs(rng: random.Random, words: list[str], count: int) -> list[str]:
    """Up to `count` different two-word queries, in random order."""
    pairs = {f"{first} {second}" for first in words for second in words if first != second}
    return rng.sample(sorted(pairs), min(count, len(pairs)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, workers: int, port: int, workdir: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "newsroom.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
        "--timeout", "60", "--error-logfile", str(workdir / "gunicorn-error.log"), "--log-level", "warning",
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches this script only, which then stops gunicorn in `finally`.
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)


def wait_until_up(server: subprocess.Popen, port: int, workdir: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (workdir / "gunicorn-error.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"gunicorn exited with status {server.returncode}:\n{log}")
        try:
            if first_status(port, ["/"]) == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(connection: http.client.HTTPConnection, url: str) -> tuple[int, bytes]:
    connection.request("GET", url, headers={"Host": HOST, "Accept-Language": "fr"})
    response = connection.getresponse()
    return response.status, response.read()


def first_status(port: int, urls: list[str]) -> int | None:
    if not urls:
        return None
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        return fetch(connection, urls[0])[0]
    finally:
        connection.close()


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


def client_loop(port: int, urls: list[str], stop_at: float, budget: list[int], tally: Tally, lock, seed: int):
    """One client: a persistent connection (re-opened when the server closes it), until time or budget."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies, errors, samples = [], 0, []
    while time.monotonic() < stop_at:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        url = rng.choice(urls)
        started = time.perf_counter()
        try:
            status, _ = fetch(connection, url)
        except (OSError, http.client.HTTPException) as error:
            status = f"{type(error).__name__}: {error}"
            connection.close()
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
            samples.append(f"{status} {url}")
    connection.close()
    with lock:
        tally.latencies += latencies
        tally.errors += errors
        tally.error_samples += samples[:3]


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of gunicorn's master and workers so far, from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_load(port: int, master_pid: int, urls: list[str], args, *, cached: bool) -> dict:
    warm = http.client.HTTPConnection(HOST, port, timeout=120)
    # Cached pages are measured as readers get them once someone has opened them since the last change:
    # each is visited once first. New searches get 20 warm-up requests that load templates and the index.
    for url in sorted(set(urls)) if cached else urls[:20]:
        fetch(warm, url)
    warm.close()
    tally, lock, budget = Tally(), threading.Lock(), [args.max_requests]
    cpu_before, client_before = server_cpu_seconds(master_pid), time.process_time()
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=client_loop,
            args=(port, urls, started + args.seconds, budget, tally, lock, args.seed + n),
            daemon=True,  # on Ctrl-C the script ends at once instead of waiting for the clients' deadline
        )
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "tally": tally,
        "elapsed": elapsed,
        "server_cpu": (server_cpu_seconds(master_pid) - cpu_before) / elapsed,
        "client_cpu": (time.process_time() - client_before) / elapsed,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def result_row(page: str, result: dict) -> list[str]:
    tally, elapsed = result["tally"], result["elapsed"]
    count = len(tally.latencies)
    rate, p99 = count / elapsed, percentile(tally.latencies, 0.99)
    target_rate = RATE_TARGETS.get(page)
    target = (f"≥ {target_rate} req/s, " if target_rate else "") + f"p99 < {P99_TARGET_MS} ms, 0 errors"
    met = tally.errors == 0 and p99 < P99_TARGET_MS and (not target_rate or rate >= target_rate)
    return [
        page, f"{count:,}", f"{rate:.0f}", f"{percentile(tally.latencies, 0.5):.0f}",
        f"{percentile(tally.latencies, 0.95):.0f}", f"{p99:.0f}", str(tally.errors),
        f"{result['server_cpu']:.2f}", f"{result['client_cpu']:.2f}", target, "✓" if met else "✗",
    ]  # fmt: skip


def print_table(rows: list[list[str]]) -> None:
    header = ["page", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "server CPU", "client CPU",
              "target", ""]  # fmt: skip
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv=None) -> None:
    args = parse_args(argv)
    env = scratch_environment(args.workdir.resolve())
    os.environ.update(env)  # the in-process generation uses the same scratch archive
    build_archive(args, env)
    urls = sample_urls(env, args.seed)
    port = free_port()
    load = os.getloadavg()
    print(f"\ngunicorn: {args.workers} workers on {HOST}:{port}; {args.clients} clients × {args.seconds:g} s "
          f"per page; {os.cpu_count()} CPUs, load average {load[0]:.1f} before the run")  # fmt: skip
    server = start_gunicorn(env, args.workers, port, args.workdir)
    rows = []
    try:
        wait_until_up(server, port, args.workdir)
        for page in args.pages:
            status = first_status(port, urls[page])
            if status != 200:
                # A page not shipped yet (or a corpus without companies) is reported, not measured.
                rows.append([page, "absent", *[""] * 8, f"GET {urls[page][:1]} → {status}", ""])
                continue
            result = run_load(port, server.pid, urls[page], args, cached=page not in UNCACHED)
            rows.append(result_row(page, result))
            print(f"{page}: done ({len(result['tally'].latencies):,} requests)", flush=True)
            for sample in result["tally"].error_samples[:5]:
                print(f"  error: {sample}")
    finally:
        stop_gunicorn(server)
    print(f"\narchive: {args.articles:,} generated articles + seeds, {args.workdir}")
    print("CPU columns: cores busy on average (gunicorn master + workers; this script's client threads).\n")
    print_table(rows)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted; gunicorn was stopped")
