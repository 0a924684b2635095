"""Publishing terms of use to 50,000 riders, with the notification worker killed halfway and restarted.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/terms_notify.py

Seeds a network with `--riders` members (once), creates and publishes a new version of its terms (the PDFs are
rendered), then runs the notification job in a separate process and kills it with SIGKILL once about half the riders
are notified, runs the job again, and checks that every concerned rider was notified exactly once. Prints the
progress (sent / total) it saw and the times. E-mails go to Django's dummy backend.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

from bench.harness import network_with_members  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from apps.content.models import Language  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.terms import services  # noqa: E402
from apps.terms.models import TermsNotification, TermsOfUse  # noqa: E402

NETWORK = "Terms Town"
WORKER = "from apps.terms.tasks import notify_terms; import sys; notify_terms({})"


def seed(riders: int) -> Network:
    return network_with_members(name=NETWORK, label="termsbench", riders=riders, email_domain="terms.bench")


def sent(terms_id: int) -> int:
    return TermsOfUse.objects.values_list("notify_sent", flat=True).get(pk=terms_id)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--riders", type=int, default=50_000)
    args = parser.parse_args()
    network = Network.objects.filter(name=NETWORK).first() or seed(args.riders)
    Language.objects.get_or_create(iso_639_1="en", defaults={"name": "English"})
    terms = services.terms_create(target_type="network", target=network)
    services.content_upsert(terms=terms, lang="en", content="# Terms\n\nRide **safely**.", file_name="terms")
    started = time.perf_counter()
    from unittest.mock import patch

    with patch("django.db.transaction.on_commit"):  # the job is started by hand below, in another process
        services.terms_publish(terms=terms, actor=None)
    terms.refresh_from_db()
    print(f"published version {terms.version} in {time.perf_counter() - started:.1f} s; "
          f"progress {terms.notify_sent}/{terms.notify_total}")

    env = {**os.environ}
    started = time.perf_counter()
    worker = subprocess.Popen([sys.executable, "-c", "import django, os; django.setup(); " + WORKER.format(terms.pk)],
                              env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    seen = []
    while sent(terms.pk) < terms.notify_total // 2 and worker.poll() is None:
        seen.append(sent(terms.pk))
        time.sleep(0.2)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    killed_at = sent(terms.pk)
    print(f"worker killed (SIGKILL) after {time.perf_counter() - started:.1f} s at {killed_at}/{terms.notify_total}")
    started = time.perf_counter()
    from apps.terms.tasks import notify_terms

    notify_terms(terms.pk)
    terms.refresh_from_db()
    print(f"job restarted and finished in {time.perf_counter() - started:.1f} s: {terms.notify_sent}/{terms.notify_total}")
    counts = TermsNotification.objects.filter(terms=terms).values("rider").annotate(n=Count("id"))
    twice = counts.filter(n__gt=1).count()
    concerned = services.concerned_riders(terms=terms).count()
    print(f"riders notified: {counts.count()} of {concerned} concerned; notified twice: {twice}; "
          f"progress samples while running: {seen[:3]} ... {seen[-3:]}")
    assert counts.count() == concerned == terms.notify_sent and twice == 0


if __name__ == "__main__":
    main()
