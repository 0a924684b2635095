"""A newsletter sent for real to a loopback SMTP server: throughput and peak memory of the send job, and a worker
killed halfway then run again.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/newsletter.py

`send`: for each audience size (default 10,000 and 50,000 riders), a newsletter (HTML with a tracked link, an inline
image, the unsubscribe link) is sent by the job's runners (`--shards`, one process each, as Celery's worker
processes run them), to an aiosmtpd server in this process; prints the time, mails per second and the largest
runner's peak RSS. `kill`: a 20,000-rider newsletter whose runners are SIGKILLed once the server has about half the
mails, then run again; checks that every rider received exactly one.
"""
import argparse
import io
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

from bench.harness import network_with_members  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.content.models import Language  # noqa: E402
from apps.mail import newsletters, services  # noqa: E402
from apps.mail.models import Newsletter, NewsletterTemplate  # noqa: E402
from apps.mail.testing import SmtpSink  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.riders.models import RiderMessage  # noqa: E402

WORKER = "import django; django.setup(); from apps.mail.sending import run; print(run({}, shard={}, shards={}))"
HTML = """<html><body><h1>Hello {{ firstname }}</h1><p>Spring rides are 20% off this month.</p>
<img src="IMAGE" alt="logo"><p><a href="https://example.org/spring">See the offer</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>"""


def network_of(riders: int) -> Network:
    """A network with `riders` members (made once per size)."""
    name = f"Mail Town {riders}"
    network = Network.objects.filter(name=name).first()
    if network:
        return network
    return network_with_members(name=name, label="mailbench", riders=riders, email_domain=f"{riders}.mail.bench")


def newsletter_for(network: Network) -> Newsletter:
    Language.objects.get_or_create(iso_639_1="en", defaults={"name": "English"})
    newsletter = newsletters.newsletter_create(name="Bench", type="network-status", transport="mails",
                                               target_type="network", target=network, actor=None)
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 200)).save(buffer, format="PNG")
    image = services.image_add(upload=SimpleUploadedFile("logo.png", buffer.getvalue()), newsletter=newsletter)
    from apps.mail.transport import image_url

    NewsletterTemplate.objects.create(newsletter=newsletter, lang="en", subject="News for {{ firstname }}",
                                      html=HTML.replace("IMAGE", image_url(image)))
    Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
    return newsletter


def workers(newsletter: Newsletter, sink: SmtpSink, shards: int) -> list[subprocess.Popen]:
    """The job's runners, one process per shard, as Celery's worker processes would run them."""
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "EMAIL_RATE_PER_SECOND": "0"}
    return [subprocess.Popen([sys.executable, "-c", WORKER.format(newsletter.pk, shard, shards)], env=env,
                             stdout=subprocess.PIPE, text=True) for shard in range(shards)]


def finish(processes) -> list[str]:
    return [process.communicate()[0].strip() for process in processes]


class PostfixSink:
    """Postfix's smtp-sink (C, PIPELINING) on loopback: a sink that is not itself the bottleneck. It keeps nothing;
    the mails counted are those the runners committed as sent (each one after the server took its DATA)."""

    def __init__(self):
        from apps.mail.testing import free_port

        self.port, self.newsletter = free_port(), None

    def __enter__(self):
        self.process = subprocess.Popen(["/usr/sbin/smtp-sink", "-u", "nobody", f"127.0.0.1:{self.port}", "256"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()

    @property
    def count(self) -> int:
        return RiderMessage.objects.filter(delivery__newsletter=self.newsletter, status="sent").count()


def send(sizes: list[int], shards: int, postfix: bool) -> None:
    for size in sizes:
        newsletter = newsletter_for(network_of(size))
        sink_kind = PostfixSink() if postfix else SmtpSink(keep="nothing")
        sink_kind.newsletter = newsletter
        with sink_kind as sink:
            started = time.perf_counter()
            said = finish(workers(newsletter, sink, shards))
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"{size:>7} riders, {shards} runner(s), {'smtp-sink' if postfix else 'aiosmtpd'}: {sink.count} mails in {elapsed:.1f} s = "
              f"{sink.count / elapsed:.0f} mails/s, largest runner peak RSS so far {peak / 1024:.0f} MiB "
              f"(runners said {said})")


def kill(size: int, shards: int) -> None:
    newsletter = newsletter_for(network_of(size))
    with SmtpSink(keep="recipients") as sink:
        processes = workers(newsletter, sink, shards)
        while sink.count < size // 2:
            time.sleep(0.01)
        for process in processes:
            process.send_signal(signal.SIGKILL)
            process.wait()
        at_kill = sink.count
        states = Counter(RiderMessage.objects.filter(delivery__newsletter=newsletter).values_list("status", flat=True))
        print(f"killed {shards} runner(s) with {at_kill} mails at the server; statuses then: {dict(states)}")
        said = finish(workers(newsletter, sink, shards))
        received = Counter(sink.recipients())
    riders = set(User.objects.filter(network_memberships__network=newsletter.targets.get().network)
                 .values_list("email", flat=True))
    twice = [email for email, n in received.items() if n > 1]
    missing = riders - set(received)
    print(f"rerun said {said}; {len(received)} riders received {sum(received.values())} mails: "
          f"{len(twice)} twice, {len(missing)} missing -> {'EXACTLY ONCE' if not twice and not missing else 'FAIL'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", choices=["send", "kill", "all"], default="all")
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--kill-size", type=int, default=20000)
    parser.add_argument("--shards", type=int, default=2, help="parallel runners (NEWSLETTER_SEND_SHARDS)")
    parser.add_argument("--postfix", action="store_true", help="send to Postfix's smtp-sink (apt install postfix) "
                                                               "instead of aiosmtpd, for throughput")
    args = parser.parse_args()
    if args.mode in ("send", "all"):
        send([int(s) for s in args.sizes.split(",")], args.shards, args.postfix)
    if args.mode in ("kill", "all"):
        kill(args.kill_size, args.shards)
