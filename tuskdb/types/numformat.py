"""Number templates of to_char(number, text) and to_number(text, text).

Written from the documentation's "Template Patterns for Numeric Formatting"
table and from PostgreSQL's observable behaviour (differential tests against
a real server), not from its source.

A template is read once into a ``NumTemplate``: the list of its items and
the facts the renderer needs (how many digit positions stand before and
after the decimal point, where the first and last ``0`` are, which sign
style is used).  Rendering then works on *columns*: every ``9``/``0``
item is one digit column, the decimal point is one more.  The value is
given as text already rounded to the template's fraction digits; the
renderer decides for each column whether it shows a digit, a padding
zero or a blank, and where the sign goes:

- the floating sign (plain ``-``, a leading ``S``, ``PR``'s ``<``) is
  written just before the first column that shows something;
- a trailing sign (``S`` after the integer digits, ``PR``'s ``>``) right
  after the last column;
- ``MI``/``PL``/``SG`` print at their own place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from tuskdb.errors import PgError

_WORDS = sorted([",", ".", "0", "9", "B", "C", "D", "EEEE", "FM", "G", "L", "MI", "PL", "PR", "RN", "SG", "SP", "S", "TH", "V", "b", "c", "d", "eeee", "fm", "g", "l", "mi", "pl", "pr", "rn", "sg", "sp", "s", "th", "v"], key=len, reverse=True)
_WORD_RE = re.compile("|".join(re.escape(w) for w in _WORDS))

DIGIT_ITEMS = ("9", "0")
POINT_ITEMS = (".", "D")


CUT = "\0"               # a column past the value's text: the output ends there
QUIET_ZERO = "0 "        # the integer zero FM shows before an empty fraction


def _syntax(msg: str, detail: str | None = None) -> PgError:
    return PgError("42601", msg, detail=detail)


@dataclass
class NumTemplate:
    items: list[tuple[str, str]] = field(default_factory=list)  # (word or "CHAR", text)
    int_digits: int = 0          # digit columns before the decimal point
    frac_digits: int = 0         # digit columns after it
    shift: int = 0               # V: digits the value is multiplied by 10 for
    has_point: bool = False
    fill: bool = False           # FM
    first_zero: int | None = None  # integer column index of the first '0'
    last_zero: int = 0           # 1-based digit column number of the last '0'
    s_item: str | None = None    # 'lead' (before the point) or 'trail' for S
    s_at: int | None = None      # integer columns before a leading S
    mi = pl = pr = has_v = roman = eeee = blank = False

    @property
    def explicit_sign(self) -> bool:
        return self.mi or self.pl


def read_template(fmt: str) -> NumTemplate:
    """Split a number template into items and check PostgreSQL's combination rules."""
    t = NumTemplate()
    i, n = 0, len(fmt)
    s_at: int | None = None      # integer columns seen when S appeared before the point
    while i < n:
        c = fmt[i]
        if c == '"':
            j = i + 1
            while j < n and fmt[j] != '"':
                if fmt[j] == "\\" and j + 1 < n:
                    j += 1
                t.items.append(("CHAR", fmt[j]))
                j += 1
            i = j + 1
            continue
        m = _WORD_RE.match(fmt, i)
        if m is None:
            if c == "\\" and fmt[i + 1:i + 2] == '"':
                i += 1
            t.items.append(("CHAR", fmt[i]))
            i += 1
            continue
        word = m.group(0)
        i = m.end()
        key = word if word in ("rn", "th") else word.upper()
        if t.eeee and key != "EEEE":
            raise _syntax('"EEEE" must be the last pattern used')
        if key in ("C", "SP"):
            continue          # accepted, print nothing
        if key in DIGIT_ITEMS:
            if t.pr:
                raise _syntax(f'"{key}" must be ahead of "PR"')
            if key == "9" and t.has_v:
                t.shift += 1
                t.items.append((key, word))
                continue
            if key == "0" and t.first_zero is None and not t.has_point:
                t.first_zero = t.int_digits
            if t.has_point:
                t.frac_digits += 1
            else:
                t.int_digits += 1
            if key == "0":
                t.last_zero = t.int_digits + t.frac_digits
        elif key == "B":
            if t.int_digits == 0 and t.frac_digits == 0 and t.first_zero is None:
                t.blank = True
        elif key in POINT_ITEMS:
            if t.has_point:
                raise _syntax("multiple decimal points")
            if t.has_v:
                raise _syntax('cannot use "V" and decimal point together')
            t.has_point = True
        elif key == "FM":
            t.fill = True
        elif key == "S":
            if t.s_item is not None:
                raise _syntax('cannot use "S" twice')
            if t.mi or t.pl or t.pr:
                raise _syntax('cannot use "S" and "PL"/"MI"/"SG"/"PR" together')
            t.s_item = "trail" if t.has_point else "lead"
            s_at = t.int_digits
        elif key in ("MI", "PL", "SG"):
            if t.s_item is not None:
                raise _syntax(f'cannot use "S" and "{key}" together')
            if key != "PL":
                t.mi = True
            if key != "MI":
                t.pl = True
        elif key == "PR":
            if t.s_item is not None or t.mi or t.pl:
                raise _syntax('cannot use "PR" and "S"/"PL"/"MI"/"SG" together')
            t.pr = True
        elif key in ("RN", "rn"):
            if t.roman:
                raise _syntax('cannot use "RN" twice')
            t.roman = True
        elif key == "V":
            if t.has_point:
                raise _syntax('cannot use "V" and decimal point together')
            t.has_v = True
        elif key == "EEEE":
            if t.eeee:
                raise _syntax('cannot use "EEEE" twice')
            if (t.blank or t.fill or t.s_item or t.pr or t.mi or t.pl or t.roman
                    or t.has_v):
                raise _syntax('"EEEE" is incompatible with other formats',
                              '"EEEE" may only be used together with digit and decimal '
                              "point patterns.")
            t.eeee = True
        if t.roman and (t.has_point or t.first_zero is not None or t.blank or t.s_item
                        or t.pr or t.mi or t.pl or t.has_v or t.eeee):
            raise _syntax('"RN" is incompatible with other formats',
                          '"RN" may only be used together with "FM".')
        t.items.append((key, word))
    t.s_at = s_at
    return t


def ordinal_suffix(num: str, upper: bool) -> str:
    last = num[-1:]
    if not last.isdigit():
        raise PgError("22P02", f'"{num}" is not a number')
    if len(num) > 1 and num[-2] == "1":
        last = "0"
    s = {"1": "st", "2": "nd", "3": "rd"}.get(last, "th")
    return s.upper() if upper else s


def render(t: NumTemplate, text: str, negative: bool, frac_avail: int | None = None) -> str:
    """Lay ``text`` (the unsigned value: integer digits, optionally '.' and the
    fraction digits; or NaN/Infinity) out on ``t``'s columns.  ``frac_avail``
    is how many fraction columns the value can fill (floats have only so many
    significant digits); the output ends at the first column it cannot fill."""
    if t.roman:
        return _render_roman(t, text)
    point = text.find(".")
    int_text = text if point < 0 else text[:point]
    frac_text = "" if point < 0 else text[point + 1:]
    has_point_text = point >= 0
    overflow = len(int_text) > t.int_digits
    if overflow:                                 # every column shows '#'
        int_text = "#" * t.int_digits
        frac_text = "#" * (t.frac_digits if frac_avail is None else frac_avail)
        has_point_text = True
        text = int_text + "." + frac_text
    pad = t.int_digits - len(int_text)
    zero_from = t.first_zero if t.first_zero is not None else t.int_digits
    # Fraction digits shown: all of them, or in FM up to the last non-zero
    # one (never fewer than the template's '0' columns demand).
    shown_frac = len(frac_text)
    if t.fill and t.has_point:
        keep = max(0, t.last_zero - t.int_digits)
        while shown_frac > keep and frac_text[shown_frac - 1] == "0":
            shown_frac -= 1
    # A lone integer zero before a fraction is left out ("  .50") unless a
    # '0' column asks for it or FM has dropped every fraction digit.
    lone_zero = (int_text == "0" and t.first_zero is None and t.frac_digits > 0
                 and not (t.fill and shown_frac == 0))
    col_items = [k for k, _ in t.items if k in DIGIT_ITEMS or k in POINT_ITEMS]

    cells: list[str | None] = []     # None = blank column
    for col in range(t.int_digits):
        if col < pad:
            cells.append("0" if col >= zero_from else None)
        elif lone_zero:
            cells.append(None)
        elif int_text == "0" and t.first_zero is None and t.frac_digits > 0:
            cells.append(QUIET_ZERO)     # FM kept it: it does not open digit groups
        else:
            cells.append(int_text[col - pad])
    n_int = len(cells)
    # Columns past the text (a point the text lacks, fraction digits a float
    # could not supply) end the output: ``CUT``.
    if t.has_point:
        cells.append("." if has_point_text else CUT)
    for col in range(t.frac_digits):
        if col < shown_frac:
            cells.append(frac_text[col])
        elif col < len(frac_text):
            cells.append("")                 # a zero FM drops
        elif t.fill and has_point_text and col_items[n_int + 1 + col] == "9":
            cells.append("")                 # FM: nothing left to show here
        else:
            cells.append(CUT)
    last_col = n_int - 1 + int(t.has_point) + min(len(frac_text), t.frac_digits)

    # where the floating sign goes: before the first column that shows something
    anchor = next((col for col in range(n_int) if cells[col] is not None), n_int)

    lead_sign, trail_sign = _signs(t, negative)
    if t.pr and t.mi:
        # PR followed by MI/SG: only the closing bracket is printed, and
        # without padding columns one column early.
        lead_sign, trail_sign = "", (">" if negative else " ")
        if pad == 0:
            last_col -= 1
            # ... but not when FM's last shown character is the next column
            if t.fill and has_point_text and n_int + shown_frac == last_col + 1:
                trail_sign = ""
    out: list[str] = []
    col = -1
    digit_shown = False
    for key, word in t.items:
        if key in DIGIT_ITEMS or key in POINT_ITEMS:
            col += 1
            if col >= len(cells):
                continue
            if col == anchor and lead_sign:
                out.append(lead_sign)
            cell = cells[col]
            if cell == CUT:
                return "".join(out)
            if cell is None:
                digit_shown = False
                if not t.fill:
                    out.append(" ")
            elif cell is QUIET_ZERO:
                out.append("0")
                digit_shown = False
            else:
                out.append(cell)
                digit_shown = key in DIGIT_ITEMS and cell != ""
            if col == last_col and trail_sign:
                out.append(trail_sign)
        elif key in (",", "G"):
            if digit_shown:
                out.append(",")
            elif not t.fill:
                out.append(" ")
        elif key == "CHAR":
            out.append(word)
        elif key == "L":
            out.append(" ")
        elif key in ("TH", "th"):
            if not (negative or t.has_point or text.startswith("#")):
                out.append(ordinal_suffix(text, key == "TH"))
        elif key == "MI":
            if negative:
                out.append("-")
            elif not t.fill:
                out.append(" ")
        elif key == "PL":
            if not negative:
                out.append("+")
            elif not t.fill:
                out.append(" ")
        elif key == "SG":
            out.append("-" if negative else "+")
    return "".join(out)


def _signs(t: NumTemplate, negative: bool) -> tuple[str, str]:
    """The (floating, trailing) sign texts for the template's sign style."""
    if t.s_item is not None:
        sign = "-" if negative else "+"
        # an S before the point but after every integer column trails too
        if t.s_item == "trail" or t.s_at == t.int_digits:
            return "", sign
        return sign, ""
    if t.pr:
        if negative:
            return "<", ">"
        return ("", "") if t.fill else (" ", " ")
    if t.mi:                      # MI or SG: the sign is printed only there
        return "", ""
    if negative:
        return "-", ""
    return ("" if t.fill else " "), ""


def _render_roman(t: NumTemplate, numeral: str) -> str:
    out: list[str] = []
    for key, word in t.items:
        if key == "CHAR":
            out.append(word)
        elif key in ("RN", "rn"):
            r = numeral if key == "RN" else numeral.lower()
            out.append(r if t.fill else r.rjust(15))
        elif key == "L" or key in (",", "G") and not t.fill:
            out.append(" ")
    return "".join(out)


# --- to_number: reading a number through a template ------------------------------------

_DATA_CHARS = frozenset("0123456789.,+-")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_STEPS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_numeral(n: int) -> str:
    """The canonical Roman numeral of 1..3999; fifteen '#' outside that range."""
    if not 1 <= n <= 3999:
        return "#" * 15
    out = []
    for value, letters in _ROMAN_STEPS:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def read_roman(s: str, pos: int) -> tuple[int | None, int]:
    """Read a Roman numeral (any case, after blanks) at ``pos``: (value or None
    when it is not a well-formed numeral, position after its letters)."""
    while pos < len(s) and s[pos] in " \t\n\r\v\f":
        pos += 1
    end = pos
    while end < len(s) and end - pos < 15 and s[end].upper() in _ROMAN_DIGITS:
        end += 1
    letters = s[pos:end].upper()
    if not letters:
        return None, end
    values = [_ROMAN_DIGITS[c] for c in letters]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                for i, v in enumerate(values))
    # well-formed means: written the canonical way
    return (total if roman_numeral(total) == letters else None), end


class _NumberReader:
    """One pass of to_number: every template item looks at the input cursor."""

    def __init__(self, t: NumTemplate, text: str) -> None:
        self.t = t
        self.s = text
        self.pos = 0
        self.sign = ""           # '', '+' or '-'
        self.digits: list[str] = []
        self.int_read = 0
        self.frac_read = 0
        self.point_read = False

    def char(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.s[i] if i < len(self.s) else ""

    def skip_non_data(self, limit: int) -> None:
        """Pass over up to ``limit`` characters that cannot belong to the number."""
        for _ in range(limit):
            c = self.char()
            if not c or c in _DATA_CHARS:
                return
            self.pos += 1

    def column(self, key: str) -> None:
        """A digit or decimal-point item; the caller then moves one character on."""
        t = self.t
        if self.char() == " ":
            self.pos += 1
        c = self.char()
        if not c:
            return
        if not self.sign and key in DIGIT_ITEMS and not self.int_read + self.frac_read:
            # the number's own sign comes before its first digit
            if t.s_item is not None:
                if c in "+-":
                    self.sign = c
                    self.pos += 1
            elif c == "-" or (t.pr and c == "<"):
                self.sign = "-"
                self.pos += 1
            elif c == "+":
                self.sign = "+"
                self.pos += 1
            c = self.char()
            if not c:
                return
        took = False
        if c in "0123456789":
            if self.point_read and self.frac_read == t.frac_digits:
                return           # more fraction digits than the template has
            self.digits.append(c)
            if self.point_read:
                self.frac_read += 1
            else:
                self.int_read += 1
            took = True
        elif c == "." and t.has_point and not self.point_read:
            self.digits.append(".")
            self.point_read = True
            took = True
        if self.sign or not self.int_read + self.frac_read:
            return
        if t.s_item is not None:
            nxt = self.char(1)
            # a sign right after the digits (S at the end)
            if took and nxt and nxt not in "0123456789" and nxt in "+-":
                self.sign = nxt
                self.pos += 1
        elif not took and (t.mi or t.pl) and c in "+-":
            self.sign = c

    def run(self) -> None:
        t = self.t
        for key, _word in t.items:
            c = self.char()
            if not c:
                break
            if key == "CHAR":
                pass                              # a literal stands for any one character
            elif key in DIGIT_ITEMS or key in POINT_ITEMS:
                self.column(key)
            elif key in (",", "G"):
                if t.fill or c != ",":
                    continue
            elif key == "L":
                if c != " ":
                    self.skip_non_data(1)
                    continue
            elif key in ("RN", "rn"):
                value, self.pos = read_roman(self.s, self.pos)
                if value is None:
                    raise PgError("22P02", "invalid Roman numeral")
                self.digits.extend(str(value))
                t.int_digits = len(str(value))
                continue
            elif key in ("TH", "th"):
                if not (t.roman or t.has_point):
                    self.skip_non_data(2)
                continue
            elif key in ("MI", "PL", "SG"):
                wanted = {"MI": "-", "PL": "+", "SG": "+-"}[key]
                if c not in wanted:
                    self.skip_non_data(1)
                    continue
                self.sign = c
            else:
                continue                          # S, PR, FM, B, V, ...: nothing to read
            self.pos += 1


def read_number(text: str, fmt: str) -> Decimal | None:
    """to_number(text, template)."""
    from tuskdb.types.numeric import numeric_in, numeric_mul, numeric_power
    if not fmt:
        return None
    t = read_template(fmt)
    if t.eeee:
        raise PgError("0A000", '"EEEE" not supported for input')
    r = _NumberReader(t, text)
    r.run()
    digits = r.digits
    if digits and digits[-1] == ".":
        digits = digits[:-1]
    precision = t.int_digits + t.shift + r.frac_read
    result = numeric_in((r.sign or " ") + "".join(digits),
                        ((precision << 16) | r.frac_read) + 4)
    if t.has_v:
        result = numeric_mul(result, numeric_power(Decimal(10), Decimal(-t.shift)))
    return result
