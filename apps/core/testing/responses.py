"""Reading the envelope in tests: the code, the fields a -2 names, the key of a -6."""


def code(response) -> int:
    return response.json()["code"]


def fields_of(response) -> dict:
    return response.json()["message"]["fields"]


def error_key(response) -> str:
    return response.json()["message"]["key"]
