"""The characters a value may hold and how long it may be, as regular-expression classes.

One declaration for three readers: the YAML reader refuses the control characters (read/yamlfile),
the record types build their patterns from these classes (model/records), and the JSON Schemas
carry the same classes so that an editor or ``check-jsonschema`` refuses what the loader refuses.
The classes are written as escapes (``\\x00``, ``\\u3000``) that Python's ``re``, ECMAScript (the
JSON Schema pattern dialect) and Rust's ``regex`` read alike; no ``\\s``, whose members differ
between them (ECMAScript counts U+FEFF, Python does not).
"""

from __future__ import annotations

#: The longest value a record may hold: what one Excel cell holds (longer text would be cut there).
MAX_CHARS = 32_767

#: Characters no value may hold (the body of a ``[...]`` class): XML 1.0 (the workbook, JUnit)
#: cannot hold C0 controls, U+FFFE or U+FFFF, and C1 controls, DEL and CR are never data but can
#: rewrite a terminal line or a log. Tab and line feed are fine. (Lone surrogates are refused by
#: the reader too, but a JSON Schema pattern cannot name them portably, so they are not here.)
CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"

#: Unicode White_Space (what ``str.strip`` and pydantic's ``strip_whitespace`` remove).
WHITESPACE = r"\t-\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

#: The white space a value may hold: White_Space less the control characters.
ALLOWED_WHITESPACE = r"\t\n\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

#: One character that is neither a control character nor white space.
VISIBLE = f"[^{CONTROL}{WHITESPACE}]"

#: A value with no control character.
PLAIN_PATTERN = f"^[^{CONTROL}]*$"

#: A value with no control character and something besides white space (a required text).
TEXT_PATTERN = f"^[^{CONTROL}]*{VISIBLE}[^{CONTROL}]*$"
