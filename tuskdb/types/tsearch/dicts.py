"""Text search dictionaries: the templates simple and snowball (and the stop word
files PostgreSQL ships, in ``data/``).

A dictionary's ``lexize(token)`` returns None when it does not recognise the
token (the next dictionary of the mapping is asked), an empty list for a stop
word (the token takes a position but yields no lexeme), or a list of
``Lexeme`` (text, nvariant, flags).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from tuskdb.errors import PgError

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
TSL_ADDPOS, TSL_PREFIX, TSL_FILTER = 0x01, 0x02, 0x04


@dataclass(frozen=True)
class Lexeme:
    lexeme: str
    nvariant: int = 0
    flags: int = 0


def ts_lower(s: str) -> str:
    """str_tolower of the database (UTF-8, C.UTF-8 ctype): per-character lowering."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


_STOP_CACHE: dict[str, frozenset[str]] = {}


def share_file(name: str, ext: str) -> str:
    """Path of a tsearch_data file (get_tsearch_config_filename)."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise PgError("22023", f'invalid text search configuration file name "{name}"')
    return os.path.join(DATA_DIR, f"{name}.{ext}")


def read_file_lines(path: str, ext: str, name: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except OSError:
        raise PgError("F0000", f'could not open {_FILE_KINDS.get(ext, "file")} "{path}": '
                      "No such file or directory") from None


_FILE_KINDS = {"stop": "stop-word file", "syn": "synonym file", "ths": "thesaurus file",
               "dict": "dictionary file", "affix": "affix file"}


def stop_words(name: str) -> frozenset[str]:
    words = _STOP_CACHE.get(name)
    if words is None:
        path = share_file(name, "stop")
        words = frozenset(w for w in (ts_lower(line.strip()) for line in
                                      read_file_lines(path, "stop", name)) if w)
        _STOP_CACHE[name] = words
    return words


class Dictionary:
    def lexize(self, token: str) -> list[Lexeme] | None:
        raise NotImplementedError


class SimpleDictionary(Dictionary):
    """Template simple: lower-cases; stop words give []; others the word, or None
    (not recognised) when Accept = false."""

    def __init__(self, stopwords: frozenset[str] = frozenset(), accept: bool = True) -> None:
        self.stopwords = stopwords
        self.accept = accept

    def lexize(self, token: str) -> list[Lexeme] | None:
        word = ts_lower(token)
        if not word or word in self.stopwords:
            return []
        if self.accept:
            return [Lexeme(word)]
        return None


class SnowballDictionary(Dictionary):
    """Template snowball: lower-cases, drops stop words, stems (words longer than
    1000 characters are kept as they are)."""

    # PostgreSQL 18's Dutch stemmer is Snowball's original (Porter-based) one
    _ALGORITHMS = {"dutch": "dutch_porter"}

    def __init__(self, language: str, stopwords: frozenset[str] = frozenset()) -> None:
        import snowballstemmer
        algo = self._ALGORITHMS.get(language, language)
        try:
            self.stemmer = snowballstemmer.stemmer(algo)
        except KeyError:
            raise PgError("22023", f'no Snowball stemmer available for language '
                          f'"{language}" and encoding "UTF8"') from None
        self.stopwords = stopwords

    def lexize(self, token: str) -> list[Lexeme] | None:
        word = ts_lower(token)
        if not word or word in self.stopwords:
            return []
        if len(word) > 1000:
            return [Lexeme(word)]
        return [Lexeme(self.stemmer.stemWord(word))]


def parse_dict_options(text: str) -> list[tuple[str, str]]:
    """pg_ts_dict.dictinitoption ("language = 'english', stopwords = 'english'")."""
    out = []
    for m in re.finditer(r"\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*,?", text):
        out.append((m.group(1), m.group(2).replace("''", "'")))
    return out


def make_dictionary(template: str, options: list[tuple[str, str]]) -> Dictionary:
    """Build a dictionary of a built-in template from its (name, value) options."""
    opts = [(k.lower(), k, v) for k, v in options]
    if template == "simple":
        stop: frozenset[str] = frozenset()
        accept = True
        seen_stop = seen_accept = False
        for low, orig, v in opts:
            if low == "stopwords":
                if seen_stop:
                    raise PgError("22023", "multiple StopWords parameters")
                seen_stop = True
                stop = stop_words(v)
            elif low == "accept":
                if seen_accept:
                    raise PgError("22023", "multiple Accept parameters")
                seen_accept = True
                accept = _bool_opt(v, "Accept")
            else:
                raise PgError("22023", f'unrecognized simple dictionary parameter: "{orig}"')
        return SimpleDictionary(stop, accept)
    if template == "snowball":
        language = None
        stop = frozenset()
        seen_stop = False
        for low, orig, v in opts:
            if low == "stopwords":
                if seen_stop:
                    raise PgError("22023", "multiple StopWords parameters")
                seen_stop = True
                stop = stop_words(v)
            elif low == "language":
                if language is not None:
                    raise PgError("22023", "multiple Language parameters")
                language = v.lower()
            else:
                raise PgError("22023", f'unrecognized Snowball parameter: "{orig}"')
        if language is None:
            raise PgError("22023", "missing Language parameter")
        return SnowballDictionary(language, stop)
    from tuskdb.errors import feature_not_supported
    raise feature_not_supported(f"text search dictionary template {template}")


def _bool_opt(v: str, name: str) -> bool:
    low = v.strip().lower()
    if low in ("true", "t", "yes", "y", "on", "1"):
        return True
    if low in ("false", "f", "no", "n", "off", "0"):
        return False
    raise PgError("22023", f'{name} requires a Boolean value')


_DICT_CACHE: dict[Any, Dictionary] = {}


def cached_dictionary(key: Any, template: str, options: list[tuple[str, str]]) -> Dictionary:
    d = _DICT_CACHE.get(key)
    if d is None:
        d = make_dictionary(template, options)
        _DICT_CACHE[key] = d
    return d
