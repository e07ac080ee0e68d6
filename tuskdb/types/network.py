"""inet, cidr, macaddr, pg_lsn, aclitem and pg_node_tree.

inet/cidr values are ``Inet(family, addr, bits, is_cidr)`` (family 4 or 6,
address as an int); they order like network_cmp: family, then the common
network prefix, then mask length, then the whole address.  macaddr is a
6-byte ``bytes``; pg_lsn an ``int``; aclitem and pg_node_tree are ``str``.
"""

from __future__ import annotations

import ipaddress
import re
import struct
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import INVALID_TEXT_REPRESENTATION, PgError
from tuskdb.types.common import bad_binary, invalid_syntax


class Inet:
    __slots__ = ("family", "addr", "bits", "is_cidr")

    family: int
    addr: int
    bits: int
    is_cidr: bool

    def __init__(self, family: int, addr: int, bits: int, is_cidr: bool = False) -> None:
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "addr", addr)
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "is_cidr", is_cidr)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Inet is immutable")

    @property
    def maxbits(self) -> int:
        return 32 if self.family == 4 else 128

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Inet) and network_cmp(self, other) == 0

    def __lt__(self, other: Inet) -> bool:
        return network_cmp(self, other) < 0

    def __le__(self, other: Inet) -> bool:
        return network_cmp(self, other) <= 0

    def __gt__(self, other: Inet) -> bool:
        return network_cmp(self, other) > 0

    def __ge__(self, other: Inet) -> bool:
        return network_cmp(self, other) >= 0

    def __hash__(self) -> int:
        return hash((self.family, self.addr, self.bits))

    def __repr__(self) -> str:
        return f"Inet({inet_out(self)!r})"


def _prefix(v: Inet, nbits: int) -> int:
    return v.addr >> (v.maxbits - nbits) if nbits else 0


def network_cmp(a: Inet, b: Inet) -> int:
    if a.family != b.family:
        return (a.family > b.family) - (a.family < b.family)
    m = min(a.bits, b.bits)
    pa, pb = _prefix(a, m), _prefix(b, m)
    if pa != pb:
        return (pa > pb) - (pa < pb)
    if a.bits != b.bits:
        return (a.bits > b.bits) - (a.bits < b.bits)
    return (a.addr > b.addr) - (a.addr < b.addr)


def _parse(text: str, cidr: bool) -> Inet:
    typname = "cidr" if cidr else "inet"
    s = text.strip()
    addr_s, _, bits_s = s.partition("/")
    try:
        if ":" in addr_s:
            family, maxbits = 6, 128
            addr = int(ipaddress.IPv6Address(addr_s))
        else:
            family, maxbits = 4, 32
            parts = addr_s.split(".")
            if cidr and 1 <= len(parts) < 4 and all(p.isdigit() for p in parts):
                default_bits = 8 * len(parts)
                parts += ["0"] * (4 - len(parts))
            else:
                default_bits = 32
            if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
                raise ValueError
            addr = int(ipaddress.IPv4Address(".".join(str(int(p)) for p in parts)))
            maxbits = 32
        if bits_s:
            if not bits_s.isdigit() or int(bits_s) > maxbits:
                raise ValueError
            bits = int(bits_s)
        else:
            bits = maxbits if family == 6 else (default_bits if cidr else 32)
    except (ValueError, ipaddress.AddressValueError):
        raise invalid_syntax(typname, text) from None
    if cidr and addr & ((1 << (maxbits - bits)) - 1):
        raise PgError("22P02", f'invalid cidr value: "{text}"',
                      detail="Value has bits set to right of mask.")
    return Inet(family, addr, bits, cidr)


def inet_in(text: str, typmod: int = -1, ctx: Any = None) -> Inet:
    return _parse(text, False)


def cidr_in(text: str, typmod: int = -1, ctx: Any = None) -> Inet:
    return _parse(text, True)


def _addr_text(v: Inet) -> str:
    if v.family == 4:
        return str(ipaddress.IPv4Address(v.addr))
    words = [(v.addr >> (112 - 16 * i)) & 0xFFFF for i in range(8)]
    if not any(words[:5]) and (words[5] == 0xFFFF or (words[5] == 0 and words[6])):
        # inet_net_ntop prints an encapsulated IPv4 address in dotted form
        v4 = str(ipaddress.IPv4Address(v.addr & 0xFFFFFFFF))
        return ("::ffff:" if words[5] else "::") + v4
    return str(ipaddress.IPv6Address(v.addr))


def inet_out(v: Inet, ctx: Any = None) -> str:
    a = _addr_text(v)
    if v.is_cidr or v.bits != v.maxbits:
        return f"{a}/{v.bits}"
    return a


def inet_send(v: Inet, ctx: Any = None) -> bytes:
    nbytes = 4 if v.family == 4 else 16
    return struct.pack("!BBBB", 2 if v.family == 4 else 3, v.bits, 1 if v.is_cidr else 0,
                       nbytes) + v.addr.to_bytes(nbytes, "big")


def _recv(cidr: bool) -> Callable[..., Inet]:
    def f(data: bytes, typmod: int = -1, ctx: Any = None) -> Inet:
        if len(data) < 4:
            raise bad_binary()
        fam, bits, _flag, n = struct.unpack_from("!BBBB", data)
        if fam not in (2, 3) or len(data) != 4 + n or n != (4 if fam == 2 else 16):
            typname = "cidr" if cidr else "inet"
            raise PgError("22P03", f'invalid address family in external "{typname}" value')
        return Inet(4 if fam == 2 else 6, int.from_bytes(data[4:], "big"), bits, cidr)
    return f


inet_recv = _recv(False)
cidr_recv = _recv(True)


def _mask(v: Inet) -> int:
    return ((1 << v.bits) - 1) << (v.maxbits - v.bits)


def network_sub(a: Inet, b: Inet) -> bool:
    return a.family == b.family and a.bits > b.bits and _prefix(a, b.bits) == _prefix(b, b.bits)


def network_subeq(a: Inet, b: Inet) -> bool:
    return a.family == b.family and a.bits >= b.bits and \
        _prefix(a, b.bits) == _prefix(b, b.bits)


def network_overlap(a: Inet, b: Inet) -> bool:
    m = min(a.bits, b.bits)
    return a.family == b.family and _prefix(a, m) == _prefix(b, m)


def inet_abbrev(v: Inet) -> str:
    return inet_out(Inet(v.family, v.addr, v.bits, False)) if not v.is_cidr else _cidr_abbrev(v)


def _cidr_abbrev(v: Inet) -> str:
    if v.family == 6:
        return inet_out(v)
    octets = str(ipaddress.IPv4Address(v.addr)).split(".")
    keep = max(1, -(-v.bits // 8))
    while len(octets) > keep and octets[-1] == "0":
        octets.pop()
    return ".".join(octets) + f"/{v.bits}"


def _set_masklen(v: Inet, bits: int) -> Inet:
    if bits == -1:
        bits = v.maxbits
    if not 0 <= bits <= v.maxbits:
        raise PgError("22023", f"invalid mask length: {bits}")
    addr = v.addr
    if v.is_cidr:
        addr &= ((1 << bits) - 1) << (v.maxbits - bits)
    return Inet(v.family, addr, bits, v.is_cidr)


def _ipop(fn: Callable[[int, int], int]) -> Callable[[Inet, Inet], Inet]:
    def f(a: Inet, b: Inet) -> Inet:
        if a.family != b.family:
            raise PgError("22023", "cannot AND inet values of different sizes"
                          if fn is int.__and__ else "cannot OR inet values of different sizes")
        # the wider of the two netmasks (PostgreSQL's inetand/inetor)
        return Inet(a.family, fn(a.addr, b.addr) & ((1 << a.maxbits) - 1), max(a.bits, b.bits))
    return f


def inetpl(v: Inet, n: int) -> Inet:
    r = v.addr + n
    if not 0 <= r < (1 << v.maxbits):
        raise PgError("22003", "result is out of range")
    return Inet(v.family, r, v.bits, v.is_cidr)


def inetmi(a: Inet, b: Inet) -> int:
    if a.family != b.family:
        raise PgError("22023", "cannot subtract inet values of different sizes")
    r = a.addr - b.addr
    if not -(1 << 63) <= r < (1 << 63):
        raise PgError("22003", "result is out of range")
    return r


# --- macaddr --------------------------------------------------------------------------------

_MAC_RES = [re.compile(p) for p in (
    r"([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]"
    r"([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})",
    r"([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})[:.-]?([0-9a-fA-F]{2})([0-9a-fA-F]{2})"
    r"([0-9a-fA-F]{2})",
    r"([0-9a-fA-F]{2})([0-9a-fA-F]{2})\.([0-9a-fA-F]{2})([0-9a-fA-F]{2})\."
    r"([0-9a-fA-F]{2})([0-9a-fA-F]{2})",
    r"([0-9a-fA-F]{2})([0-9a-fA-F]{2})-([0-9a-fA-F]{2})([0-9a-fA-F]{2})-"
    r"([0-9a-fA-F]{2})([0-9a-fA-F]{2})")]


def macaddr_in(text: str, typmod: int = -1, ctx: Any = None) -> bytes:
    s = text.strip()
    for rx in _MAC_RES:
        m = rx.fullmatch(s)
        if m:
            return bytes(int(g, 16) for g in m.groups())
    raise invalid_syntax("macaddr", text)


def macaddr_out(v: bytes, ctx: Any = None) -> str:
    return ":".join(f"{b:02x}" for b in v)


# --- pg_lsn -----------------------------------------------------------------------------------

_LSN_RE = re.compile(r"([0-9a-fA-F]{1,8})/([0-9a-fA-F]{1,8})")


def pg_lsn_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    m = _LSN_RE.fullmatch(text)
    if not m:
        raise invalid_syntax("pg_lsn", text)
    return (int(m.group(1), 16) << 32) | int(m.group(2), 16)


def pg_lsn_out(v: int, ctx: Any = None) -> str:
    return f"{v >> 32:X}/{v & 0xFFFFFFFF:X}"


def _lsn_arith(lsn: int, n: Decimal, what: str) -> int:
    if n.is_nan():
        raise PgError("0A000", f"cannot {what} pg_lsn")
    return _lsn_from_numeric(Decimal(lsn) + n)


def _lsn_from_numeric(d: Decimal) -> int:
    if not d.is_finite():
        raise PgError("0A000", "cannot convert %s to pg_lsn" %
                      ("NaN" if d.is_nan() else "infinity"))
    from decimal import ROUND_HALF_UP
    r = d.quantize(Decimal(1), rounding=ROUND_HALF_UP) if d.adjusted() < 30 else d
    if not 0 <= r < 2 ** 64:
        raise PgError("22023", "pg_lsn out of range")
    return int(r)


def _cmp(prefix: str) -> dict[str, Callable[..., Any]]:
    import operator
    return {prefix + s: fn for s, fn in (("eq", operator.eq), ("ne", operator.ne),
                                         ("lt", operator.lt), ("le", operator.le),
                                         ("gt", operator.gt), ("ge", operator.ge))}


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp("network_"), **_cmp("macaddr_"), **_cmp("pg_lsn_"),
    "network_cmp": network_cmp, "network_sub": network_sub, "network_subeq": network_subeq,
    "network_sup": lambda a, b: network_sub(b, a), "network_supeq": lambda a, b:
    network_subeq(b, a), "network_overlap": network_overlap,
    "network_larger": lambda a, b: a if a >= b else b,
    "network_smaller": lambda a, b: a if a <= b else b,
    "network_host": _addr_text, "network_masklen": lambda v: v.bits,
    "network_family": lambda v: v.family,
    "network_network": lambda v: Inet(v.family, v.addr & _mask(v), v.bits, True),
    "network_netmask": lambda v: Inet(v.family, _mask(v), v.maxbits),
    "network_hostmask": lambda v: Inet(v.family, ((1 << v.maxbits) - 1) ^ _mask(v),
                                       v.maxbits),
    "network_broadcast": lambda v: Inet(v.family, v.addr | (((1 << v.maxbits) - 1)
                                                            ^ _mask(v)), v.bits),
    "network_show": lambda v: f"{_addr_text(v)}/{v.bits}",
    "inet_abbrev": lambda v: inet_out(Inet(v.family, v.addr, v.bits)),
    "cidr_abbrev": _cidr_abbrev, "inet_set_masklen": _set_masklen,
    "cidr_set_masklen": _set_masklen,
    "inet_to_cidr": lambda v: Inet(v.family, v.addr & _mask(v), v.bits, True),
    "inetnot": lambda v: Inet(v.family, ~v.addr & ((1 << v.maxbits) - 1), v.bits),
    "inetand": _ipop(int.__and__), "inetor": _ipop(int.__or__), "inetpl": inetpl,
    "inetmi_int8": lambda v, n: inetpl(v, -n), "inetmi": inetmi,
    "inet_same_family": lambda a, b: a.family == b.family,
    "inet_merge": lambda a, b: _merge(a, b),
    "macaddr_cmp": lambda a, b: (a > b) - (a < b), "macaddr_trunc": lambda v: v[:3] + b"\0\0\0",
    "macaddr_not": lambda v: bytes(~x & 0xFF for x in v),
    "macaddr_and": lambda a, b: bytes(x & y for x, y in zip(a, b)),
    "macaddr_or": lambda a, b: bytes(x | y for x, y in zip(a, b)),
    "pg_lsn_cmp": lambda a, b: (a > b) - (a < b),
    "pg_lsn_mi": lambda a, b: Decimal(a - b), "pg_wal_lsn_diff": lambda a, b: Decimal(a - b),
    "pg_lsn_larger": max, "pg_lsn_smaller": min,
    "pg_lsn_pli": lambda a, n: _lsn_arith(a, n, "add NaN to"),
    "pg_lsn_mii": lambda a, n: _lsn_arith(a, -n, "subtract NaN from"),
    "numeric_pg_lsn": _lsn_from_numeric,
    "aclitem_eq": lambda a, b: a == b,
}

IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    2631: lambda n, v: inetpl(v, n),                               # int8pl_inet
    5023: lambda n, a: _lsn_arith(a, n, "add NaN to"),             # numeric_pl_pg_lsn
}


def _merge(a: Inet, b: Inet) -> Inet:
    if a.family != b.family:
        raise PgError("22023", "cannot merge addresses from different families")
    bits = min(a.bits, b.bits)
    while bits and _prefix(a, bits) != _prefix(b, bits):
        bits -= 1
    maxbits = a.maxbits
    return Inet(a.family, a.addr & (((1 << bits) - 1) << (maxbits - bits)), bits, True)


# -- aclitem ---------------------------------------------------------------------------------

ACL_MODE_CHARS = "arwdDxtXUCTcsAm"


def _acl_getid(s: str, i: int) -> tuple[str, int]:
    """A role name at s[i:] (double-quoted or letters, digits and _), as aclparse's getid."""
    n = len(s)
    while i < n and s[i].isspace():
        i += 1
    out: list[str] = []
    in_quotes = False
    while i < n:
        ch = s[i]
        if ch == '"':
            if in_quotes and i + 1 < n and s[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            in_quotes = not in_quotes
            i += 1
            continue
        if not in_quotes and not (ch.isalnum() or ch == "_" or ord(ch) >= 128):
            break
        out.append(ch)
        i += 1
    while i < n and s[i].isspace():
        i += 1
    return "".join(out), i


def _acl_error(msg: str) -> PgError:
    return PgError(INVALID_TEXT_REPRESENTATION, msg)


def aclitem_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    """aclitemin: 'grantee=privs/grantor', normalized as aclitemout prints it; the roles
    must exist (checked through the session's catalog hooks)."""
    grantee, i = _acl_getid(text, 0)
    if i >= len(text) or text[i] != "=":
        raise _acl_error('missing "=" sign')
    i += 1
    privs, gopts = "", ""
    n = len(text)
    while i < n and text[i] not in "/" and not text[i].isspace():
        ch = text[i]
        if ch == "*":
            if privs:
                gopts += privs[-1]
        elif ch in ACL_MODE_CHARS:
            privs += ch
        else:
            raise _acl_error(f'invalid mode character: must be one of "{ACL_MODE_CHARS}"')
        i += 1
    while i < n and text[i].isspace():
        i += 1
    grantor = None
    if i < n and text[i] == "/":
        grantor, i = _acl_getid(text, i + 1)
        if not grantor:
            raise _acl_error('a name must follow the "/" sign')
    if i < n:
        raise _acl_error("extra garbage at the end of the ACL specification")
    hooks = getattr(ctx, "session_hooks", None)
    if hooks is not None and hasattr(hooks, "role_exists"):
        for name in (grantee, grantor):
            if name and not hooks.role_exists(name):
                err = PgError("42704", f'role "{name}" does not exist')
                err.soft_input = True       # reported softly, as aclitemin's escontext
                raise err
    if grantor is None:
        grantor = "postgres"        # PostgreSQL defaults the grantor to the superuser

    def put(name: str) -> str:
        if name and not all(ch.isalnum() or ch == "_" for ch in name):
            return '"' + name.replace('"', '""') + '"'
        return name
    letters = "".join(c + ("*" if c in gopts else "") for c in ACL_MODE_CHARS if c in privs)
    return f"{put(grantee)}={letters}/{put(grantor)}"
