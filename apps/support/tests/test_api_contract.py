"""The contract and access matrix of the Reports operations."""
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.tests.factories import image_upload
from apps.networks.tests.factories import make_network
from apps.support.services import message_send

from .factories import make_report


def _report_path():
    return {"id": make_report().pk}


def _staff_message():
    report = make_report()
    sent = message_send(report=report, actor=None, message="We are on it.")
    return Request(path_params={"id": report.pk, "message_id": sent.pk})


def _linked():
    report = make_report()
    return Request(path_params={"id": report.pk}, body={"network_id": make_network().pk})


def _unlinked():
    report = make_report()
    second = make_network()
    report.networks.add(second)
    return Request(path_params={"id": report.pk, "network_id": second.pk})


CASES = [
    OperationCase("listReports", lambda: Request(query={"networks": str(make_report().networks.get().pk)})),
    OperationCase("getReport", lambda: Request(path_params=_report_path())),
    OperationCase("resolveReport", lambda: Request(path_params=_report_path())),
    OperationCase("listReportMessages", lambda: Request(path_params=_report_path())),
    OperationCase("sendReportMessage", lambda: Request(path_params=_report_path(),
                                                       body={"message": "Try the next spot.", "page": "help/unlock"})),
    OperationCase("editReportMessage", lambda: (lambda r: Request(path_params=r.path_params,
                                                                  body={"message": "Edited"}))(_staff_message())),
    OperationCase("deleteReportMessage", _staff_message),
    OperationCase("sendReportImage", lambda: Request(path_params=_report_path(), body={"chat_image": image_upload()})),
    OperationCase("linkReportNetwork", _linked),
    OperationCase("unlinkReportNetwork", _unlinked),
]

globals().update(contract_tests(CASES))
