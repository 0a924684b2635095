from apps.networks.tests.factories import make_network
from apps.riders.tests.factories import make_member
from apps.support.services import report_open


def make_report(network=None, rider=None, **fields):
    network = network or make_network()
    rider = rider or make_member(network)
    fields.setdefault("subject", "The bike will not unlock")
    fields.setdefault("message", "I tried three times at the station.")
    return report_open(rider=rider, networks=[network], **fields)
