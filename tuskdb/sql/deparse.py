"""Analyzed expressions back to SQL text (PostgreSQL's ruleutils.c), for
pg_get_expr, pg_get_constraintdef and psql's \\d.

Non-pretty output parenthesizes every operator and boolean expression, as
PostgreSQL does; pretty output (the ``true`` flag psql passes) drops the
parentheses that precedence makes unnecessary.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pglast import keywords

from tuskdb import types
from tuskdb.sql.expr import (BoolExpr, BoolTest, Case, Coalesce, Const, Expr, Func, InList, OuterVar,
                             Literal, MinMax, NullIf, NullTest, Param, Var)

REGCLASS = 2205
_KEYWORDS = frozenset(keywords.RESERVED_KEYWORDS) | frozenset(keywords.COL_NAME_KEYWORDS) | \
    frozenset(keywords.TYPE_FUNC_NAME_KEYWORDS)


def quote_ident(name: str) -> str:
    """PostgreSQL's quote_identifier: quoted unless a lower-case plain name that is not a
    keyword (unreserved keywords excepted)."""
    if name and name == name.lower() and (name[0].isalpha() or name[0] == "_") and \
            all(c.isalnum() or c in "_$" for c in name) and name not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A string constant as ruleutils prints it: quotes doubled, backslashes as they
    are (standard_conforming_strings: TuskDB's lexer always reads strings that way)."""
    return "'" + text.replace("'", "''") + "'"


class Deparser:
    # planned expressions (EXPLAIN) hold constants folded by the planner: they print by
    # get_const_expr's rules alone; analyzed ones (views, defaults) keep the literal's
    # cast form, e.g. (0)::numeric for an integer literal coerced to numeric
    planned = False

    def __init__(self, tctx: Any, pretty: bool, regclass_name: Any = None) -> None:
        self.tctx = tctx
        self.pretty = pretty
        self.regclass_name = regclass_name

    def expr(self, e: Expr, top: bool = True) -> str:
        if isinstance(e, Var):
            if isinstance(e.rt, tuple) and e.rt and e.rt[0] == "domain":
                return "VALUE"          # a domain constraint's value
            return quote_ident(e.name)
        if isinstance(e, (Const, Literal)):
            return self.const(e.value if isinstance(e, Const) else getattr(e, "value", None),
                              e.type_oid, e.typmod)
        if isinstance(e, Param):
            return f"${e.number}"
        if getattr(e, "whole_row_name", None):            # a whole-row reference
            return f"{quote_ident(e.whole_row_name)}.*"
        if isinstance(e, Func):
            if getattr(e, "cursor_name", None) is not None:     # CurrentOfExpr
                return f"CURRENT OF {quote_ident(e.cursor_name)}"
            if getattr(e, "row_null", None) is not None:
                s = f"{self.expr(e.args[0], False)} IS {'' if e.row_null else 'NOT '}NULL"
                return self.paren(s, top)
            return self.func(e, top)
        if isinstance(e, BoolExpr):
            return self.boolexpr(e, top)
        if isinstance(e, NullTest):
            s = f"{self.expr(e.arg, False)} IS {'' if e.is_null else 'NOT '}NULL"
            return self.paren(s, top)
        if isinstance(e, BoolTest):
            words = {"IS_TRUE": "IS TRUE", "IS_NOT_TRUE": "IS NOT TRUE", "IS_FALSE": "IS FALSE",
                     "IS_NOT_FALSE": "IS NOT FALSE", "IS_UNKNOWN": "IS UNKNOWN",
                     "IS_NOT_UNKNOWN": "IS NOT UNKNOWN"}
            return self.paren(f"{self.expr(e.arg, False)} {words[e.kind]}", top)
        if isinstance(e, Case):
            parts = ["CASE"]
            for c, r in e.whens:
                parts.append(f"WHEN {self.expr(c, True)} THEN {self.expr(r, True)}")
            if e.default is not None:
                parts.append(f"ELSE {self.expr(e.default, True)}")
            parts.append("END")
            return " ".join(parts)
        if isinstance(e, Coalesce):
            return f"COALESCE({', '.join(self.expr(a, True) for a in e.args)})"
        if isinstance(e, MinMax):
            name = "GREATEST" if e.is_greatest else "LEAST"
            return f"{name}({', '.join(self.expr(a, True) for a in e.args)})"
        if isinstance(e, NullIf):
            return f"NULLIF({self.expr(e.left, True)}, {self.expr(e.right, True)})"
        if isinstance(e, InList):
            op = getattr(e, "opname", None) or ("=" if e.use_or else "<>")
            return self.paren(f"{self.expr(e.left, False)} {op} {'ANY' if e.use_or else 'ALL'} "
                              f"({self.in_list_array(e)})", top)
        return self.unknown(e)

    def unknown(self, e: Expr) -> str:
        return "?"

    def looks_like_function(self, e: Expr) -> bool:
        """Whether e prints in function-call syntax (ruleutils' looks_like_function): an
        index key or partition key expression that does needs no parentheses of its own."""
        if isinstance(e, (Coalesce, MinMax, NullIf)):
            return True
        if isinstance(e, Func):
            if getattr(e, "xmlform", None) is not None:
                return True
            if getattr(e, "cast", None) is not None or getattr(e, "op", None) is not None or \
                    getattr(e, "subscripts", None) is not None:
                return False
            return bool(e.name) and e.name[0].isalpha() and e.name != "relabel"
        return False

    def in_list_array(self, e: InList) -> str:
        """An IN list's items as the array PostgreSQL compares with: constants fold into
        one array constant, anything else stays an ARRAY[...] constructor."""
        t = types.TYPES.get(e.items[0].type_oid) if e.items else None
        if t is not None and t.array_oid and \
                all(isinstance(i, (Const, Literal)) and i.type_oid == t.oid for i in e.items):
            vals = [i.value if isinstance(i, Const) else getattr(i, "value", None)
                    for i in e.items]
            return self.const(types.Array(vals), t.array_oid, -1)
        return "ARRAY[" + ", ".join(self.expr(i, True) for i in e.items) + "]"

    def paren(self, s: str, top: bool) -> str:
        if self.pretty and top:
            return s
        return f"({s})"

    def const(self, value: Any, type_oid: int, typmod: int, showtype: int = 0) -> str:
        if value is None:
            return "NULL" if type_oid == 705 else f"NULL::{_type(type_oid, typmod)}"
        if type_oid == REGCLASS and self.regclass_name is not None:
            return f"{quote_literal(self.regclass_name(value))}::regclass"
        t = types.TYPES.get(type_oid)
        text = t.output(value, self.tctx) if t is not None else str(value)
        needlabel = True
        if type_oid == 23:
            if not text.startswith("-"):
                return text
            return f"{quote_literal(text)}::integer"
        if type_oid == 16:
            return "true" if value else "false"
        if type_oid == 1700 and self.planned:
            # bare when it reads back as a numeric literal (digits with a point or an
            # exponent, no sign); quoted with its type otherwise
            isfloat = text[:1].isdigit() and any(c in text for c in ".eE")
            if isfloat:
                return text if typmod < 0 else f"{text}::{_type(type_oid, typmod)}"
            return f"{quote_literal(text)}::{_type(type_oid, typmod)}"
        if type_oid == 1700 and isinstance(value, Decimal) and value.is_finite():
            isfloat = any(c in text for c in ".eE")
            needlabel = not isfloat or typmod >= 0
            body = text if not text.startswith("-") else f"({text})" if False else text
            if text.startswith("-"):
                body = f"'{text}'"
                needlabel = True
            if needlabel:
                wrapped = body if self.pretty or body.startswith("'") else f"({body})"
                return f"{wrapped}::{_type(type_oid, typmod)}"
            return body
        if type_oid == 705:
            return quote_literal(text)
        return f"{quote_literal(text)}::{_type(type_oid, typmod)}"

    def func(self, e: Func, top: bool) -> str:
        subs = getattr(e, "subscripts", None)
        if subs is not None:
            # array subscripting (SubscriptingRef): the container in parentheses unless
            # it is a column
            bounds, is_slice = subs
            container = self.expr(e.args[0], False)
            if not isinstance(e.args[0], (Var, OuterVar)):
                container = f"({container})"
            parts = []
            for lo, hi in bounds:
                if is_slice:
                    parts.append(f"[{self.expr(lo, True) if lo is not None else ''}:"
                                 f"{self.expr(hi, True) if hi is not None else ''}]")
                else:
                    parts.append(f"[{self.expr(hi, True)}]")
            return container + "".join(parts)
        xf = getattr(e, "xmlform", None)
        if xf is not None:
            return self.xmlexpr(e, xf, top)
        cast = getattr(e, "cast", None)
        if cast is not None:
            target, typmod, implicit = cast
            arg = e.args[0]
            if implicit:
                return self.expr(arg, top)
            inner = self.expr(arg, False)
            return f"{inner}::{_type(target, typmod)}" if self.pretty else \
                f"({inner})::{_type(target, typmod)}"
        op = getattr(e, "op", None)
        if op is not None or (e.name and not e.name[0].isalpha() and e.name != "relabel"):
            name = op.name if op is not None else e.name
            if len(e.args) == 1:
                return self.paren(f"{name} {self.expr(e.args[0], False)}", top)
            left = self.expr(e.args[0], False)
            right = self.expr(e.args[1], False)
            return self.paren(f"{left} {name} {right}", top)
        if e.name == "relabel" and e.args:
            return self.expr(e.args[0], top)
        if e.name == "ctid" and len(e.args) == 1 and isinstance(e.args[0], (Var, OuterVar)):
            from tuskdb.access.tid import tid_tuple
            if e.fn is tid_tuple:       # the ctid system column (slot int -> tid value)
                return self.expr(e.args[0], top)
        svf = getattr(e, "svf", None)
        if svf is not None:
            return _svf_text(*svf)
        if getattr(e, "sql_syntax", None) is not None:
            text = self.func_sql_syntax(e)
            if text is not None:
                return text
        sa_op = getattr(e, "sa_op", None)
        if sa_op is not None and len(e.args) == 2:
            word = "ANY" if sa_op[1] else "ALL"
            return self.paren(f"{self.expr(e.args[0], False)} {sa_op[0]} {word} "
                              f"({self.expr(e.args[1], True)})", top)
        args = ", ".join(self.expr(a, True) for a in e.args)
        return f"{quote_ident(e.name) if e.name[:1].isalpha() else e.name}({args})"

    def func_sql_syntax(self, e: Func) -> str | None:
        """A function called with SQL syntax printed back so (ruleutils'
        get_func_sql_syntax); None when the call's shape is not one of them."""
        # the arguments as written: analysis adds defaults (NORMALIZE's form)
        name, args = e.name, e.args[:e.sql_syntax]
        n = len(args)

        def top(a: Expr) -> str:
            return self.expr(a, True)

        def word(a: Expr) -> str | None:
            # EXTRACT's field and NORMALIZE's form are text constants printed bare
            if isinstance(a, Const) and isinstance(a.value, str) and a.type_oid in (25, 1043):
                return a.value
            return None

        if name == "timezone" and n == 2:
            return f"({self.expr(args[1], False)} AT TIME ZONE {self.expr(args[0], False)})"
        if name == "timezone" and n == 1:
            return f"({self.expr(args[0], False)} AT LOCAL)"
        if name == "overlaps" and n == 4:
            return f"(({top(args[0])}, {top(args[1])}) OVERLAPS " \
                   f"({top(args[2])}, {top(args[3])}))"
        if name == "extract" and n == 2 and word(args[0]) is not None:
            return f"EXTRACT({word(args[0])} FROM {top(args[1])})"
        if name == "is_normalized" and n in (1, 2):
            form = ""
            if n == 2:
                if word(args[1]) is None:
                    return None
                form = f" {word(args[1])}"
            return f"({self.expr(args[0], False)} IS{form} NORMALIZED)"
        if name == "pg_collation_for" and n == 1:
            return f"COLLATION FOR ({top(args[0])})"
        if name == "normalize" and n in (1, 2):
            if n == 2 and word(args[1]) is None:
                return None
            return f"NORMALIZE({top(args[0])}" + (f", {word(args[1])})" if n == 2 else ")")
        if name == "overlay" and n in (3, 4):
            return f"OVERLAY({top(args[0])} PLACING {top(args[1])} FROM {top(args[2])}" + \
                (f" FOR {top(args[3])})" if n == 4 else ")")
        if name == "position" and n == 2:
            return f"POSITION(({top(args[1])}) IN ({top(args[0])}))"
        if name == "substring" and n == 3 and args[1].type_oid == 25 and \
                args[2].type_oid == 25:
            return f"SUBSTRING({top(args[0])} SIMILAR {top(args[1])} ESCAPE {top(args[2])})"
        if name == "substring" and n in (2, 3):
            return f"SUBSTRING({top(args[0])} FROM {top(args[1])}" + \
                (f" FOR {top(args[2])})" if n == 3 else ")")
        if name in ("btrim", "ltrim", "rtrim") and n in (1, 2):
            where = {"btrim": "BOTH", "ltrim": "LEADING", "rtrim": "TRAILING"}[name]
            chars = f" {top(args[1])}" if n == 2 else ""
            return f"TRIM({where}{chars} FROM {top(args[0])})"
        if name == "system_user" and n == 0:
            return "SYSTEM_USER"
        return None

    def xmlexpr(self, e: Func, xf: tuple, top: bool) -> str:
        """The SQL/XML forms (ruleutils' XmlExpr/XmlSerialize cases); XML names are
        printed back as the SQL identifiers they were mapped from."""
        from tuskdb.types.xml import map_xml_name_to_sql_identifier as unmap
        kind = xf[0]
        args = [self.expr(a, True) for a in e.args]
        if kind == "element":
            _, name, anames = xf
            out = f"XMLELEMENT(NAME {quote_ident(unmap(name))}"
            if anames:
                attrs = ", ".join(f"{v} AS {quote_ident(unmap(n))}"
                                  for v, n in zip(args, anames))
                out += f", XMLATTRIBUTES({attrs})"
            rest = args[len(anames):]
            return out + "".join(", " + a for a in rest) + ")"
        if kind == "forest":
            return "XMLFOREST(" + ", ".join(f"{v} AS {quote_ident(unmap(n))}"
                                            for v, n in zip(args, xf[2])) + ")"
        if kind == "concat":
            return "XMLCONCAT(" + ", ".join(args) + ")"
        if kind == "parse":
            ws = "PRESERVE" if xf[2] else "STRIP"
            return (f"XMLPARSE({'DOCUMENT' if xf[1] else 'CONTENT'} {args[0]} "
                    f"{ws} WHITESPACE)")
        if kind == "pi":
            out = f"XMLPI(NAME {quote_ident(unmap(xf[1]))}"
            return out + (f", {args[0]})" if args else ")")
        if kind == "root":
            ver = e.args[1]
            version = "NO VALUE" if isinstance(ver, Const) and ver.value is None else args[1]
            out = f"XMLROOT({args[0]}, VERSION {version}"
            sa = {0: "YES", 1: "NO", 2: "NO VALUE"}.get(xf[1])
            return out + (f", STANDALONE {sa})" if sa else ")")
        if kind == "document":
            return f"{self.expr(e.args[0], False)} IS DOCUMENT"
        if kind == "serialize":
            _, document, indent, target, typmod = xf
            return (f"XMLSERIALIZE({'DOCUMENT' if document else 'CONTENT'} {args[0]} AS "
                    f"{_type(target, typmod)}{' INDENT' if indent else ' NO INDENT'})")
        return f"{e.name}({', '.join(args)})"

    def boolexpr(self, e: BoolExpr, top: bool) -> str:
        if e.op == "NOT":
            return self.paren(f"NOT {self.expr(e.args[0], False)}", top)
        parts = []
        for a in e.args:
            # pretty: an AND or NOT under AND/OR, or an OR under OR, needs no parentheses
            # (ruleutils' isSimpleNode); an OR under AND does
            child_top = self.pretty and not (isinstance(a, BoolExpr) and a.op == "OR"
                                             and e.op == "AND")
            parts.append(self.expr(a, child_top))
        return self.paren(f" {e.op} ".join(parts), top)


_SVF_WORDS = {"SVFOP_CURRENT_DATE": "CURRENT_DATE", "SVFOP_CURRENT_TIME": "CURRENT_TIME",
              "SVFOP_CURRENT_TIMESTAMP": "CURRENT_TIMESTAMP", "SVFOP_LOCALTIME": "LOCALTIME",
              "SVFOP_LOCALTIMESTAMP": "LOCALTIMESTAMP", "SVFOP_CURRENT_ROLE": "CURRENT_ROLE",
              "SVFOP_CURRENT_USER": "CURRENT_USER", "SVFOP_USER": "USER",
              "SVFOP_SESSION_USER": "SESSION_USER", "SVFOP_CURRENT_CATALOG": "CURRENT_CATALOG",
              "SVFOP_CURRENT_SCHEMA": "CURRENT_SCHEMA"}


def _svf_text(op: str, typmod: int) -> str:
    """CURRENT_DATE, CURRENT_TIME(2), ... (ruleutils' SQLValueFunction case)."""
    if op.endswith("_N"):
        return f"{_SVF_WORDS[op[:-2]]}({typmod})"
    return _SVF_WORDS[op]


def _type(oid: int, typmod: int) -> str:
    t = types.TYPES.get(oid)
    if t is None:
        return str(oid)
    if oid == 1560 and typmod < 0:
        return '"bit"'      # plain BIT means bit(1): a length-less bit is spelled quoted
    return t.format_type(typmod) if typmod >= 0 else t.sql_name
