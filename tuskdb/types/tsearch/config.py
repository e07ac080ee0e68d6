"""Text search configurations: a parser plus, per token type, the dictionaries to
consult in order.  The built-in ones (pg_ts_config/pg_ts_config_map/pg_ts_dict
rows with PostgreSQL's OIDs) come from ``catdata``; configurations created by
CREATE TEXT SEARCH CONFIGURATION are built by the caller from the catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tuskdb.errors import PgError
from tuskdb.types.tsearch import catdata
from tuskdb.types.tsearch.dicts import Dictionary, cached_dictionary, parse_dict_options

DEFAULT_PARSER = 3722
SIMPLE_CONFIG = 3748

TEMPLATE_NAMES = {oid: name for oid, name, _init, _lexize in catdata.TEMPLATES}
BUILTIN_DICTS = {oid: (name, tmpl, opts) for oid, name, tmpl, opts in catdata.DICTS}
BUILTIN_CONFIGS = {oid: (name, prs) for oid, name, prs in catdata.CONFIGS}


@dataclass
class TSConfig:
    oid: int
    name: str
    parser: int
    # token type -> dictionary OIDs, in mapseqno order
    map: dict[int, list[int]] = field(default_factory=dict)
    dictionary: Callable[[int], Dictionary] | None = None

    def dicts_for_oid(self, oid: int) -> Dictionary:
        return (self.dictionary or builtin_dictionary)(oid)

    def dicts_for(self, toktype: int) -> list[Dictionary]:
        oids = self.map.get(toktype)
        if not oids:
            return []
        get = self.dictionary or builtin_dictionary
        return [get(d) for d in oids]


def builtin_dictionary(oid: int) -> Dictionary:
    row = BUILTIN_DICTS.get(oid)
    if row is None:
        raise PgError("XX000", f"cache lookup failed for text search dictionary {oid}")
    _name, tmpl, opts = row
    return cached_dictionary(("builtin", oid), TEMPLATE_NAMES[tmpl], parse_dict_options(opts))


_BUILTIN_CFG: dict[int, TSConfig] = {}


def builtin_config(oid: int) -> TSConfig | None:
    cfg = _BUILTIN_CFG.get(oid)
    if cfg is None:
        row = BUILTIN_CONFIGS.get(oid)
        if row is None:
            return None
        cfg = TSConfig(oid, row[0], row[1])
        for mapcfg, toktype, _seq, mapdict in catdata.CONFIG_MAP:
            if mapcfg == oid:
                cfg.map.setdefault(toktype, []).append(mapdict)
        _BUILTIN_CFG[oid] = cfg
    return cfg


def builtin_config_by_name(name: str) -> TSConfig | None:
    for oid, (cname, _prs) in BUILTIN_CONFIGS.items():
        if cname == name:
            return builtin_config(oid)
    return None
