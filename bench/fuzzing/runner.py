"""Run inputs each in its own process, with a time and a memory limit, and tally what happened.

A warm parent (every library imported once) forks one child per input; the child makes the input
from the format's seeds (deterministic in the run's seed and the input's index), runs the pipeline
and reports on a pipe. The parent kills a child past the time limit and reads each child's CPU time
and peak memory from the kernel. A child that dies (a kill, a signal, the memory limit) is an outcome
too, never a lost input.
"""

from __future__ import annotations

import json
import os
import random
import resource
import select
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from . import Format
from . import pipeline


@dataclass(frozen=True)
class Limits:
    seconds: float = 5.0  # CPU seconds an input may take; over it is a finding
    kill_after: float = 30.0  # wall seconds after which the child is killed (a hang)
    memory_mb: int = 500  # peak resident memory an input may take; over it is a finding
    address_space_mb: int = 4096  # hard limit on the child's address space above the parent's


def make_input(fmt: Format, seeds: Sequence[tuple[str, bytes]], run_seed: int, index: int) -> tuple[bytes, str, list[str]]:
    rng = random.Random(f"{run_seed}:{fmt.name}:{index}")
    name, data = seeds[rng.randrange(len(seeds))]
    mutated, mutators = fmt.mutate(rng, data, [d for _, d in seeds])
    return mutated, name, mutators


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(fmt: Format, seeds, run_seed: int, index: int, exports, limits: Limits, write_fd: int) -> None:
    result: dict
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        cap = _vm_size() + limits.address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        data, seed_name, mutators = make_input(fmt, seeds, run_seed, index)
        work = Path(tempfile.mkdtemp(prefix="fuzz-"))
        try:
            result = _pipeline_process(fmt, data, work, exports, limits)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result.update(seed=seed_name, mutators=mutators, size=len(data))
    except BaseException as e:  # noqa: BLE001 — the harness itself failed on this input: still a result
        result = {"outcome": "harness-error", "error": type(e).__name__, "detail": str(e)[:300]}
    _send(write_fd, result)
    os._exit(0)


def _pipeline_process(fmt: Format, data: bytes, work: Path, exports, limits: Limits) -> dict:
    """The pipeline in a process of its own, forked once the input is made and its making freed, so
    its CPU time and peak memory are the program's alone (the input written, the maker's memory gone)."""
    path = work / "input.bin"
    path.write_bytes(data)
    del data
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            if fmt.prepare:
                fmt.prepare()
            started = time.process_time()
            result = pipeline.run(fmt.suffix, path.read_bytes(), work, exports)
            result["cpu_pipeline"] = round(time.process_time() - started, 3)
        except BaseException as e:  # noqa: BLE001
            result = {"outcome": "harness-error", "error": type(e).__name__, "detail": str(e)[:300]}
        _send(write_fd, result)
        os._exit(0)
    os.close(write_fd)
    buffer = bytearray()
    deadline = time.monotonic() + limits.kill_after
    while True:
        ready, _, _ = select.select([read_fd], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.close(read_fd)
            _, _, usage = os.wait4(pid, 0)
            return {"outcome": "timeout", "pipeline_peak_mb": round(usage.ru_maxrss / 1024, 1),
                    "cpu_pipeline": round(usage.ru_utime + usage.ru_stime, 3)}
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        buffer.extend(chunk)
    os.close(read_fd)
    _, status, usage = os.wait4(pid, 0)
    try:
        result = json.loads(bytes(buffer))
    except ValueError:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        result = {"outcome": "died", "detail": f"signal {sig}" if sig else f"exit {os.WEXITSTATUS(status)}",
                  "cpu_pipeline": round(usage.ru_utime + usage.ru_stime, 3)}
    result["pipeline_peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def _send(fd: int, result: dict) -> None:
    view = memoryview(json.dumps(result, ensure_ascii=True).encode())
    while view:
        view = view[os.write(fd, view):]


def run(fmt: Format, n: int, run_seed: int, jobs: int, limits: Limits, exports: tuple[str, ...],
        failures: Path | None = None, progress: Callable[[int, int], None] | None = None,
        start: int = 0) -> list[dict]:
    """Inputs ``start`` … ``start + n - 1`` of ``fmt``; one result dict per input, in index order."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = fmt.seeds(Path(tmp))
    results: dict[int, dict] = {}
    running: dict[int, tuple[int, int, float, bytearray]] = {}  # fd → (pid, index, started, buffer)
    pending = iter(range(start, start + n))
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < jobs:
            index = next(pending, None)
            if index is None:
                exhausted = True
                break
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _child(fmt, seeds, run_seed, index, exports, limits, write_fd)
            os.close(write_fd)
            running[read_fd] = (pid, index, time.monotonic(), bytearray())
        if not running:
            break
        ready, _, _ = select.select(list(running), [], [], 0.2)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                running[fd][3].extend(chunk)
                continue
            pid, index, started, buffer = running.pop(fd)
            os.close(fd)
            results[index] = _finish(pid, index, started, buffer, limits)
        now = time.monotonic()
        for fd, (pid, index, started, buffer) in list(running.items()):
            if now - started > limits.kill_after + 60:  # the pipeline's own limit is kill_after; this is the maker's
                os.kill(pid, signal.SIGKILL)
                running.pop(fd)
                os.close(fd)
                result = _finish(pid, index, started, bytearray(), limits)
                result["outcome"] = "timeout"
                results[index] = result
        if progress:
            progress(len(results), n)
    ordered = [results[i] for i in sorted(results)]
    for i, r in zip(sorted(results), ordered):
        r["index"] = i
        if failures is not None and is_failure(r):
            failures.mkdir(parents=True, exist_ok=True)
            try:
                data, _, _ = make_input(fmt, seeds, run_seed, i)
            except Exception:  # noqa: BLE001 — the input could not be made again: the result still stands
                continue
            target = failures / f"{fmt.name}-{run_seed}-{i}{fmt.suffix}"
            target.write_bytes(data)
            r["reproducer"] = str(target)
    return ordered


def _finish(pid: int, index: int, started: float, buffer: bytearray, limits: Limits) -> dict:
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    try:
        result = json.loads(bytes(buffer)) if buffer else None
    except ValueError:
        result = None
    if result is None:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        result = {"outcome": "died", "detail": f"signal {sig}" if sig else f"exit {os.WEXITSTATUS(status)}"}
    cpu = usage.ru_utime + usage.ru_stime  # the input's making and its pipeline
    peak_mb = result.get("pipeline_peak_mb", usage.ru_maxrss / 1024)  # kilobytes on Linux
    # The time that counts is the pipeline's; making the input (a 4 MB repetition, say) is the harness's.
    result.update(cpu=round(cpu, 3), wall=round(wall, 3), peak_mb=round(peak_mb, 1),
                  slow=result.get("cpu_pipeline", cpu) > limits.seconds, big=peak_mb > limits.memory_mb)
    return result


def is_failure(r: dict) -> bool:
    return r["outcome"] not in ("ok", "refused") or r.get("slow") or r.get("big") or bool(r.get("english"))


def failure_key(r: dict) -> str:
    """What makes two failures the same: outcome, stage, exception type and place."""
    if r["outcome"] == "crash":
        return f"crash in {r['stage']}: {r['error']} at {r['place']} (innermost {r['inner']})"
    if r["outcome"] in ("timeout", "died", "harness-error", "mismatch"):
        return f"{r['outcome']}: {r.get('detail', '')[:80]} (mutators {'+'.join(sorted(set(r.get('mutators', []))))})"
    if r.get("slow") or r.get("big"):
        what = "over time" if r.get("slow") else "over memory"
        return f"{what} ({r['outcome']}; mutators {'+'.join(sorted(set(r.get('mutators', []))))})"
    return f"English in a message: {' '.join(sorted(set(r['english'])))[:80]}"


def tally(results: list[dict]) -> dict:
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    return {
        "inputs": len(results),
        "outcomes": outcomes,
        "uncaught": sum(r["outcome"] in ("crash", "died", "harness-error") for r in results),
        "timeouts": outcomes.get("timeout", 0),
        "over_time": sum(bool(r.get("slow")) or r["outcome"] == "timeout" for r in results),
        "over_memory": sum(bool(r.get("big")) for r in results),
        "english": sum(bool(r.get("english")) for r in results),
        "mismatch": outcomes.get("mismatch", 0),
        "max_cpu": max((r.get("cpu_pipeline", r.get("cpu", 0)) for r in results), default=0),
        "max_wall": max((r.get("wall", 0) for r in results), default=0),
        "max_peak_mb": max((r.get("peak_mb", 0) for r in results), default=0),
    }


def distinct_failures(results: list[dict]) -> list[tuple[str, int, dict]]:
    """(key, count, first example) for each distinct failure, most frequent first."""
    groups: dict[str, list[dict]] = {}
    for r in results:
        if is_failure(r):
            groups.setdefault(failure_key(r), []).append(r)
    return sorted(((k, len(v), v[0]) for k, v in groups.items()), key=lambda x: -x[1])
