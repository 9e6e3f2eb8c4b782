"""Build: every report under RAW -> checked tables in OUT, cached and in parallel.

A file is read once in this process and hashed; a parse result already in the
cache (``OUT/.cache/v<PARSER_VERSION>.sqlite``, keyed by sha256 and suffix) is reused,
the rest are parsed here (``jobs=1``), in worker processes, or on a dask
cluster. The results are appended in path order by
:func:`gkdata.corpus.stream`, so every executor writes the same bytes. All of
OUT, cache included, is written beside it and swapped in at the end
(:func:`gkdata.store.replacing`): an interrupted build leaves OUT as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

from . import formats, store
from .corpus import STATUSES, Corpus, Result, compact, find_inputs, read_input, read_one, stream
from .findings import SEVERITIES

# Output-only modules: changing them cannot change a parse result.
_NOT_READING = {"batch.py", "cli.py", "excel.py", "plots.py", "store.py", "synth.py", "views.py"}


def _source_version() -> str:
    """A hash of the source of every module that reads reports, so that any change to reading
    (decode, layouts, labels, tables, checks …) sets cached results of the old code aside."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.name not in _NOT_READING:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = _source_version()
EXECUTORS = ("processes", "dask")
BATCH = 16  # files per task sent to a worker


def parse(source: bytes | str | os.PathLike, name: str) -> Result:
    """Parse one file's bytes (or path) in whatever process runs it.

    >>> parse(b"", "empty.txt").error
    'the file is empty'
    """
    return compact(read_one(source, name))


def parse_many(tasks: list[tuple[bytes, str]]) -> list[bytes]:
    """:func:`parse` for several files (one round trip to a worker), pickled: the worker does the
    pickling the cache needs, and the main process only unpickles."""
    return [pickle.dumps(parse(data, name)) for data, name in tasks]


@dataclass(frozen=True)
class Built:
    """What a build did: the corpus it wrote, where, how many files came from the cache, how long."""

    corpus: Corpus
    out: Path
    from_cache: int
    seconds: float

    def __str__(self) -> str:
        r, f = self.corpus.reports, self.corpus.findings
        status = " · ".join(f"{int((r['status'] == s).sum())} {s}" for s in STATUSES)
        sev = ", ".join(f"{int((f['severity'] == s).sum())} {s}" for s in SEVERITIES)
        return (f"{len(r)} files · {status} · {self.from_cache} from cache · findings: {sev} · "
                f"{self.seconds:.2f} s -> {self.out}")


def build(raw: str | os.PathLike = "data/raw", out: str | os.PathLike = "data/processed", jobs: int = 1,
          executor: str = "processes", scheduler: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> Built:
    """Parse every file under ``raw`` (recursively) and write the corpus to ``out``.

    ``out`` gets ``<table>.parquet`` and ``<table>.csv`` for reports, disclosure,
    applications, appeals, narrative and findings, a ``manifest.json`` (build
    time, parse time per file) and the ``.cache``. ``jobs`` > 1 parses in that
    many processes; ``executor="dask"`` parses on the dask.distributed cluster
    at ``scheduler`` (or, without one, a local cluster of ``jobs`` workers).
    ``progress(done, total)`` is called after each file. Files that are not
    readable reports become ``failed`` rows; a second file of the same content
    a ``duplicate`` row; a file in a format that is not read (not one of
    :data:`gkdata.formats.SUFFIXES`) an ``unsupported`` row with the reason, not parsed nor cached.
    Hidden files and folders are not inputs (see :func:`gkdata.corpus.find_inputs`).

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> print(build("data/raw", f"{tmp.name}/processed"))  # doctest: +ELLIPSIS
    5 files · 5 ok · 0 failed · 0 duplicate · 0 unsupported · 0 from cache · findings: 7 error, ...
    >>> build("data/raw", f"{tmp.name}/processed").from_cache
    5
    >>> tmp.cleanup()
    """
    start = time.perf_counter()
    raw, out = Path(raw), Path(out)
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    _check_folders(raw, out)
    files = find_inputs(raw)
    if not files:
        raise FileNotFoundError(f"{raw}: no input files ({', '.join(formats.SUFFIXES)}) in it")
    names = [f.relative_to(raw).as_posix() for f in files]  # outputs do not depend on where RAW is
    cache = Path(".cache", f"v{PARSER_VERSION}.sqlite")  # under OUT
    pending: dict[int, Result] = {}  # results not yet appended to the corpus, which takes them in path order
    seconds = [0.0] * len(files)
    cached: set[int] = set()

    finished = 0

    def done(i: int, res: Result) -> None:
        nonlocal finished
        pending[i] = res
        seconds[i] = res.seconds
        finished += 1
        if progress:
            progress(finished, len(files))

    with store.replacing(out) as new, _Cache(out / cache, new / cache) as results, store.Writer(new) as writer:

        def misses() -> Iterator[tuple[int, bytes, str]]:
            """The files to parse; cache hits are taken on the way (and carried into the new cache)."""
            for i, (file, name) in enumerate(zip(files, names)):
                if formats.unsupported(name):  # an unsupported row: not parsed, not cached
                    done(i, read_input(file, name))
                    continue
                try:
                    data = file.read_bytes()
                except OSError:
                    done(i, parse(file, name))  # a failed row naming why it cannot be read
                    continue
                hit = results.get(_key(hashlib.sha256(data).hexdigest(), name))
                if hit is None:
                    yield i, data, name
                    continue
                cached.add(i)
                done(i, _renamed(hit, name))

        def in_order() -> Iterator[Result]:
            following = 0
            with _executor(executor, jobs, scheduler) as (pool, window):
                for i, res, blob in _run(pool, window, misses()):
                    if res.sha256 is not None:
                        results.put(_key(res.sha256, names[i]), blob)
                    done(i, res)
                    while following in pending:
                        yield pending.pop(following)
                        following += 1
            yield from (pending.pop(i) for i in range(following, len(files)))

        stream(in_order(), writer)  # tables are written as they grow: a large corpus is never whole in memory
        writer.close()
        took = time.perf_counter() - start
        _write_manifest(new / store.MANIFEST, raw, store.load(new, lazy=True), writer.rows, names, seconds, cached,
                        took)
    return Built(store.load(out, lazy=True), out, len(cached), took)


def _renamed(res: Result, name: str) -> Result:
    """A cached result under this build's file name (the same content may have come from another file)."""
    return res._replace(path=name, meta=res.meta and replace(res.meta, source=name))


def _key(sha256: str, name: str) -> str:
    # the suffix is part of the key: a format may be told by the file name as well as by its bytes
    return f"{sha256}{Path(name).suffix.lower()}"


class _Cache:
    """Parse results by key, in one SQLite file per parser version (not a file per report:
    creating 100,000 small files costs more than parsing them).

    Reads the previous build's file, writes a new one that holds the entries this build used.
    """

    def __init__(self, old: Path, new: Path):
        self.old = self._open(old)
        new.parent.mkdir(parents=True, exist_ok=True)
        # Each insert stands alone (no transaction to hold in memory) and unsynced: the file is in the
        # staging folder, which becomes OUT only when the whole build has succeeded.
        self.new = sqlite3.connect(new, isolation_level=None)
        self.new.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               "CREATE TABLE results (key TEXT PRIMARY KEY, result BLOB NOT NULL)")

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection | None:
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            db.execute("SELECT key, result FROM results LIMIT 1")
        except sqlite3.DatabaseError:  # damaged, or not ours: parse everything again
            return None
        return db

    def get(self, key: str) -> Result | None:
        """The cached result, carried into the new cache; None if there is none that can be used."""
        try:
            row = self.old.execute("SELECT result FROM results WHERE key = ?", (key,)).fetchone() if self.old else None
            res = pickle.loads(row[0]) if row else None
        except Exception:  # damaged, or pickled by code that has moved since: parse the file again
            return None
        if not isinstance(res, Result):
            return None
        self.new.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, row[0]))
        return res

    def put(self, key: str, blob: bytes) -> None:
        """Keep a pickled :class:`Result`."""
        self.new.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, blob))

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc) -> None:
        self.new.close()
        if self.old:
            self.old.close()


@contextmanager
def _executor(kind: str, jobs: int, scheduler: str | None) -> Iterator[tuple[Executor | None, int]]:
    """``(executor, tasks to keep in flight)``; no executor means parse in this process."""
    if kind == "processes":
        if jobs == 1:
            yield None, 1
            return
        with ProcessPoolExecutor(jobs) as pool:
            yield pool, 4 * jobs
        return
    try:
        from distributed import Client
    except ImportError as e:
        raise ImportError("executor='dask' needs dask.distributed: pip install 'gkdata[dask]'") from e
    with Client(scheduler) if scheduler else Client(n_workers=jobs, threads_per_worker=1) as client:
        yield client.get_executor(pure=False), 4 * max(1, sum(client.nthreads().values()))


def _run(pool: Executor | None, window: int, tasks: Iterable[tuple[int, bytes, str]]
         ) -> Iterator[tuple[int, Result, bytes]]:
    """Parse ``(i, data, name)`` tasks, yielding ``(i, result, pickled result)`` as they finish.

    Workers get :data:`BATCH` files per task (a task's round trip costs more
    than parsing one file). At most ``window`` tasks are in flight, so memory
    stays bounded however many files there are, and an interrupted build waits for few.
    """
    if pool is None:
        for i, data, name in tasks:
            res = parse(data, name)
            yield i, res, pickle.dumps(res)
        return
    tasks = iter(tasks)
    running: dict[Future, list[int]] = {}

    def unpickled(f: Future) -> Iterator[tuple[int, Result, bytes]]:
        return ((i, pickle.loads(blob), blob) for i, blob in zip(running.pop(f), f.result()))

    while batch := list(islice(tasks, BATCH)):
        running[pool.submit(parse_many, [(data, name) for _, data, name in batch])] = [i for i, _, _ in batch]
        if len(running) >= window:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                yield from unpickled(f)
    for f in as_completed(list(running)):
        yield from unpickled(f)


def _check_folders(raw: Path, out: Path) -> None:
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: no such folder of reports")
    r, o = raw.resolve(), out.resolve()
    if r == o or r.is_relative_to(o) or o.is_relative_to(r):
        raise ValueError(f"{out}: the output folder must be outside the reports folder {raw} and not contain it "
                         "(a build replaces its output folder as a whole)")


def _write_manifest(path: Path, raw: Path, corpus: Corpus, rows: dict[str, int], names: list[str],
                    parse_seconds: list[float], cached: set[int], seconds: float) -> None:
    """What a build did and when: the only place with times, so the tables stay byte-identical."""
    from . import __version__  # the package imports this module first

    r, f = corpus.reports, corpus.findings
    manifest = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "gkdata": __version__,
        "parser_version": PARSER_VERSION,
        "raw": raw.as_posix(),
        "files": len(names),
        "from_cache": len(cached),
        "status": {s: int((r["status"] == s).sum()) for s in STATUSES},
        "findings": {s: int((f["severity"] == s).sum()) for s in SEVERITIES},
        "rows": rows,
        "parse": [{"path": name, "seconds": round(parse_seconds[i], 6), "from_cache": i in cached}
                  for i, name in enumerate(names)],
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
