"""Request body parsers: JSON read with Decimal numbers and a bounded nesting depth."""
from decimal import Decimal

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# No operation takes more than a few levels (a shape is 3); 32 leaves room and keeps every later walk
# over the value (validation, error flattening, rendering) far from Python's recursion limit.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether `value` nests lists/objects deeper than `limit`, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class DecimalJSONParser(JSONParser):
    """JSON bodies with numbers read as Decimal, so amounts never pass through a float."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            value = json.loads(stream.read().decode(encoding), parse_float=Decimal)
        except RecursionError:
            # The C scanner gives up on very deep input (about 1,000 levels) with a RecursionError.
            raise ParseError(f"Malformed JSON body: nested deeper than {MAX_JSON_DEPTH} levels.") from None
        except ValueError as exc:
            raise ParseError(f"Malformed JSON body: {exc}") from None
        if json_depth_exceeds(value, MAX_JSON_DEPTH):
            raise ParseError(f"Malformed JSON body: nested deeper than {MAX_JSON_DEPTH} levels.")
        return value
