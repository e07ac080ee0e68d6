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


def parse_dict_options(text: str, typed: bool = False) -> list[Any]:
    """pg_ts_dict.dictinitoption ("language = 'english', casesensitive = 1") ->
    [(name, value)] or, with typed, [(name, value, is_number)]."""
    out: list[Any] = []
    for m in re.finditer(r"""\s*("(?:[^"]|"")*"|[^\s=,]+)\s*=\s*(?:(E?)'((?:[^'\\]|''|\\.)*)'|([^\s,]+))\s*,?""",
                         text):
        name = m.group(1)
        if name.startswith('"'):
            name = name[1:-1].replace('""', '"')
        if m.group(4) is not None:
            value, num = m.group(4), True
        else:
            value = m.group(3).replace("''", "'")
            if m.group(2):
                value = re.sub(r"\\(.)", r"\1", value)
            num = False
        out.append((name, value, num) if typed else (name, value))
    return out


def _quote_ident(name: str) -> str:
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def serialize_options(options: list[tuple[str, str, bool]]) -> str:
    """serialize_deflist: numbers bare, everything else quoted."""
    parts = []
    for name, value, num in options:
        if num:
            v = value
        else:
            v = ("E" if "\\" in value else "") + "'" + value.replace("\\", "\\\\") \
                .replace("'", "''") + "'"
        parts.append(f"{_quote_ident(name)} = {v}")
    return ", ".join(parts)


def def_boolean(name: str, value: str, num: bool) -> bool:
    if num:
        if value == "0":
            return False
        if value == "1":
            return True
    else:
        low = value.lower()
        if low in ("true", "on"):
            return True
        if low in ("false", "off"):
            return False
    raise PgError("42601", f"{name} requires a Boolean value")


class SynonymDictionary(Dictionary):
    """Template synonym: a word -> replacement file (a trailing * marks a prefix)."""

    def __init__(self, filename: str, case_sensitive: bool) -> None:
        path = share_file(filename, "syn")
        self.case_sensitive = case_sensitive
        self.map: dict[str, tuple[str, int]] = {}
        for line in read_file_lines(path, "syn", filename):
            parts = line.split()
            if len(parts) < 2:
                continue
            src, dst = parts[0], parts[1]
            flags = 0
            if dst.endswith("*"):
                dst = dst[:-1]
                flags = TSL_PREFIX
            if not case_sensitive:
                src, dst = ts_lower(src), ts_lower(dst)
            self.map.setdefault(src, (dst, flags))

    def lexize(self, token: str) -> list[Lexeme] | None:
        if not token:
            return None
        key = token if self.case_sensitive else ts_lower(token)
        hit = self.map.get(key)
        if hit is None:
            return None
        return [Lexeme(hit[0], 0, hit[1])]


def make_dictionary(template: str, options: list[tuple[str, str]],
                    resolver: Any = None, typed: list[tuple[str, str, bool]] | None = None
                    ) -> Dictionary:
    """Build a dictionary of a template from its options (the template's init)."""
    opts = typed if typed is not None else [(k, v, False) for k, v in options]
    if template == "simple":
        stop: frozenset[str] = frozenset()
        accept = True
        seen_stop = seen_accept = False
        for name, v, num in opts:
            if name == "stopwords":
                if seen_stop:
                    raise PgError("22023", "multiple StopWords parameters")
                seen_stop = True
                stop = stop_words(v)
            elif name == "accept":
                if seen_accept:
                    raise PgError("22023", "multiple Accept parameters")
                seen_accept = True
                accept = def_boolean(name, v, num)
            else:
                raise PgError("22023", f'unrecognized simple dictionary parameter: "{name}"')
        return SimpleDictionary(stop, accept)
    if template == "snowball":
        language = None
        stop = frozenset()
        seen_stop = False
        for name, v, _num in opts:
            if name == "stopwords":
                if seen_stop:
                    raise PgError("22023", "multiple StopWords parameters")
                seen_stop = True
                stop = stop_words(v)
            elif name == "language":
                if language is not None:
                    raise PgError("22023", "multiple Language parameters")
                language = v.lower()
            else:
                raise PgError("22023", f'unrecognized Snowball parameter: "{name}"')
        if language is None:
            raise PgError("22023", "missing Language parameter")
        return SnowballDictionary(language, stop)
    if template == "synonym":
        filename = None
        case = False
        for name, v, num in opts:
            if name == "synonyms":
                filename = v
            elif name == "casesensitive":
                case = def_boolean(name, v, num)
            else:
                raise PgError("22023", f'unrecognized synonym parameter: "{name}"')
        if filename is None:
            raise PgError("22023", "missing Synonyms parameter")
        return SynonymDictionary(filename, case)
    if template == "ispell":
        from tuskdb.types.tsearch.ispell import make_ispell
        return make_ispell(opts)
    if template == "thesaurus":
        from tuskdb.types.tsearch.thesaurus import make_thesaurus
        return make_thesaurus(opts, resolver)
    from tuskdb.errors import feature_not_supported
    raise feature_not_supported(f"text search dictionary template {template}")


_DICT_CACHE: dict[Any, Dictionary] = {}


def cached_dictionary(key: Any, template: str, options: list[tuple[str, str]],
                      resolver: Any = None) -> Dictionary:
    d = _DICT_CACHE.get(key)
    if d is None:
        typed = None
        if isinstance(key, tuple) and len(key) == 4:
            typed = parse_dict_options(key[3], typed=True)
        d = make_dictionary(template, options, resolver, typed)
        if len(_DICT_CACHE) > 128:
            _DICT_CACHE.clear()
        _DICT_CACHE[key] = d
    return d
