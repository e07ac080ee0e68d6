"""The ispell template: Ispell/MySpell/Hunspell dictionaries (DictFile + AffFile).

Affix files in the old ispell format ("prefixes", "suffixes", "flag *B:" and
"mask > [-find,]add" rules) or the Hunspell format (PFX/SFX tables, FLAG
long|num, AF aliases, COMPOUNDFLAG/BEGIN/MIDDLE/END, ONLYINCOMPOUND,
COMPOUNDPERMITFLAG).  A word is normalised by trying the dictionary itself,
then every prefix, every suffix and suffix+prefix whose condition holds on the
base form and whose flag the base word carries; with compound flags, the word
is also split into dictionary words (SplitToVariants).  Output order and
variant numbering follow PostgreSQL's spell.c.
"""

from __future__ import annotations

import re
from tuskdb.errors import PgError
from tuskdb.types.tsearch.dicts import (
    Dictionary, Lexeme, read_file_lines, share_file, stop_words, ts_lower,
)

FF_COMPOUNDONLY, FF_COMPOUNDBEGIN, FF_COMPOUNDMIDDLE, FF_COMPOUNDLAST = 0x01, 0x02, 0x04, 0x08
FF_COMPOUNDFLAG = FF_COMPOUNDBEGIN | FF_COMPOUNDMIDDLE | FF_COMPOUNDLAST
FF_COMPOUNDFLAGMASK = 0x0F
FF_COMPOUNDPERMITFLAG, FF_COMPOUNDFORBIDFLAG, FF_CROSSPRODUCT = 0x10, 0x20, 0x40
FF_SUFFIX, FF_PREFIX = 1, 0
MAXNORMLEN = 256
MAX_NORM = 1024
FLAGNUM_MAXSIZE = 1 << 16

_CFE = "F0000"      # config_file_error


class Affix:
    __slots__ = ("flag", "flagflags", "type", "find", "repl", "regex")

    def __init__(self, flag: str, flagflags: int, mask: str, find: str, repl: str,
                 typ: int) -> None:
        if flagflags & (FF_COMPOUNDONLY | FF_COMPOUNDPERMITFLAG):
            if not flagflags & FF_COMPOUNDFLAG:
                flagflags |= FF_COMPOUNDFLAG
        self.flag = flag
        self.flagflags = flagflags
        self.type = typ
        self.find = find
        self.repl = repl
        if mask == ".":
            self.regex = None
        else:
            pat = mask + "$" if typ == FF_SUFFIX else "^" + mask
            try:
                self.regex = re.compile(pat)
            except re.error:
                raise PgError("2201B", f'invalid regular expression: "{mask}"') from None


class SplitVar:
    __slots__ = ("stems", "next")

    def __init__(self, stems: list[str]) -> None:
        self.stems = stems
        self.next: SplitVar | None = None


class IspellDictionary(Dictionary):
    def __init__(self) -> None:
        self.flag_mode = "char"
        self.use_aliases = False
        self.affix_data: list[str] = [""]
        self.compound_flags: dict[str, int] = {}
        self.usecompound = False
        self.affixes: list[Affix] = []
        self.spell: list[tuple[str, str]] = []         # (word, flag string) in file order
        self.words: dict[str, tuple[list[str], int]] = {}   # word -> (flag sets, compoundflag)
        self.prefixes: set[str] = set()
        self.compound_affixes: list[tuple[str, bool]] = []
        self.stopwords: frozenset[str] = frozenset()

    # --- flags -------------------------------------------------------------------------

    def flags_of(self, s: str) -> list[str]:
        """getNextFlagFromString over a whole flag set."""
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            if self.flag_mode == "num":
                m = re.match(r"\s*([+-]?\d+)", s[i:])
                if not m:
                    raise PgError(_CFE, f'invalid affix flag "{s[i:]}"')
                v = int(m.group(1))
                if v < 0 or v > FLAGNUM_MAXSIZE:
                    raise PgError(_CFE, f'affix flag "{s[i:]}" is out of range')
                out.append(str(v))
                i += m.end()
                met_comma = False
                while i < n:
                    c = s[i]
                    if c.isdigit():
                        if not met_comma:
                            raise PgError(_CFE, f'invalid affix flag "{s[i:]}"')
                        break
                    if c == ",":
                        if met_comma:
                            raise PgError(_CFE, f'invalid affix flag "{s[i:]}"')
                        met_comma = True
                    elif not c.isspace():
                        raise PgError(_CFE, f'invalid character in affix flag "{s[i:]}"')
                    i += 1
            elif self.flag_mode == "long":
                if i + 1 >= n:
                    raise PgError(_CFE, f'invalid affix flag "{s[i:]}" with "long" flag value')
                out.append(s[i:i + 2])
                i += 2
            else:
                out.append(s[i])
                i += 1
        return out

    def _flag_value(self, flag: str) -> str:
        if self.flag_mode == "num":
            try:
                v = int(flag)
            except ValueError:
                raise PgError(_CFE, f'invalid affix flag "{flag}"') from None
            return str(v)
        return flag

    def add_compound_flag(self, s: str, value: int) -> None:
        s = s.strip()
        if not s:
            raise PgError(_CFE, "syntax error")
        flag = s.split()[0]
        flag = self._flag_value(flag)
        self.compound_flags[flag] = self.compound_flags.get(flag, 0) | value

    def compound_value(self, flagset: str) -> int:
        v = 0
        for f in self.flags_of(flagset):
            v |= self.compound_flags.get(f, 0)
        return v

    def affix_flag_set(self, s: str) -> str:
        """getAffixFlagSet: an AF alias number stands for its flag set."""
        if self.use_aliases and s.strip().isdigit():
            idx = int(s)
            if idx < 1 or idx >= len(self.affix_data):
                raise PgError(_CFE, f'invalid affix alias "{s}"')
            return self.affix_data[idx]
        return s

    # --- loading -----------------------------------------------------------------------

    def import_dictionary(self, path: str, name: str) -> None:
        for line in read_file_lines(path, "dict", name):
            slash = line.find("/")
            if slash >= 0:
                word, flag = line[:slash], line[slash + 1:]
                m = re.match(r"[\x21-\x7e]*", flag)
                flag = m.group(0) if m else ""
            else:
                word, flag = line, ""
            word = word.split()[0] if word.split() else ""
            if not word:
                continue
            self.spell.append((ts_lower(word), flag))

    def import_affixes(self, path: str, name: str) -> None:
        lines = read_file_lines(path, "affix", name)
        suffixes = prefixes = oldformat = False
        flag = ""
        flagflags = 0
        for recoded in lines:
            pstr = ts_lower(recoded)
            if pstr.startswith("#") or pstr == "":
                continue
            if pstr.startswith("compoundwords"):
                m = re.search(r"[lL]", recoded)
                if m:
                    rest = recoded[m.start():]
                    rest = rest.split(None, 1)
                    if len(rest) > 1 and rest[1]:
                        self.add_compound_flag(rest[1][0], FF_COMPOUNDFLAG)
                        self.usecompound = True
                    oldformat = True
                    continue
            if pstr.startswith("suffixes"):
                suffixes, prefixes, oldformat = True, False, True
                continue
            if pstr.startswith("prefixes"):
                suffixes, prefixes, oldformat = False, True, True
                continue
            if pstr.startswith("flag"):
                s = recoded[4:].lstrip()
                flagflags = 0
                if s.startswith("*"):
                    flagflags |= FF_CROSSPRODUCT
                    s = s[1:]
                elif s.startswith("~"):
                    flagflags |= FF_COMPOUNDONLY
                    s = s[1:]
                if s.startswith("\\"):
                    s = s[1:]
                if s and len(s[0].encode("utf-8")) == 1:
                    flag = s[0]
                    rest = s[1:]
                    if rest == "" or rest[0] in "#\n:" or rest[0].isspace():
                        oldformat = True
                        continue
                return self._new_format(path, name, lines, oldformat)
            if recoded.startswith(("COMPOUNDFLAG", "COMPOUNDMIN", "PFX", "SFX")):
                return self._new_format(path, name, lines, oldformat)
            if not suffixes and not prefixes:
                continue
            entry = _parse_affentry(pstr)
            if entry is None:
                continue
            mask, find, repl = entry
            self.affixes.append(Affix(flag, flagflags, mask, find, repl,
                                      FF_SUFFIX if suffixes else FF_PREFIX))

    def _new_format(self, path: str, name: str, lines: list[str], oldformat: bool) -> None:
        if oldformat:
            raise PgError(_CFE, "affix file contains both old-style and new-style commands")
        self.affixes = []
        self.usecompound = False
        self.use_aliases = False
        self.flag_mode = "char"
        for recoded in lines:
            if not recoded or recoded[0].isspace() or recoded[0] == "#":
                continue
            for key, val in (("COMPOUNDFLAG", FF_COMPOUNDFLAG),
                             ("COMPOUNDBEGIN", FF_COMPOUNDBEGIN),
                             ("COMPOUNDLAST", FF_COMPOUNDLAST),
                             ("COMPOUNDEND", FF_COMPOUNDLAST),
                             ("COMPOUNDMIDDLE", FF_COMPOUNDMIDDLE),
                             ("ONLYINCOMPOUND", FF_COMPOUNDONLY),
                             ("COMPOUNDPERMITFLAG", FF_COMPOUNDPERMITFLAG),
                             ("COMPOUNDFORBIDFLAG", FF_COMPOUNDFORBIDFLAG)):
                if recoded.startswith(key):
                    self.add_compound_flag(recoded[len(key):], val)
                    if val & FF_COMPOUNDFLAG:
                        self.usecompound = True
                    break
            else:
                if recoded.startswith("FLAG"):
                    s = recoded[4:].strip()
                    if s:
                        if s.startswith("long"):
                            self.flag_mode = "long"
                        elif s.startswith("num"):
                            self.flag_mode = "num"
                        elif not s.startswith("default"):
                            raise PgError(_CFE, 'Ispell dictionary supports only "default", '
                                          '"long", and "num" flag values')
        naffix = 0
        flagflags = 0
        is_suffix = False
        for recoded in lines:
            if not recoded or recoded[0].isspace() or recoded[0] == "#":
                continue
            fields = recoded.split()
            ptype = ts_lower(fields[0]) if fields else ""
            if ptype.startswith("af"):
                sflag = fields[1] if len(fields) > 1 else ""
                if not self.use_aliases:
                    self.use_aliases = True
                    try:
                        naffix = int(re.match(r"\s*([+-]?\d*)", sflag).group(1) or 0)
                    except ValueError:
                        naffix = 0
                    if naffix <= 0:
                        raise PgError(_CFE, "invalid number of flag vector aliases")
                    naffix += 1
                    self.affix_data = [""]
                else:
                    if len(self.affix_data) < naffix:
                        self.affix_data.append(sflag)
                    else:
                        raise PgError(_CFE, "number of aliases exceeds specified number "
                                      f"{naffix - 1}")
                continue
            if len(fields) < 4 or not (ptype.startswith("sfx") or ptype.startswith("pfx")):
                continue
            sflag = fields[1]
            if not sflag or (len(sflag) > 1 and self.flag_mode == "char") or \
                    (len(sflag) > 2 and self.flag_mode == "long"):
                continue
            if len(fields) == 4:
                is_suffix = ptype.startswith("sfx")
                flagflags = FF_CROSSPRODUCT if fields[2] in ("y", "Y") else 0
                continue
            find, repl = fields[2], fields[3]
            mask = fields[4] if len(fields) > 4 else ""
            aflg = 0
            slash = repl.find("/")
            if slash >= 0:
                aflg |= self.compound_value(self.affix_flag_set(repl[slash + 1:]))
                prepl = ts_lower(repl[:slash])
            else:
                prepl = ts_lower(repl)
            pfind = "" if find.startswith("0") else ts_lower(find)
            if repl.startswith("0"):
                prepl = ""
            self.affixes.append(Affix(self._flag_value(sflag) if self.flag_mode == "num"
                                      else sflag, flagflags | aflg, ts_lower(mask), pfind,
                                      prepl, FF_SUFFIX if is_suffix else FF_PREFIX))

    def sort_dictionary(self) -> None:
        if self.use_aliases:
            entries = []
            for word, flag in self.spell:
                if flag:
                    m = re.match(r"[+-]?\d+", flag)
                    if not m:
                        raise PgError(_CFE, f'invalid affix alias "{flag}"')
                    idx = int(m.group(0))
                    if idx < 0 or idx >= len(self.affix_data):
                        raise PgError(_CFE, f'invalid affix alias "{flag}"')
                    end = flag[m.end():]
                    if end and not end[0].isdigit() and not end[0].isspace():
                        raise PgError(_CFE, f'invalid affix alias "{flag}"')
                    entries.append((word, self.affix_data[idx]))
                else:
                    entries.append((word, ""))
        else:
            entries = list(self.spell)
        entries.sort(key=lambda e: e[0].encode("utf-8"))
        for word, flagset in entries:
            cflag = self.compound_value(flagset) & FF_COMPOUNDFLAGMASK
            old = self.words.get(word)
            if old is None:
                self.words[word] = ([flagset], cflag)
            else:
                clear_only = not (FF_COMPOUNDONLY & old[1] & cflag)
                merged = old[1] | cflag
                if clear_only:
                    merged &= ~FF_COMPOUNDONLY
                self.words[word] = (old[0] + [flagset], merged)
            for i in range(1, len(word) + 1):
                self.prefixes.add(word[:i])

    def sort_affixes(self) -> None:
        def key(a: Affix) -> tuple[int, bytes]:
            r = a.repl.encode("utf-8")
            return (a.type, r[::-1] if a.type == FF_SUFFIX else r)
        # prefixes first (type 0), as PostgreSQL's cmpaffix orders them
        self.affixes.sort(key=key)
        used = set()
        for flagsets, _c in self.words.values():
            for fs in flagsets:
                used.update(self.flags_of(fs))
        last: tuple[str, bool] | None = None
        for a in self.affixes:
            if a.flagflags & FF_COMPOUNDFLAG and a.repl and a.flag in used:
                issuffix = a.type == FF_SUFFIX
                if last is None or issuffix != last[1] or not _strbncmp_eq(last[0], a.repl,
                                                                           len(last[0])):
                    last = (a.repl, issuffix)
                    self.compound_affixes.append(last)

    # --- normalisation -------------------------------------------------------------------

    def find_word(self, word: str, affixflag: str | None, flag: int) -> bool:
        flag &= FF_COMPOUNDFLAGMASK
        hit = self.words.get(word)
        if hit is None:
            return False
        flagsets, cflag = hit
        if flag == 0:
            if cflag & FF_COMPOUNDONLY:
                return False
        elif not flag & cflag:
            return False
        if affixflag is None:
            return True
        for fs in flagsets:
            if affixflag in self.flags_of(fs):
                return True
        return False

    def _check_affix(self, word: str, a: Affix, flagflags: int, baselen: int | None
                     ) -> tuple[str, int | None] | None:
        if flagflags == 0:
            if a.flagflags & FF_COMPOUNDONLY:
                return None
        elif flagflags & FF_COMPOUNDBEGIN:
            if a.flagflags & FF_COMPOUNDFORBIDFLAG:
                return None
            if not a.flagflags & FF_COMPOUNDBEGIN and a.type == FF_SUFFIX:
                return None
        elif flagflags & FF_COMPOUNDMIDDLE:
            if not a.flagflags & FF_COMPOUNDMIDDLE or a.flagflags & FF_COMPOUNDFORBIDFLAG:
                return None
        elif flagflags & FF_COMPOUNDLAST:
            if a.flagflags & FF_COMPOUNDFORBIDFLAG:
                return None
            if not a.flagflags & FF_COMPOUNDLAST and a.type == FF_PREFIX:
                return None
        if a.type == FF_SUFFIX:
            newword = word[:len(word) - len(a.repl)] + a.find
            baselen = len(word) - len(a.repl)
        else:
            if baselen is not None and baselen + len(a.find) <= len(a.repl):
                return None
            newword = a.find + word[len(a.repl):]
        if a.regex is None or a.regex.search(newword):
            return newword, baselen
        return None

    def _affixes_for(self, word: str, typ: int) -> list[Affix]:
        out = [a for a in self.affixes if a.type == typ and
               (word.endswith(a.repl) if typ == FF_SUFFIX else word.startswith(a.repl))]
        out.sort(key=lambda a: len(a.repl))     # the trie yields shorter affixes first
        return out

    def normalize_subword(self, word: str, flag: int) -> list[str] | None:
        if len(word.encode("utf-8")) > MAXNORMLEN:
            return None
        forms: list[str] = []

        def add(w: str) -> None:
            if len(forms) >= MAX_NORM - 1:
                return
            if not forms or forms[-1] != w:
                forms.append(w)
        if self.find_word(word, None, flag):
            add(word)
        for p in self._affixes_for(word, FF_PREFIX):
            r = self._check_affix(word, p, flag, None)
            if r is not None and self.find_word(r[0], p.flag, flag):
                add(r[0])
        for s in self._affixes_for(word, FF_SUFFIX):
            r = self._check_affix(word, s, flag, None)
            if r is None:
                continue
            newword, baselen = r
            if self.find_word(newword, s.flag, flag):
                add(newword)
            for p in self._affixes_for(newword, FF_PREFIX):
                r2 = self._check_affix(newword, p, flag, baselen)
                if r2 is None:
                    continue
                ff = None if (p.flagflags & s.flagflags & FF_CROSSPRODUCT) else p.flag
                if self.find_word(r2[0], ff, flag):
                    add(r2[0])
        return forms or None

    def _check_compound_affixes(self, idx: int, word: str, in_place: bool
                                ) -> tuple[int, int]:
        """(length, next index) of the next compound affix at/in word, or (-1, idx)."""
        n = len(self.compound_affixes)
        while idx < n:
            aff, issuffix = self.compound_affixes[idx]
            idx += 1
            if in_place:
                if len(word) > len(aff) and word.startswith(aff):
                    return (len(aff) if issuffix else 0), idx
            else:
                pos = word.find(aff)
                if len(word) > len(aff) and pos >= 0:
                    return ((len(aff) + pos) if issuffix else 0), idx
        return -1, idx

    def split_to_variants(self, node: str | None, orig: SplitVar | None, word: str,
                          startpos: int, minpos: int) -> SplitVar:
        wordlen = len(word)
        level = minpos if node is not None else startpos
        if node is None:
            node = ""
        cur: str | None = node          # trie position: the prefix matched from startpos
        notprobed = [True] * wordlen
        var = SplitVar(list(orig.stems) if orig is not None else [])
        while level < wordlen:
            cidx = 0
            while level > startpos:
                lenaff, cidx = self._check_compound_affixes(cidx, word[level:], cur is not None)
                if lenaff < 0:
                    break
                lenaff = level - startpos + lenaff
                if not notprobed[startpos + lenaff - 1]:
                    continue
                if level + lenaff - 1 <= minpos:
                    continue
                if lenaff >= MAXNORMLEN:
                    continue
                buf = word[startpos:startpos + lenaff]
                if level == 0:
                    cflag = FF_COMPOUNDBEGIN
                elif level == wordlen - 1:
                    cflag = FF_COMPOUNDLAST
                else:
                    cflag = FF_COMPOUNDMIDDLE
                subres = self.normalize_subword(buf, cflag)
                if subres:
                    new = SplitVar(list(var.stems) + subres)
                    notprobed[startpos + lenaff - 1] = False
                    ptr = var
                    while ptr.next is not None:
                        ptr = ptr.next
                    ptr.next = self.split_to_variants(None, new, word, startpos + lenaff,
                                                      startpos + lenaff)
            if cur is None:
                break
            nxt = cur + word[level]
            if nxt in self.prefixes:
                if startpos == 0:
                    cflag = FF_COMPOUNDBEGIN
                elif level == wordlen - 1:
                    cflag = FF_COMPOUNDLAST
                else:
                    cflag = FF_COMPOUNDMIDDLE
                hit = self.words.get(nxt)
                if hit is not None and hit[1] & cflag and notprobed[level]:
                    if level > minpos:
                        if wordlen == level + 1:
                            var.stems.append(word[startpos:])
                            return var
                        ptr = var
                        while ptr.next is not None:
                            ptr = ptr.next
                        ptr.next = self.split_to_variants(cur, var, word, startpos, level)
                        level += 1
                        var.stems.append(word[startpos:level])
                        cur = ""
                        startpos = level
                        continue
                cur = nxt
            else:
                cur = None
            level += 1
        var.stems.append(word[startpos:])
        return var

    def normalize(self, word: str) -> list[Lexeme]:
        out: list[Lexeme] = []
        nvariant = 1
        res = self.normalize_subword(word, 0)
        if res:
            for w in res:
                if len(out) >= MAX_NORM:
                    break
                out.append(Lexeme(w, nvariant))
                nvariant += 1
        if self.usecompound:
            var: SplitVar | None = self.split_to_variants(None, None, word, 0, -1)
            while var is not None:
                if len(var.stems) > 1:
                    sub = self.normalize_subword(var.stems[-1], FF_COMPOUNDLAST)
                    if sub:
                        for s in sub:
                            for stem in var.stems[:-1]:
                                out.append(Lexeme(stem, nvariant))
                            out.append(Lexeme(s, nvariant))
                            nvariant += 1
                var = var.next
        return out

    def lexize(self, token: str) -> list[Lexeme] | None:
        if not token:
            return None
        res = self.normalize(ts_lower(token))
        if not res:
            return None
        return [lx for lx in res if lx.lexeme not in self.stopwords]


def _strbncmp_eq(a: str, b: str, n: int) -> bool:
    """strbncmp(a, b, n) == 0: the last n bytes of a and b are equal."""
    ab, bb = a.encode("utf-8"), b.encode("utf-8")
    return ab[-n:] == bb[-n:] if n else True


def _parse_affentry(s: str) -> tuple[str, str, str] | None:
    """Old ispell rule "mask > [-find,]add" (comments after #)."""
    s = s.split("#", 1)[0]
    if ">" not in s:
        return None
    mask, rest = s.split(">", 1)
    mask = "".join(mask.split())
    rest = "".join(rest.split())
    if not mask or not rest:
        return None
    if rest.startswith("-"):
        if "," not in rest:
            return None
        find, repl = rest[1:].split(",", 1)
    else:
        find, repl = "", rest
    return mask, find, repl


def make_ispell(opts: list[tuple[str, str, bool]]) -> IspellDictionary:
    d = IspellDictionary()
    dictloaded = affloaded = stoploaded = False
    for name, value, _num in opts:
        if name == "dictfile":
            if dictloaded:
                raise PgError("22023", "multiple DictFile parameters")
            d.import_dictionary(share_file(value, "dict"), value)
            dictloaded = True
        elif name == "afffile":
            if affloaded:
                raise PgError("22023", "multiple AffFile parameters")
            d.import_affixes(share_file(value, "affix"), value)
            affloaded = True
        elif name == "stopwords":
            if stoploaded:
                raise PgError("22023", "multiple StopWords parameters")
            d.stopwords = stop_words(value)
            stoploaded = True
        else:
            raise PgError("22023", f'unrecognized Ispell parameter: "{name}"')
    if affloaded and dictloaded:
        d.sort_dictionary()
        d.sort_affixes()
    elif not affloaded:
        raise PgError("22023", "missing AffFile parameter")
    else:
        raise PgError("22023", "missing DictFile parameter")
    return d

