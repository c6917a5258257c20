"""Six heavy uploads at once, and an anonymous page meanwhile (issue: one visitor stalls the portal).

Runs gunicorn (2 sync workers, as production) on the demo kindergarten, signs in as six teachers
and posts a 60-megapixel PNG (a few hundred KB: one colour compresses well) to
/portfolio/entries/add/ from six threads at once, while a seventh asks /privacy/ (an anonymous
page, rendered) every 100 ms. Prints each upload's time and outcome and the anonymous page's
latencies. The pictures are decoded one at a time by all workers together (staff.images,
IMAGE_DECODE_*): the rest are refused after IMAGE_DECODE_WAIT_MS, so the anonymous page
keeps a worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench_uploads python benchmarks/upload_benchmark.py
"""

import http.cookiejar
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ.setdefault("SECRET_KEY", "upload-benchmark-only-" + "x" * 40)
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "localhost,127.0.0.1"
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="upload-benchmark-static-"))

from common import build_demo, django_on_postgres  # noqa: E402

PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
UPLOADS = 6
SIDE = 7745  # 7745² ≈ 60 megapixels, the largest picture MAX_IMAGE_PIXELS admits
PASSWORD = "upload-benchmark-2026"


def heavy_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (240, 240, 235)).save(out, format="PNG")
    return out.getvalue()


def teachers():
    """Six teachers of the demo who can sign in with PASSWORD."""
    from django.contrib.auth.models import User

    from staff.models import Employee

    # The demo's three teachers with accounts, and accounts for as many more as it takes.
    for employee in Employee.objects.filter(user__isnull=True, dismissal_date__isnull=True)[:UPLOADS]:
        employee.user = User.objects.create_user(f"upload-benchmark-{employee.pk}")
        employee.save(update_fields=["user"])
    users = list(User.objects.filter(employee__isnull=False, is_active=True).order_by("pk")[:UPLOADS])
    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return [user.username for user in users]


def signed_in_opener(username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(
        urllib.request.Request(f"{BASE}/accounts/login/", data.encode(), headers={"Referer": BASE}),
        timeout=60,
    ).read()
    return opener


def upload(opener, picture, results, index):
    page = opener.open(f"{BASE}/portfolio/entries/add/", timeout=120).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="scan{index}.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + picture
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{BASE}/portfolio/entries/add/",
        body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": BASE},
    )
    started = time.monotonic()
    answer = opener.open(request, timeout=300).read().decode()
    took = time.monotonic() - started
    if "Сейчас обрабатываются другие большие изображения" in answer or "Other large pictures" in answer:
        outcome = "refused: try again"
    else:
        outcome = "decoded"
    results[index] = (took, outcome)


def anonymous_pages(stop, latencies):
    while not stop.is_set():
        started = time.monotonic()
        urllib.request.urlopen(f"{BASE}/privacy/", timeout=120).read()
        latencies.append(time.monotonic() - started)
        time.sleep(0.1)


def main():
    django_on_postgres()
    from staff.models import Employee

    # The demo, built again if its staff records lack their kindergarten (built before the portal
    # had many): a teacher reads only her kindergarten's rows.
    if not Employee.objects.exists() or Employee.objects.filter(organization__isnull=True).exists():
        build_demo()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    names = teachers()
    picture = heavy_png()
    print(f"picture: {SIDE} × {SIDE} PNG = {SIDE * SIDE / 1e6:.0f} MP in {len(picture) // 1024} KB")
    env = {**os.environ, "CACHE_TABLE": os.environ.get("CACHE_TABLE", "portal_cache")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--timeout",
            "300",
            "--bind",
            f"127.0.0.1:{PORT}",
        ]
        + ["kindergarten_portal.wsgi"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        time.sleep(3)
        openers = [signed_in_opener(name) for name in names]
        quiet = []
        for _n in range(10):
            started = time.monotonic()
            urllib.request.urlopen(f"{BASE}/privacy/", timeout=60).read()
            quiet.append(time.monotonic() - started)
        results, latencies, stop = {}, [], threading.Event()
        watcher = threading.Thread(target=anonymous_pages, args=(stop, latencies))
        watcher.start()
        threads = [
            threading.Thread(target=upload, args=(opener, picture, results, n))
            for n, opener in enumerate(openers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = time.monotonic() - started
        stop.set()
        watcher.join()
    finally:
        server.terminate()
        server.wait()
    print(f"\n{UPLOADS} uploads at once, all answered in {total:.1f} s")
    for index in sorted(results):
        took, outcome = results[index]
        print(f"  upload {index + 1}: {took:6.1f} s  {outcome}")
    ms = sorted(latency * 1000 for latency in latencies)
    print(f"\n/privacy/ alone: median {statistics.median(quiet) * 1000:.0f} ms")
    print(
        f"/privacy/ during the uploads: {len(ms)} requests, median {statistics.median(ms):.0f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.0f} ms, slowest {ms[-1]:.0f} ms "
        f"({'met' if ms[-1] < 1000 else 'NOT met'}: every answer under 1 s)"
    )


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    # A benchmark builds and reads every kindergarten's rows, as a city-wide command does; the
    # requests it makes run in their users' scopes.
    with scopes_disabled():
        main()
