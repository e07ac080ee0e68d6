"""The thesaurus template: phrases replaced by substitute phrases.

The file has one rule per line, "sample words : substitute words".  Sample
words are normalised with the subdictionary when the dictionary is built ("?"
stands for any stop word); substitute words too, unless written with a leading
"*".  parsetext asks ``match`` for the longest rule matching the tokens from the
current one on; the substitute's first word takes the phrase's position and each
further word the next position (TSL_ADDPOS).
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.tsearch.dicts import (
    TSL_ADDPOS, Dictionary, Lexeme, read_file_lines, share_file,
)

_STOP = "?"


class ThesaurusDictionary(Dictionary):
    multiword = True

    def __init__(self, filename: str, subdict: Dictionary) -> None:
        self.subdict = subdict
        # rules: (sample: list of frozenset | "?", substitute lexemes)
        self.rules: list[tuple[list[Any], list[str]]] = []
        path = share_file(filename, "ths")
        for lineno, line in enumerate(read_file_lines(path, "ths", filename), start=1):
            text = line.split("#", 1)[0]
            if not text.strip():
                continue
            if ":" not in text:
                raise PgError("F0000", "unexpected end of line")
            left, right = text.split(":", 1)
            sample_words = left.split()
            subst_words = right.split()
            if not sample_words:
                raise PgError("F0000", "unexpected delimiter")
            if not subst_words:
                raise PgError("F0000", "unexpected end of line or lexeme")
            nrule = len(self.rules) + 1
            sample: list[Any] = []
            for w in sample_words:
                if w == _STOP:
                    sample.append(_STOP)
                    continue
                res = subdict.lexize(w)
                if res is None:
                    raise PgError("F0000", f'thesaurus sample word "{w}" isn\'t recognized '
                                  f"by subdictionary (rule {nrule})")
                if not res:
                    raise PgError("F0000", f'thesaurus sample word "{w}" is a stop word (rule '
                                  f"{nrule})", hint='Use "?" to represent a stop word within '
                                  "a sample phrase.")
                sample.append(frozenset(lx.lexeme for lx in res))
            subst: list[str] = []
            for w in subst_words:
                if w.startswith("*"):
                    subst.append(w[1:])
                    continue
                res = subdict.lexize(w)
                if res is None:
                    raise PgError("F0000", f'thesaurus substitute word "{w}" isn\'t '
                                  f"recognized by subdictionary (rule {nrule})")
                if not res:
                    raise PgError("F0000", f'thesaurus substitute word "{w}" is a stop word '
                                  f"(rule {nrule})")
                subst.extend(lx.lexeme for lx in res)
            self.rules.append((sample, subst))

    def normalize(self, token: str) -> list[str] | None:
        res = self.subdict.lexize(token)
        if res is None:
            return None
        return [lx.lexeme for lx in res]

    def match(self, tokens: list[list[str] | None]) -> tuple[list[Lexeme], int] | None:
        """Longest rule matching a prefix of ``tokens`` (each the subdictionary's
        lexemes, [] for a stop word, None if unrecognised): (lexemes, tokens used)."""
        best: tuple[list[Lexeme], int] | None = None
        for sample, subst in self.rules:
            n = len(sample)
            if n > len(tokens) or (best is not None and n <= best[1]):
                continue
            ok = True
            for want, got in zip(sample, tokens):
                if got is None:
                    ok = False
                elif want == _STOP:
                    ok = not got
                else:
                    ok = bool(got) and any(g in want for g in got)
                if not ok:
                    break
            if ok:
                lexemes = [Lexeme(w, 1, TSL_ADDPOS if i else 0) for i, w in enumerate(subst)]
                best = (lexemes, n)
        return best

    def lexize(self, token: str) -> list[Lexeme] | None:
        m = self.match([self.normalize(token)])
        return m[0] if m is not None else None


def make_thesaurus(opts: list[tuple[str, str, bool]], resolver: Any) -> ThesaurusDictionary:
    filename = None
    subname = None
    for name, value, _num in opts:
        if name == "dictfile":
            if filename is not None:
                raise PgError("22023", "multiple DictFile parameters")
            filename = value
        elif name == "dictionary":
            if subname is not None:
                raise PgError("22023", "multiple Dictionary parameters")
            subname = value
        else:
            raise PgError("22023", f'unrecognized Thesaurus parameter: "{name}"')
    if filename is None:
        raise PgError("22023", "missing DictFile parameter")
    if subname is None:
        raise PgError("22023", "missing Dictionary parameter")
    if resolver is None:
        raise PgError("0A000", "thesaurus dictionaries need the catalogs")
    return ThesaurusDictionary(filename, resolver(subname))
