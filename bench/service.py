"""Load bench of the instant-feedback service: many students' self-checks at once, on loopback.

Starts `backprop-grader serve` (its own process, local tokens, SQLite, as an instructor runs it) on a
fresh course directory, then N simulated students (default 200), each an asyncio task that makes
`--attempts` self-checks (default 3) of random checks: ask for practice inputs, run a student-style
function from tests/students on them (as the student's kernel does), send the outputs back, then
read the answer for a random 1-4 s before the next one. The students start within 3 s of each other.
Latency is measured at the client (the figure judged), and inside the service (its Server-Timing
header) to tell the two apart. Bounded in count (N x attempts) and time (--deadline). Prints the load
average before and after, the CPU per request of the service (its process, its workers) and of the
simulated students, p50 / p95 / max latency per request kind and the errors (non-200 answers or
failed connections); exits 1 when p95 >= --target ms or any request failed. The machine's other work
shows in every figure: compare versions back to back, and repeat.

    .venv/bin/python bench/service.py [--clients 200] [--attempts 3] [--target 100] [--client plain|tornado]
"""
import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "source"), str(REPO / "tests")]

import selfcheck  # noqa: E402  (the released client's own encoding)
import students  # noqa: E402


def functions():
    """[(check id, function)]: correct styles, single mistakes and pairs, as students write them."""
    out = []
    for path, check_id, _ in students.cases():
        if any(word in path.stem for word in ("timeout", "numerical", "nondetermin", "slow")):
            continue
        out.append((check_id, getattr(students.load(path), check_id.split(".")[1])))
    return out


def cpu_seconds(pid):
    """(CPU seconds, user + system, used so far by a process, by its live children: the service's workers)."""
    def used(p):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used(pid), sum(used(c) for c in _children(pid))


def _children(pid):
    try:
        return [int(c) for t in Path(f"/proc/{pid}/task").iterdir()
                for c in (t / "children").read_text().split()]
    except OSError:
        return []


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def _server_ms(response):
    """The service's own time for a request (its Server-Timing header), in seconds."""
    return float(response.headers.get("Server-Timing", "app;dur=nan").partition("dur=")[2]) / 1000


class HTTPError(Exception):
    def __init__(self, code, body):
        super().__init__(code)
        self.code, self.body = code, body


class Response:
    def __init__(self, code, headers, body):
        self.code, self.headers, self.body = code, headers, body


class PlainClient:
    """HTTP/1.1 as the self-check sends it (urllib: one connection per request, `Connection: close`), on
    asyncio streams: far less of the bench's own CPU than tornado's client, whose work for 200 students
    in one process delays the reading of every response and so adds to the latency it measures."""

    def __init__(self, port):
        self.port = port

    async def fetch(self, url, method, body, headers):
        path = url.split(f":{self.port}", 1)[1]
        data = body.encode() if isinstance(body, str) else body
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n"
                         f"Content-Length: {len(data)}\r\n{head}\r\n".encode() + data)
            status = (await reader.readline()).split()
            fields = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                fields[name.strip().lower()] = value.strip()
            payload = await reader.readexactly(int(fields.get("content-length", 0)))
        finally:
            writer.close()
        response = Response(int(status[1]), {"Server-Timing": fields.get("server-timing", "app;dur=nan")}, payload)
        if response.code != 200:
            raise HTTPError(response.code, payload)
        return response


async def student(k, port, token, pool, attempts, times, errors, rng, kind):
    if kind == "tornado":
        from tornado.httpclient import AsyncHTTPClient
        client = AsyncHTTPClient()
    else:
        client = PlainClient(port)
    from tornado.httpclient import HTTPClientError
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    base = f"http://127.0.0.1:{port}/api/checks/"
    await asyncio.sleep(rng.uniform(0, 3))                       # students do not all press run at once
    for _ in range(attempts):
        check_id, fn = rng.choice(pool)
        try:
            start = time.perf_counter()
            r = await client.fetch(base + f"{check_id}/trials", method="POST", body="{}", headers=headers)
            times["trials"].append(time.perf_counter() - start)
            times["server"].append(_server_ms(r))
            issued = json.loads(r.body)
            inputs = [{p: selfcheck._from_wire(v) for p, v in a.items()} for a in issued["inputs"]]
            body = json.dumps({"trial_id": issued["trial_id"], "outputs": [selfcheck._outcome(fn, a) for a in inputs],
                               "again": selfcheck._outcome(fn, inputs[0])}, allow_nan=False)
            start = time.perf_counter()
            r = await client.fetch(base + f"{check_id}/answers", method="POST", body=body, headers=headers)
            times["answers"].append(time.perf_counter() - start)
            times["server"].append(_server_ms(r))
            if "message" not in json.loads(r.body):
                errors.append(f"student {k}: an answer without a message")
        except HTTPClientError as err:
            errors.append(f"student {k}, {check_id}: HTTP {err.code} {err.response.body[:120] if err.response else ''}")
        except HTTPError as err:
            errors.append(f"student {k}, {check_id}: HTTP {err.code} {err.body[:120]}")
        except Exception as err:  # noqa: BLE001 - counted, never fatal to the bench
            errors.append(f"student {k}, {check_id}: {type(err).__name__}: {err}")
        await asyncio.sleep(rng.uniform(1, 4))                   # reading the message


async def main_async(args, port, tokens, pool):
    from tornado.httpclient import AsyncHTTPClient
    AsyncHTTPClient.configure(None, max_clients=args.clients)
    times, errors = {"trials": [], "answers": [], "server": []}, []
    rng = random.Random(args.seed)
    tasks = [student(k, port, tokens[k], pool, args.attempts, times, errors, random.Random(rng.random()), args.client)
             for k in range(args.clients)]
    start = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.deadline)
    except asyncio.TimeoutError:
        errors.append(f"the bench passed its deadline of {args.deadline} s")
    return times, errors, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=3, help="self-checks per student (default 3)")
    parser.add_argument("--target", type=float, default=100.0, help="p95 target in ms (default 100)")
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds the whole bench may take")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--client", choices=("plain", "tornado"), default="plain",
                        help="the simulated students' HTTP client: plain asyncio streams, as urllib sends (default), "
                             "or tornado's AsyncHTTPClient")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="backprop-feedback-bench-"))
    (root / "nbgrader_config.py").write_text("c.FeedbackService.attempts_per_hour = 100\n")
    sys.path.insert(0, str(REPO))
    from autograders.instructor.service.store import Store
    store = Store(f"sqlite:///{root / 'feedback.db'}")
    tokens = [store.issue_token(f"student{k:03d}") for k in range(args.clients)]
    store.close()
    port = 20000 + os.getpid() % 20000
    server = subprocess.Popen([sys.executable, "-m", "autograders.instructor.cli", "serve", "--port", str(port)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        server.stdout.readline()                                 # listening
        time.sleep(0.3)
        pool = functions()
        load = os.getloadavg()[0]
        cpu = (*cpu_seconds(server.pid), time.process_time())
        times, errors, seconds = asyncio.run(main_async(args, port, tokens, pool))
        cpu = [b - a for a, b in zip(cpu, (*cpu_seconds(server.pid), time.process_time()))]
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(20)
    every = times["trials"] + times["answers"]
    print(f"{args.clients} students x {args.attempts} self-checks of {len(pool)} student-style functions, "
          f"{args.client} HTTP client: {len(every)} requests in {seconds:.1f} s; load average before {load:.2f}, "
          f"after {load_after:.2f} on {os.cpu_count()} cores")
    n = max(1, len(every))
    print(f"  CPU per request: service {1000 * (cpu[0] + cpu[1]) / n:.2f} ms ({1000 * cpu[0] / n:.2f} in its own "
          f"process, {1000 * cpu[1] / n:.2f} in its workers), simulated students {1000 * cpu[2] / n:.2f} ms")
    for kind, values in (("trials", times["trials"]), ("answers", times["answers"]), ("all", every),
                         ("in server", times["server"])):
        ms = [v * 1000 for v in values]
        print(f"  {kind:9} n={len(ms):4}  p50 {percentile(ms, .5):6.1f} ms  p95 {percentile(ms, .95):6.1f} ms  "
              f"max {max(ms, default=float('nan')):6.1f} ms  mean {statistics.fmean(ms) if ms else float('nan'):6.1f} ms")
    print(f"  errors: {len(errors)}")
    for e in errors[:10]:
        print(f"    {e}")
    p95 = percentile([v * 1000 for v in every], .95)
    ok = not errors and p95 < args.target and len(every) == 2 * args.clients * args.attempts
    print(f"target p95 < {args.target:g} ms and 0 errors: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
