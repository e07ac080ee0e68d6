"""Relation files: block images, the block map, page kinds.

A relation (heap, B-tree, sequence) is an array of blocks addressed by
block number.  In memory a block is a decoded `Page` object in the buffer
cache (`Relation.blocks[blkno]`, None when not loaded).  On disk:

``base/<dboid>/<relnumber>.<gen>``  the data file: block images, appended,
                                     never overwritten in place;
``base/<dboid>/<relnumber>.map``     the block map: for each block, offset
                                     and length of its current image in the
                                     data file; replaced atomically at each
                                     checkpoint.

Because an image is never overwritten, a torn write can only hit an image
that no durable map points to yet: torn pages are impossible by
construction (PostgreSQL needs full-page images for this).  Images written
since the last checkpoint (evictions) are only reachable through the
in-memory map; after a crash the checkpoint's map is used and redo brings
the blocks forward.  A checkpoint that finds a data file mostly garbage
rewrites it into a new generation (`compact`).

Image layout (little endian)::

    u16 magic 0x7D5B | u8 page kind | u8 format version | u32 blkno
    u64 page LSN | u32 payload length | u32 CRC-32 of all the rest
    ... payload (page kind specific, see `Page.serialize`)

Map layout: ``b"TMAP" u16 version u16 kind u32 generation u32 nblocks`` then per
block ``u64 offset u32 length`` (offset 2**64-1: never written), then a
u32 CRC of everything before it.
"""

from __future__ import annotations

import os
import struct
import zlib
from typing import Any, ClassVar, NamedTuple

from tuskdb.errors import DATA_CORRUPTED, UNDEFINED_FILE, PgError

IMAGE_MAGIC = 0x7D5B
_IMG = struct.Struct("<HBBIQII")
IMAGE_HEADER = _IMG.size  # 24
_MAPHDR = struct.Struct("<4sHHII")
KIND_CODES = {"heap": 1, "btree": 2, "sequence": 3}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
_MAPENT = struct.Struct("<QI")
NO_IMAGE = (1 << 64) - 1


class RelFileLocator(NamedTuple):
    dboid: int
    relnumber: int

    def path(self) -> str:
        return f"base/{self.dboid}/{self.relnumber}"


class Page:
    """Base of all decoded blocks.  Subclasses define KIND_ID, serialize(),
    deserialize(), and their own slots."""

    __slots__ = ("blkno", "dirty", "lsn", "rel", "usage")
    KIND_ID: ClassVar[int] = 0
    FORMAT_VERSION: ClassVar[int] = 1

    def __init__(self, blkno: int) -> None:
        self.blkno = blkno
        self.lsn = 0
        self.dirty = False
        self.usage = 1
        self.rel: Relation | None = None

    def serialize(self) -> bytes:
        raise NotImplementedError

    @classmethod
    def deserialize(cls, blkno: int, payload: memoryview) -> Page:
        raise NotImplementedError

    @classmethod
    def new(cls, blkno: int, rel: Relation) -> Page:
        return cls(blkno)


# kind name ("heap", "btree", "sequence") -> page class; filled by access
PAGE_KINDS: dict[str, type[Page]] = {}


def register_page_kind(kind: str, cls: type[Page]) -> None:
    PAGE_KINDS[kind] = cls


def encode_image(page: Page) -> bytes:
    payload = page.serialize()
    hdr = _IMG.pack(IMAGE_MAGIC, page.KIND_ID, page.FORMAT_VERSION, page.blkno,
                    page.lsn, len(payload), 0)
    crc = zlib.crc32(payload, zlib.crc32(hdr[:-4]))
    return hdr[:-4] + struct.pack("<I", crc) + payload


class Relation:
    """One relation: loaded blocks, block map, data file, statistics."""

    def __init__(self, locator: RelFileLocator, kind: str, datadir: str | None) -> None:
        self.locator = locator
        self.kind = kind
        self.page_cls = PAGE_KINDS[kind]
        self.blocks: list[Page | None] = []
        self.datadir = datadir
        self.dropped = False
        # on-disk state
        self.map_off: list[int] = []
        self.map_len: list[int] = []
        self.gen = 0
        self.fd: int | None = None
        self.data_size = 0
        self.live_bytes = 0
        self.map_dirty = True
        self.fd_dirty = False
        # statistics for autovacuum / pg_stat_user_tables
        self.n_live_tup = 0
        self.n_dead_tup = 0
        self.n_tup_ins = 0
        self.n_tup_upd = 0
        self.n_tup_del = 0
        # free space map: blocks known to have room (not persisted)
        self.fsm: list[int] = []
        self.vacuuming = False
        # access-method private state (e.g. B-tree root cache)
        self.am: Any = None

    @property
    def nblocks(self) -> int:
        return len(self.blocks)

    # -- paths -----------------------------------------------------------

    def _base(self) -> str:
        assert self.datadir is not None
        return os.path.join(self.datadir, "base", str(self.locator.dboid),
                            str(self.locator.relnumber))

    def data_path(self, gen: int | None = None) -> str:
        return f"{self._base()}.{self.gen if gen is None else gen}"

    def map_path(self) -> str:
        return self._base() + ".map"

    def display_path(self) -> str:
        return self.locator.path()

    # -- opening ---------------------------------------------------------

    def load_map(self) -> bool:
        """Read the block map from disk; False if the relation has none."""
        try:
            with open(self.map_path(), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return False
        if len(data) < _MAPHDR.size + 4:
            raise PgError(DATA_CORRUPTED, f'invalid block map in file "{self.display_path()}.map"')
        crc = struct.unpack_from("<I", data, len(data) - 4)[0]
        if zlib.crc32(memoryview(data)[:-4]) != crc:
            raise PgError(DATA_CORRUPTED, f'invalid block map in file "{self.display_path()}.map"')
        magic, _version, _kind, gen, n = _MAPHDR.unpack_from(data, 0)
        if magic != b"TMAP":
            raise PgError(DATA_CORRUPTED, f'invalid block map in file "{self.display_path()}.map"')
        self.gen = gen
        offs = []
        lens = []
        pos = _MAPHDR.size
        live = 0
        for _ in range(n):
            o, ln = _MAPENT.unpack_from(data, pos)
            pos += _MAPENT.size
            offs.append(o)
            lens.append(ln)
            if o != NO_IMAGE:
                live += ln
        self.map_off = offs
        self.map_len = lens
        self.live_bytes = live
        self.blocks = [None] * n
        self._remove_other_generations()
        self.open_fd()
        self.map_dirty = False
        return True

    def _remove_other_generations(self) -> None:
        """Data files of other generations are leftovers of a compaction
        interrupted by a crash: the map names the live one."""
        base = self._base()
        d = os.path.dirname(base)
        prefix = os.path.basename(base) + "."
        try:
            names = os.listdir(d)
        except FileNotFoundError:
            return
        for name in names:
            if name.startswith(prefix):
                suffix = name[len(prefix):]
                if suffix.isdigit() and int(suffix) != self.gen:
                    try:
                        os.unlink(os.path.join(d, name))
                    except FileNotFoundError:
                        pass

    def open_fd(self) -> None:
        if self.fd is None and self.datadir is not None:
            path = self.data_path()
            self.fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            self.data_size = os.fstat(self.fd).st_size

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    # -- block images ----------------------------------------------------

    def read_image(self, blkno: int) -> Page:
        """Read and decode block `blkno` from the data file."""
        page_cls = self.page_cls
        if blkno >= len(self.map_off) or self.map_off[blkno] == NO_IMAGE:
            # extended but never written (e.g. after a crash, before redo)
            page = page_cls.new(blkno, self)
            return page
        off = self.map_off[blkno]
        ln = self.map_len[blkno]
        if self.fd is None:
            self.open_fd()
        data = os.pread(self.fd, ln, off)  # type: ignore[arg-type]
        if len(data) != ln:
            raise PgError(DATA_CORRUPTED,
                          f'could not read block {blkno} in file "{self.display_path()}": '
                          f"read only {len(data)} of {ln} bytes")
        if ln < IMAGE_HEADER:
            raise self._invalid(blkno)
        magic, kind, version, b, lsn, plen, crc = _IMG.unpack_from(data, 0)
        if (magic != IMAGE_MAGIC or b != blkno or kind != page_cls.KIND_ID
                or plen != ln - IMAGE_HEADER
                or zlib.crc32(memoryview(data)[IMAGE_HEADER:], zlib.crc32(memoryview(data)[:20])) != crc):
            raise self._invalid(blkno)
        if version != page_cls.FORMAT_VERSION:
            raise PgError(DATA_CORRUPTED,
                          f"unsupported page format version {version} in block {blkno} of "
                          f'relation "{self.display_path()}"')
        try:
            page = page_cls.deserialize(blkno, memoryview(data)[IMAGE_HEADER:])
        except PgError:
            raise
        except Exception:  # noqa: BLE001 - any decoding failure is a corrupt page
            raise self._invalid(blkno) from None
        page.lsn = lsn
        return page

    def _invalid(self, blkno: int) -> PgError:
        return PgError(DATA_CORRUPTED,
                       f'invalid page in block {blkno} of relation "{self.display_path()}"')

    def write_image(self, page: Page) -> None:
        """Append the page's image to the data file and point the map at it."""
        img = encode_image(page)
        if self.fd is None:
            self.open_fd()
        off = self.data_size
        mv = memoryview(img)
        pos = off
        while mv:
            n = os.pwrite(self.fd, mv, pos)  # type: ignore[arg-type]
            mv = mv[n:]
            pos += n
        self.data_size = off + len(img)
        blkno = page.blkno
        offs = self.map_off
        while len(offs) <= blkno:
            offs.append(NO_IMAGE)
            self.map_len.append(0)
        if offs[blkno] != NO_IMAGE:
            self.live_bytes -= self.map_len[blkno]
        offs[blkno] = off
        self.map_len[blkno] = len(img)
        self.live_bytes += len(img)
        self.map_dirty = True
        self.fd_dirty = True
        page.dirty = False

    def encode_map(self) -> bytes:
        n = len(self.blocks)
        offs = self.map_off
        lens = self.map_len
        parts = [_MAPHDR.pack(b"TMAP", 1, KIND_CODES[self.kind], self.gen, n)]
        ent = _MAPENT.pack
        for i in range(n):
            if i < len(offs):
                parts.append(ent(offs[i], lens[i]))
            else:
                parts.append(ent(NO_IMAGE, 0))
        body = b"".join(parts)
        return body + struct.pack("<I", zlib.crc32(body))

    def needs_compaction(self) -> bool:
        return self.data_size > 4 * 1024 * 1024 and self.data_size > 3 * self.live_bytes


def map_kind(path: str) -> str:
    """The relation kind recorded in a map file."""
    with open(path, "rb") as f:
        data = f.read(_MAPHDR.size)
    if len(data) < _MAPHDR.size or data[:4] != b"TMAP":
        raise PgError(DATA_CORRUPTED, f'invalid block map in file "{path}"')
    kind = _MAPHDR.unpack(data)[2]
    if kind not in KIND_NAMES:
        raise PgError(DATA_CORRUPTED, f'invalid block map in file "{path}"')
    return KIND_NAMES[kind]


def undefined_file(locator: RelFileLocator) -> PgError:
    return PgError(UNDEFINED_FILE,
                   f'could not open file "{locator.path()}": No such file or directory')
