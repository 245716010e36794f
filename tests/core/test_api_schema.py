"""Every API operation documents the errors any call may get, so a client (and the fuzz) meets no surprise."""

from drf_spectacular.generators import SchemaGenerator

from cylch.core.api_schema import COMMON_ERRORS


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]


def test_every_operation_documents_the_common_errors():
    missing = [
        (path, method, code)
        for path, method, op in _operations()
        for code in COMMON_ERRORS
        if code not in op["responses"]
    ]
    assert not missing


def test_a_rate_limit_says_when_to_call_again():
    assert all("Retry-After" in op["responses"]["429"]["headers"] for _path, _method, op in _operations())


def test_an_operation_keeps_its_own_description_of_an_error():
    [detail] = [op for path, method, op in _operations() if path == "/api/v1/concerns/{reference}" and method == "get"]
    assert "Not available to you" in detail["responses"]["403"]["description"]
