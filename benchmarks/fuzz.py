"""Fuzz ``read_report``: mutated seed and generated reports must parse or raise ReportError, quickly.

Each case takes a real seed report or a generated one (every layout and
template) and applies one to three mutations: truncation, deleted, duplicated
or shuffled lines, swapped digits, random bytes, another encoding, huge
numbers, very long lines, pathological repetitions, or a file blown up to
10 MB. ``read_report`` must return a report or raise :class:`gkdata.ReportError`
— any other exception is a bug — within a time limit proportionate to the
input, and large inputs must not take memory out of proportion to their size.

    python benchmarks/fuzz.py               # 100,000 cases
    python benchmarks/fuzz.py --n 2000 --seed 7

A failing case is written to ``benchmarks/fuzz-failures/`` (its bytes and the
reason) and the script exits 1.
"""

from __future__ import annotations

import argparse
import random
import resource
import signal
import sys
import time
import tracemalloc
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import gkdata
from gkdata import synth

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
BIG = 10 * 2 ** 20  # the size the blow-up mutation reaches
MEMORY_FACTOR = 60  # peak Python allocation allowed per input byte, for inputs ≥ 1 MB (beyond a 64 MB base)

Mutation = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    del lines[start: start + rng.choice((1, 1, 2, 5, 30))]
    return b"\n".join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    block = lines[start: start + rng.choice((1, 3, 20, 200))]
    return b"\n".join(lines[:start] + block * rng.choice((2, 3, 50)) + lines[start:])


def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    part = lines[start: start + rng.choice((2, 10, 100))]
    rng.shuffle(part)
    return b"\n".join(lines[:start] + part + lines[start + len(part):])


def swap_digits(rng: random.Random, data: bytes) -> bytes:
    digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
    out = bytearray(data)
    for i in rng.sample(digits, min(len(digits), rng.choice((1, 3, 20)))):
        out[i] = rng.choice(b"0123456789-.,")
    return bytes(out)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 5, 50))):
        i = rng.randrange(len(out) + 1)
        chunk = rng.randbytes(rng.choice((1, 2, 4, 16)))
        out[i: i + (len(chunk) if rng.random() < 0.5 else 0)] = chunk
    return bytes(out)


def other_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    encoding = rng.choice(("gb18030", "gbk", "big5", "utf-16", "utf-16-le", "shift_jis", "latin-1", "utf-8-sig"))
    encoded = text.encode(encoding, errors="replace")
    if rng.random() < 0.3:  # half re-encoded: a file spliced from two sources
        cut = rng.randrange(len(data) + 1)
        return data[:cut] + encoded[cut:]
    return encoded


def huge_number(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    numbered = [i for i, line in enumerate(lines) if any(48 <= b <= 57 for b in line)]
    i = rng.choice(numbered) if numbered else 0
    big = rng.choice((b"9" * rng.choice((20, 400, 5000)), b"1" + b"0" * 4300, b"1e308", b"-" * 3 + b"9" * 30,
                      b"1," * 2000 + b"000", b"9" * 30 + "万元".encode()))
    lines[i] = bytes(b if not 48 <= b <= 57 else 0 for b in lines[i]).replace(b"\x00", b"") + big
    return b"\n".join(lines)


def long_line(rng: random.Random, data: bytes) -> bytes:
    unit = rng.choice(("政府信息公开", "一、", "\t", "|", " ", "第二十条第(", "1", "(一)", "增", "、"))
    line = (unit * (rng.choice((10_000, 200_000)) // len(unit) + 1)).encode()
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


def many_lines(rng: random.Random, data: bytes) -> bytes:
    filler = rng.choice((b"", b"\t", b" |", b"|||", b"\t0", b"0", "三、收到和处理政府信息公开申请情况".encode()))
    lines = _lines(data)
    at = rng.randrange(len(lines) + 1)
    return b"\n".join(lines[:at] + [filler] * rng.choice((1000, 50_000)) + lines[at:])


def blow_up(rng: random.Random, data: bytes) -> bytes:
    """About 10 MB: the report repeated, or padded with prose or cells."""
    how = rng.choice(("repeat", "prose", "cells"))
    if how == "repeat":
        return (data + b"\n") * (BIG // (len(data) + 1) + 1)
    pad = "今年政府信息公开工作取得新成效。\n".encode() if how == "prose" else b"\t0\n"
    return data + pad * (BIG // len(pad))


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "delete_lines": delete_lines, "duplicate_lines": duplicate_lines,
    "shuffle_lines": shuffle_lines, "swap_digits": swap_digits, "random_bytes": random_bytes,
    "other_encoding": other_encoding, "huge_number": huge_number, "long_line": long_line,
    "many_lines": many_lines, "blow_up": blow_up,
}
# Relative frequency: the expensive mutations are rare.
WEIGHTS = {"long_line": 3, "many_lines": 2, "blow_up": 0.02}


class Case(NamedTuple):
    number: int
    base: str
    mutations: tuple[str, ...]
    data: bytes


def bases(seed: int, generated: int = 60) -> list[tuple[str, bytes]]:
    """The seed reports and ``generated`` synthetic ones (every layout and template)."""
    out = [(p.name, p.read_bytes()) for p in SEEDS]
    for i in range(generated):
        s = synth.generate(seed * 1000 + i, layout=synth.LAYOUTS[i % 3], template=("2019", "2021")[i // 3 % 2])
        out.append((f"synth-{seed}-{i}", s.data))
    return out


def cases(n: int, seed: int = 0) -> Iterator[Case]:
    """``n`` fuzz cases, the same for the same seed."""
    rng = random.Random(seed)
    pool = bases(seed)
    names = list(MUTATIONS)
    weights = [WEIGHTS.get(m, 10) for m in names]
    for number in range(n):
        base, data = rng.choice(pool)
        applied = tuple(rng.choices(names, weights, k=rng.choice((1, 1, 2, 3))))
        for m in applied:
            data = MUTATIONS[m](rng, data) if data else data
        yield Case(number, base, applied, data)


def time_limit(size: int) -> float:
    """Seconds one input may take: 2 s, plus 4 s per MB (a MB of table cells takes about 2 s)."""
    return 2.0 + 4.0 * size / 2 ** 20


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread when ``seconds`` pass."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds:.1f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Result(NamedTuple):
    outcome: str  # report | report_error | failure
    seconds: float
    peak: int | None  # peak Python allocation in bytes, measured for large inputs
    problem: str | None


def read(case: Case, limit: float) -> tuple[str, str | None]:
    """(outcome, problem) of reading one case and building its frames within ``limit`` seconds."""
    try:
        with deadline(limit):
            report = gkdata.read_report(case.data, name=f"case-{case.number}")
            for table in ("disclosure", "applications", "appeals", "narrative", "findings"):
                getattr(report, table)  # its frames must build too
    except gkdata.ReportError:
        return "report_error", None
    except Exception:  # the bug this script looks for: anything but ReportError
        return "failure", traceback.format_exc(limit=8)
    return "report", None


def run(case: Case) -> Result:
    """Read one case; a failure is any exception but ReportError, a timeout or memory out of proportion.

    An input of 1 MB or more is read a second time under tracemalloc for its
    peak memory (tracing slows reading several times, so it is not timed).
    """
    limit = time_limit(len(case.data))
    start = time.perf_counter()
    outcome, problem = read(case, limit)
    seconds = time.perf_counter() - start
    peak = None
    if problem is None and len(case.data) >= 2 ** 20:
        tracemalloc.start()
        read(case, 10 * limit)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if peak > MEMORY_FACTOR * len(case.data) + 64 * 2 ** 20:
            outcome, problem = "failure", f"peak memory {peak / 2 ** 20:.0f} MB for {len(case.data) / 2 ** 20:.1f} MB"
    return Result(outcome, seconds, peak, problem)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of cases (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "fuzz-failures",
                        help="where failing cases are written")
    args = parser.parse_args(argv)
    outcomes: Counter[str] = Counter()
    by_mutation: Counter[str] = Counter()
    slowest: list[tuple[float, str, tuple[str, ...], int]] = []  # seconds, base, mutations, size
    peaks: list[tuple[int, int]] = []
    failures = 0
    started = time.perf_counter()
    for case in cases(args.n, args.seed):
        result = run(case)
        outcomes[result.outcome] += 1
        by_mutation.update(case.mutations)
        slowest = sorted([*slowest, (result.seconds, case.base, case.mutations, len(case.data))], reverse=True)[:5]
        if result.peak is not None:
            peaks.append((len(case.data), result.peak))
        if result.problem:
            failures += 1
            args.out.mkdir(parents=True, exist_ok=True)
            stem = args.out / f"seed{args.seed}-case{case.number}"
            stem.with_suffix(".txt").write_bytes(case.data)
            stem.with_suffix(".reason").write_text(f"{case.base} {case.mutations}\n{result.problem}", encoding="utf-8")
            print(f"FAIL case {case.number} ({case.base}, {'+'.join(case.mutations)}): "
                  f"{result.problem.strip().splitlines()[-1]}", flush=True)
        if (case.number + 1) % 10_000 == 0:
            print(f"{case.number + 1} cases, {failures} failures, {time.perf_counter() - started:.0f} s", flush=True)
    total = time.perf_counter() - started
    print(f"\n{args.n} cases in {total:.1f} s ({total / max(args.n, 1) * 1000:.2f} ms each): "
          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in by_mutation.most_common()))
    print("slowest: " + "; ".join(f"{s:.2f} s ({base}, {'+'.join(m)}, {size / 2 ** 20:.1f} MB)"
                                  for s, base, m, size in slowest))
    if peaks:
        size, peak = max(peaks, key=lambda x: x[1] / x[0])
        print(f"largest memory ratio: {peak / 2 ** 20:.0f} MB peak for a {size / 2 ** 20:.1f} MB input "
              f"({peak / size:.1f}× its size)")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"failures: {failures}" + (f" (written to {args.out})" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
