"""Build: every report under RAW -> checked tables in OUT, cached and in parallel.

A file is read once in this process and hashed (an archive's members are inflated
here, one at a time, and each hashed); a parse result already in the
cache (``OUT/.cache/v<PARSER_VERSION>.sqlite``, keyed by sha256 and suffix) is reused,
the rest are parsed here (``jobs=1``), in worker processes, or on a dask
cluster. The results are appended in path order by
:func:`gkdata.corpus.stream`, so every executor writes the same bytes. All of
OUT, cache included, is written beside it and swapped in at the end
(:func:`gkdata.store.replacing`): an interrupted build leaves OUT as it was.

No file can stop a build: each is parsed in a worker process under a wall-time
limit (:data:`TIMEOUT`); a file over it, or one whose worker dies, becomes a
``failed`` row with the reason. The cache holds data only (:mod:`gkdata.serial`),
never code.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from . import formats, serial, store
from .corpus import STATUSES, Corpus, Result, archive_rows, compact, input_names, read_input, read_one, stream
from .errors import BuildError, ReportError
from .findings import SEVERITIES
from .formats import legacy
from .limits import read_regular

if TYPE_CHECKING:
    import pandas as pd

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
TIMEOUT = 60.0  # seconds one file may take to parse in a build (a report takes milliseconds, a large PDF seconds)


def parse(source: bytes | str | os.PathLike, name: str) -> Result:
    """Parse one file's bytes (or path) in whatever process runs it.

    >>> parse(b"", "empty.txt").error
    'the file is empty'
    """
    return compact(read_one(source, name))


class Task(NamedTuple):
    """One file to parse: its index in the build, its bytes (or its path, for the worker to read), name
    (relative to RAW) and content hash ('' when the worker reads the file)."""

    i: int
    data: bytes | str
    name: str
    sha256: str


def parse_many(tasks: list[tuple[bytes, str]], timeout: float | None = None) -> list[Parsed | None]:
    """:func:`parse` for several files (one round trip to a worker), each with its :mod:`gkdata.serial` bytes:
    the worker encodes what the cache keeps, and the main process takes the result as it is (no decoding
    nor checking there: it came from this build's own worker, not from a file).

    ``timeout``: parse each file in a thread and give up on it (None in its place) after that many
    seconds, for executors that cannot stop a task (dask's); the process pool stops its workers itself.
    """
    return [_parsed(data, name) if timeout is None else _parse_within(data, name, timeout) for data, name in tasks]


class Parsed(NamedTuple):
    """A worker's answer for one file: the result, and its :mod:`gkdata.serial` bytes for the cache."""

    result: Result
    blob: bytes


def _parsed(data: bytes, name: str) -> Parsed:
    res = parse(data, name)
    return Parsed(res, serial.dump(res))


def _parse_within(data: bytes, name: str, timeout: float) -> Parsed | None:
    out: list[Parsed] = []
    worker = threading.Thread(target=lambda: out.append(_parsed(data, name)), daemon=True)
    worker.start()
    worker.join(timeout)
    return out[0] if out else None


def _over(timeout: float) -> str:
    return f"parsing took longer than {timeout:g} s, the build's limit per file (see timeout / --timeout); stopped"


def _failed(task: Task, reason: str, seconds: float) -> Result:
    """The failed row of a file whose parse did not end (it is not cached: the next build tries again)."""
    size = len(task.data) if isinstance(task.data, bytes) else _size(task.data)
    return Result(task.name, size, seconds, task.sha256 or None, reason, None, None)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class Built:
    """What a build did: the corpus it wrote (its tables read on first use), where, how many files came from
    the cache, how long, and how many rows of each status and findings of each severity."""

    corpus: Corpus
    out: Path
    from_cache: int
    seconds: float
    status: Mapping[str, int]
    findings: Mapping[str, int]

    def __str__(self) -> str:
        status = " · ".join(f"{self.status[s]} {s}" for s in STATUSES)
        sev = ", ".join(f"{self.findings[s]} {s}" for s in SEVERITIES)
        return (f"{sum(self.status.values())} files · {status} · {self.from_cache} from cache · findings: {sev} · "
                f"{self.seconds:.2f} s -> {self.out}")


def build(raw: str | os.PathLike = "data/raw", out: str | os.PathLike = "data/processed", jobs: int = 1,
          executor: str = "processes", scheduler: str | None = None,
          progress: Callable[[int, int], None] | None = None, timeout: float | None = TIMEOUT) -> Built:
    """Parse every file under ``raw`` (recursively) and write the corpus to ``out``.

    ``out`` gets ``<table>.parquet`` and ``<table>.csv`` for reports, disclosure,
    applications, appeals, narrative and findings, a ``manifest.json`` (build
    time, parse time per file) and the ``.cache``. Files are parsed in ``jobs``
    worker processes; ``executor="dask"`` parses on the dask.distributed cluster
    at ``scheduler`` (or, without one, a local cluster of ``jobs`` workers).
    ``progress(done, total)`` is called after each file. Files that are not
    readable reports become ``failed`` rows, as does a file whose parse takes longer
    than ``timeout`` seconds (None: no limit) or whose worker dies; a second file of
    the same content a ``duplicate`` row; a file in a format that is not read (not one of
    :data:`gkdata.formats.SUFFIXES`, or a ``.doc``/``.wps``/``.xls``/``.et`` without LibreOffice: see
    :func:`gkdata.formats.unsupported`) an ``unsupported`` row with the reason, not parsed nor cached.
    Each member of a ``.zip`` is a row of its own, ``archive.zip/member``, cached by its content
    (:mod:`gkdata.archives`; an archive that cannot be read, a zip bomb, is one failed row).
    Hidden files and folders are not inputs (see :func:`gkdata.corpus.find_inputs`).

    Memory does not grow with the number of files: rows are written as they come, in chunks, and the
    cross-report checks work on files of cells beside ``out`` (:class:`gkdata.corpus_checks.CrossReport`).

    One build at a time writes an ``out``; one that finds another at work raises
    :class:`~gkdata.errors.BuildError`, as does a full disk (``out`` is then as it was).

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
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a number of seconds above 0 (or None: no limit), not {timeout!r}")
    _check_folders(raw, out)
    rels = input_names(raw)  # relative to RAW (outputs do not depend on where RAW is), as texts: a million are held
    if not rels:
        raise FileNotFoundError(f"{raw}: no input files ({', '.join(formats.SUFFIXES)}) in it")
    cache = Path(".cache", f"v{PARSER_VERSION}.sqlite")  # under OUT
    rows = 0  # one per file, or per archive member (known once the archive is read)
    pending: dict[int, Result] = {}  # results not yet appended to the corpus, which takes them in row order
    cached: set[int] = set()  # rows from the cache not yet appended
    visited = 0  # files whose rows are counted
    finished = 0
    status: Counter[str] = Counter(dict.fromkeys(STATUSES, 0))
    severity: Counter[str] = Counter(dict.fromkeys(SEVERITIES, 0))
    from_cache = 0

    def done(i: int, res: Result) -> None:
        nonlocal finished
        pending[i] = res
        finished += 1
        if progress:  # the total grows as archives are opened: each member is a row
            progress(finished, rows + len(rels) - visited)

    def row() -> int:
        nonlocal rows
        rows += 1
        return rows - 1

    with _disk_full_is_an_error(out), store.replacing(out) as new, _Cache(out / cache, new / cache) as results, \
            store.Writer(new) as writer, tempfile.TemporaryFile("w+", encoding="utf-8", dir=new) as parsed:

        def lookup(i: int, data: bytes, name: str, sha256: str) -> Task | None:
            """A cache hit is taken (and carried into the new cache); a miss is a task."""
            hit = results.get(_key(sha256, name))
            if hit is None:
                return Task(i, data, name, sha256)
            cached.add(i)
            done(i, _renamed(hit, name))
            return None

        def misses() -> Iterator[Task]:
            """The files (and archive members) to parse; cache hits are taken on the way."""
            nonlocal visited
            root = os.fspath(raw) + "/"  # a text, not a Path: a million of them are made
            local = executor == "processes"  # a dask worker may be on another machine: it is sent the bytes
            for name in rels:
                file = root + name
                if formats.is_archive(name):  # a row per member, each cached by its own content
                    visited += 1
                    for member in archive_rows(file, name):
                        if isinstance(member, Result):  # the archive's failed row, a member not parsed
                            done(row(), member)
                        elif task := lookup(row(), member.data, member.name, member.sha256):
                            yield task
                    continue
                i = row()
                visited += 1
                if formats.unsupported(name):  # an unsupported row: not parsed, not cached
                    done(i, read_input(file, name))
                    continue
                if local and results.old is None:  # nothing to look up: the worker reads and hashes the file
                    yield Task(i, file, name, "")
                    continue
                try:
                    data = read_regular(file, name)
                except ReportError as e:  # not a regular file, too large, unreadable: a failed row saying so
                    done(i, Result(name, 0, 0.0, None, e.reason, None, None))
                    continue
                if task := lookup(i, data, name, hashlib.sha256(data).hexdigest()):
                    yield task

        def in_order() -> Iterator[Result]:
            """Results in row order, each listed in the manifest as it is handed on."""
            following = 0

            def hand_on() -> Iterator[Result]:
                nonlocal following, from_cache
                while following in pending:
                    res, hit = pending.pop(following), following in cached
                    cached.discard(following)
                    from_cache += hit
                    parsed.write(json.dumps({"path": res.path, "seconds": round(res.seconds, 6), "from_cache": hit},
                                            ensure_ascii=False) + ",\n")
                    yield res
                    following += 1

            with _executor(executor, jobs, scheduler, timeout) as pool:
                for i, res, blob in _run(pool, misses()):
                    if blob is not None and _keep(res, res.path):
                        results.put(_key(res.sha256, res.path), blob)
                    done(i, res)
                    yield from hand_on()
            yield from hand_on()

        def write(table: str, df: pd.DataFrame) -> None:
            writer(table, df)
            if table == "reports":
                status.update(df["status"].value_counts().to_dict())
            elif table == "findings":
                severity.update(df["severity"].value_counts().to_dict())

        # tables are written as they grow: a large corpus is never whole in memory
        stream(in_order(), write, reports=len(rels), scratch=new)
        writer.close()
        took = time.perf_counter() - start
        _write_manifest(new / store.MANIFEST, raw, rows, from_cache, dict(status), dict(severity), writer.rows,
                        parsed, took)
    return Built(store.load(out, lazy=True), out, from_cache, took, dict(status), dict(severity))


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextmanager
def _disk_full_is_an_error(out: Path) -> Iterator[None]:
    """A full disk (or a file-size limit) while writing: a :class:`BuildError` saying so, not a traceback
    from whichever writer hit it first (SQLite, Arrow, the manifest)."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as e:
        code = getattr(e, "sqlite_errorname", "")  # SQLite says FULL, or IOERR_WRITE for a size limit
        full = getattr(e, "errno", None) in _FULL or code == "SQLITE_FULL" or code.startswith("SQLITE_IOERR") or any(
            words in str(e).lower() for words in ("no space left", "file too large"))  # Arrow's messages
        if not full:
            raise
        raise BuildError(f"{out}: the build could not be written ({e}): the disk is full, or a file size limit was "
                         f"reached; {out} is as it was before the build") from None


def _renamed(res: Result, name: str) -> Result:
    """A cached result under this build's file name (the same content may have come from another file)."""
    return res._replace(path=name, meta=res.meta and replace(res.meta, source=name))


def _keep(res: Result, name: str) -> bool:
    """Whether a parse result goes into the cache: all but a file that could not be read (no content to key it
    by) and a file LibreOffice did not convert, whose failure may be LibreOffice's (over its time on a busy
    machine, a version that reads it later): it is tried again."""
    return res.sha256 is not None and (res.meta is not None or formats.suffix(name) not in legacy.KINDS)


def _key(sha256: str, name: str) -> str:
    # the suffix is part of the key: a format may be told by the file name as well as by its bytes
    return f"{sha256}{formats.suffix(name)}"


class _Cache:
    """Parse results by key, in one SQLite file per parser version (not a file per report:
    creating 100,000 small files costs more than parsing them).

    Reads the previous build's file, writes a new one that holds the entries this build used.
    Entries are :mod:`gkdata.serial` data; one that does not decode is not used (the file is parsed again).
    Writes go :data:`WRITES` at a time, each batch one transaction, in a thread of their own: the build's
    loop does not wait for the disk (but for the batch before, so at most two are held).
    """

    WRITES = 256

    def __init__(self, old: Path, new: Path):
        self.old = self._open(old)
        new.parent.mkdir(parents=True, exist_ok=True)
        # Unsynced, unjournaled: the file is in the staging folder, which becomes OUT only when the whole build
        # has succeeded. Used by the writing thread only (but for creating the table here, before it starts).
        self.new = sqlite3.connect(new, isolation_level=None, check_same_thread=False)
        self.new.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               "CREATE TABLE results (key TEXT PRIMARY KEY, result BLOB NOT NULL)")
        self.batch: list[tuple[str, bytes]] = []
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="gkdata-cache")
        self.writing: Future | None = None

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
        except sqlite3.DatabaseError:  # damaged past its first page
            return None
        if row is None or not isinstance(row[0], bytes):
            return None
        try:
            res = serial.load(row[0])
        except ValueError:  # damaged, tampered with, or written by another version: parse the file again
            return None
        self.put(key, row[0])
        return res

    def put(self, key: str, blob: bytes) -> None:
        """Keep a :func:`gkdata.serial.dump` of a :class:`Result`."""
        self.batch.append((key, blob))
        if len(self.batch) >= self.WRITES:
            self._flush()

    def _flush(self) -> None:
        if self.writing is not None:
            self.writing.result()  # its error (a full disk) is the build's
        self.writing, self.batch = self.writer.submit(self._write, self.batch), []

    def _write(self, batch: list[tuple[str, bytes]]) -> None:
        with self.new:  # one transaction
            self.new.execute("BEGIN")
            self.new.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", batch)

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                self._flush()
                self.writing.result()
        finally:
            self.writer.shutdown(wait=True)
            self.new.close()
            if self.old:
                self.old.close()


class _Pool(NamedTuple):
    """Where files are parsed: ``submit(tasks)`` runs :func:`parse_many` on them, a future of its
    answers; at most ``window`` tasks in flight; ``timeout`` the limit per file, for the messages."""

    submit: Callable[[list[tuple[bytes, str]]], Future]
    window: int
    timeout: float | None


@contextmanager
def _executor(kind: str, jobs: int, scheduler: str | None, timeout: float | None) -> Iterator[_Pool]:
    """The process pool (pebble's: it stops a worker that runs over its time, and a worker that dies
    fails its task alone), or a dask cluster (whose tasks give up on a file in a thread)."""
    if kind == "processes":
        from pebble import ProcessPool

        pool = ProcessPool(jobs, initializer=_end_with_parent, initargs=(os.getpid(),))
        try:  # a batch may take as long as one file may: one over it is parsed again file by file
            yield _Pool(lambda tasks: pool.schedule(parse_many, (tasks,), timeout=timeout), 4 * jobs, timeout)
        finally:
            pool.stop()  # no worker outlives the build (one may still run a file that overran)
            pool.join()
        return
    try:
        from distributed import Client
    except ImportError as e:
        raise ImportError("executor='dask' needs dask.distributed: pip install 'gkdata[dask]'") from e
    with nullcontext(scheduler) if scheduler else _local_cluster(jobs) as cluster, Client(cluster) as client:
        if not scheduler:  # its workers are still starting
            client.wait_for_workers(jobs, timeout=_ORPHAN_SECONDS)
        tasks = client.get_executor(pure=False)
        yield _Pool(lambda batch: tasks.submit(parse_many, batch, timeout), 4 * max(1, sum(client.nthreads().values())),
                    timeout)


# An orphaned local cluster (its build was killed) ends by itself: its scheduler after this long without a
# task, its workers this long after they lose their scheduler.
_ORPHAN_SECONDS = 60


def _local_cluster(jobs: int):
    """A dask cluster of ``jobs`` single-threaded workers on this machine, for a build given no scheduler.

    Its scheduler runs in a process of its own: dask's default local
    cluster runs it in the build's, which then spent 2.9 ms of CPU per report
    instead of 2.0 (2 workers). (Dask names this cluster experimental; it has
    no Windows support, where the default one is used.)
    """
    from distributed import LocalCluster

    if os.name == "nt":
        return LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
    from distributed.deploy.subprocess import SubprocessCluster

    return SubprocessCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None,
                             scheduler_kwargs={"idle_timeout": f"{_ORPHAN_SECONDS}s"},
                             worker_kwargs={"death_timeout": _ORPHAN_SECONDS})


def _end_with_parent(parent: int) -> None:
    """In each worker: exit once the build's process is gone (even after ``kill -9``, which leaves it no
    time to stop its workers), so no worker is left parsing for nobody."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="gkdata-end-with-parent").start()


def _run(pool: _Pool, tasks: Iterable[Task]) -> Iterator[tuple[int, Result, bytes | None]]:
    """Parse the tasks, yielding ``(i, result, serial bytes to cache or None)`` as they finish.

    Workers get :data:`BATCH` files per task (a task's round trip costs more
    than parsing one file; a file LibreOffice converts goes alone). At most ``window``
    tasks are in flight, so memory stays bounded however many files there are, and an
    interrupted build waits for few.
    A batch that fails as a whole (over its time, its worker died) is parsed again file
    by file, so that only the file to blame becomes a failed row; such rows are not cached.
    """
    tasks = iter(tasks)
    running: dict[Future, tuple[list[Task], float]] = {}

    def submit(batch: list[Task]) -> None:
        running[pool.submit([(t.data, t.name) for t in batch])] = batch, time.perf_counter()

    def finished(f: Future) -> Iterator[tuple[int, Result, bytes | None]]:
        batch, started = running.pop(f)
        try:
            answers = f.result()
        except Exception as e:  # the worker's parse did not end: over its time, or the worker died
            if len(batch) > 1:
                for t in batch:
                    submit([t])
                return
            yield batch[0].i, _failed(batch[0], _why(e, pool.timeout), time.perf_counter() - started), None
            return
        for t, parsed in zip(batch, answers):
            if parsed is None:  # given up on in its worker's thread
                yield t.i, _failed(t, _over(pool.timeout), pool.timeout or 0.0), None
            else:
                yield t.i, *parsed

    for batch in _batches(tasks):
        submit(batch)
        while len(running) >= pool.window:
            for f in wait(running, return_when=FIRST_COMPLETED).done:
                yield from finished(f)
    while running:
        for f in wait(running, return_when=FIRST_COMPLETED).done:
            yield from finished(f)


def _batches(tasks: Iterator[Task]) -> Iterator[list[Task]]:
    """Tasks :data:`BATCH` at a time, but a file LibreOffice converts (seconds each) in a batch of its own, so a
    batch of them is never over the time one file may take."""
    batch: list[Task] = []
    for task in tasks:
        if formats.suffix(task.name) in legacy.KINDS:
            yield [task]
            continue
        batch.append(task)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _why(e: BaseException, timeout: float | None) -> str:
    """The reason a worker gave no result, for a failed row."""
    from concurrent.futures import TimeoutError as Overrun

    if isinstance(e, Overrun):
        return _over(timeout)
    code = getattr(e, "exitcode", None)
    how = f" (exit code {code}{', killed: out of memory?' if code == -9 else ''})" if code is not None else ""
    return f"the worker process parsing it died{how}: {type(e).__name__}: {e}"


def _check_folders(raw: Path, out: Path) -> None:
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: no such folder of reports")
    r, o = raw.resolve(), out.resolve()
    if r == o or r.is_relative_to(o) or o.is_relative_to(r):
        raise ValueError(f"{out}: the output folder must be outside the reports folder {raw} and not contain it "
                         "(a build replaces its output folder as a whole)")


def _write_manifest(path: Path, raw: Path, files: int, from_cache: int, status: dict[str, int],
                    severity: dict[str, int], rows: dict[str, int], parsed: IO[str], seconds: float) -> None:
    """What a build did and when: the only place with times, so the tables stay byte-identical. ``parsed``
    holds the ``parse`` list's entries, a line each, as the build handed them on."""
    from . import __version__  # the package imports this module first

    manifest = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "gkdata": __version__,
        "parser_version": PARSER_VERSION,
        "raw": raw.as_posix(),
        "files": files,
        "from_cache": from_cache,
        "status": status,
        "findings": severity,
        "rows": rows,
    }
    head = json.dumps({**manifest, "parse": []}, ensure_ascii=False, indent=1)
    parsed.seek(0)
    with path.open("w", encoding="utf-8") as f:
        f.write(head[:-len("[]\n}")] + "[\n")
        last = ""
        for line in parsed:  # a line at a time: a million files' entries are not held at once
            f.write(last)
            last = line
        f.write(last.removesuffix(",\n") + "\n ]\n}\n")
