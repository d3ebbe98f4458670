#!/usr/bin/env python3
"""The serving load test (./course serve bench): the model server and wrk on loopback, each pinned to its own core,
for a bounded time per configuration; writes the rows of artifacts/bench/serving.json.

Each configuration starts a fresh server (so each row also measures the cold start: process start to a ready
/health, and the resident memory with the model loaded), warms it up, runs wrk for --seconds, reads the server's
/metrics, and stops it with SIGTERM (a graceful stop that must exit 0). Only the standard library is used."""
import argparse, gzip, json, os, signal, socket, subprocess, sys, time, urllib.error, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FASHION_TEST_IMAGES = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def first_test_image():
    """The first Fashion-MNIST test image as 784 floats in [0, 1] (an ankle boot)."""
    with gzip.open(FASHION_TEST_IMAGES, "rb") as f:
        data = f.read(16 + 784)
    return [round(b / 255, 4) for b in data[16:16 + 784]]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15, in clock ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_config(args, name, engine, batching, connections, server_args):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, COURSE_NUM_THREADS=str(args.server_threads))
    cmd = ["taskset", "-c", args.server_cpus, args.server, "--port", str(port), "--engine", engine] + server_args
    if args.model:
        cmd += ["--model", args.model]
    start = time.monotonic()
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with {server.returncode} before it was ready:\n{server.stderr.read()}")
            try:
                status, _ = get_json(base + "/health")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() - start > 120:
                raise RuntimeError("the server was not ready within 120 s")
            time.sleep(0.02)
        cold_start = time.monotonic() - start
        _, ready = get_json(base + "/metrics")
        rss_loaded = rss_kib(server.pid, "VmRSS")

        def wrk(seconds):
            out = subprocess.run(
                ["taskset", "-c", args.client_cpus, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                 "-s", os.path.join(HERE, "predict.lua"), base + "/predict"],
                env=dict(os.environ, SERVE_BODY=args.body), capture_output=True, text=True, timeout=seconds + 60)
            if out.returncode != 0:
                raise RuntimeError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
            return json.loads(out.stdout.strip().splitlines()[-1])

        wrk(args.warmup)
        _, before = get_json(base + "/metrics")
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server.pid)
        w = wrk(args.seconds)
        server_cpu = cpu_seconds(server.pid) - cpu_before
        _, after = get_json(base + "/metrics")
        rss_peak = rss_kib(server.pid, "VmHWM")
        stop = time.monotonic()
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
        stop_seconds = time.monotonic() - stop
        if code != 0:
            raise RuntimeError(f"the server's graceful stop exited with {code}:\n{server.stderr.read()}")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    seconds = w["duration_us"] / 1e6
    errors = w["status"] + w["connect"] + w["read"] + w["write"] + w["timeout"]
    batches = after["batches"] - before["batches"]
    answered = after["answered"] - before["answered"]
    return {
        "config": name,
        "backend": engine,
        "batching": batching,
        "max_batch": after["max_batch"],
        "max_wait_ms": after["max_wait_ms"],
        "queue_capacity": after["queue_capacity"],
        "connections": connections,
        "seconds": round(seconds, 2),
        "requests": w["requests"],
        "rps": round((w["requests"] - w["status"]) / seconds, 1),
        "p50_ms": round(w["p50_us"] / 1000, 3),
        "p95_ms": round(w["p95_us"] / 1000, 3),
        "p99_ms": round(w["p99_us"] / 1000, 3),
        "max_ms": round(w["max_us"] / 1000, 3),
        "errors": errors,
        "rejected_429": after["rejected_queue_full"] - before["rejected_queue_full"],
        "timed_out_503": after["timed_out"] - before["timed_out"],
        "mean_batch_size": round(answered / batches, 2) if batches else None,
        "server_cpu_percent": round(100 * server_cpu / seconds, 1),
        "cold_start_s": round(cold_start, 3),
        "model_load_s": ready["model_load_seconds"],
        "rss_before_model_mb": round(ready["resident_bytes_before_model"] / 2**20, 1),
        "rss_loaded_mb": round(rss_loaded / 1024, 1),
        "rss_peak_mb": round(rss_peak / 1024, 1),
        "graceful_stop_s": round(stop_seconds, 3),
        "load_average_1min": round(load_before, 2),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--server", required=True, help="the Course.Serving program")
    p.add_argument("--out", required=True, help="where to write the rows (JSON)")
    p.add_argument("--model", help="passed on to the server (default: its own, the checkpoint lenet)")
    p.add_argument("--seconds", type=int, default=12, help="measured seconds per configuration")
    p.add_argument("--warmup", type=int, default=2, help="warm-up seconds per configuration (not measured)")
    p.add_argument("--connections", type=int, default=32, help="wrk's concurrent connections")
    p.add_argument("--server-cpus", default="0", help="taskset CPU list of the server")
    p.add_argument("--client-cpus", default="1", help="taskset CPU list of wrk")
    p.add_argument("--server-threads", type=int, default=1, help="libtorch's intra-op threads in the server")
    p.add_argument("--engines", default="libtorch,onnxruntime", help="comma-separated engines to measure (libtorch, onnxruntime)")
    p.add_argument("--no-overload", action="store_true", help="leave out the overload row (a small queue, many connections)")
    args = p.parse_args()
    if os.cpu_count() < 2:
        print("serving load test: this machine has one core, so the server and wrk share it; the numbers say little", file=sys.stderr)

    body_path = os.path.join(os.path.dirname(os.path.abspath(args.out)), "serving-body.json")
    os.makedirs(os.path.dirname(body_path), exist_ok=True)
    with open(body_path, "w") as f:
        json.dump({"pixels": first_test_image()}, f)
    args.body = body_path

    engines = [e for e in args.engines.split(",") if e]
    configs = []
    for engine in engines:
        configs += [
            (f"{engine}, batching", engine, True, args.connections, ["--max-batch", "32", "--max-wait-ms", "2"]),
            (f"{engine}, no batching", engine, False, args.connections, ["--max-batch", "1"]),
        ]
    if not args.no_overload:
        configs.append((f"{engines[0]}, overload: queue 16, 8x connections", engines[0], True, 8 * args.connections,
                        ["--max-batch", "32", "--max-wait-ms", "2", "--queue", "16", "--timeout-ms", "250"]))
    rows = []
    for name, engine, batching, connections, server_args in configs:
        print(f"serving load test: {name}, {connections} connections, {args.seconds} s ...", file=sys.stderr, flush=True)
        row = run_config(args, name, engine, batching, connections, server_args)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    with open(args.out + ".tmp", "w") as f:
        json.dump(rows, f, indent=1)
    os.replace(args.out + ".tmp", args.out)
    print(f"{'config':<48} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'batch':>6}")
    for r in rows:
        print(f"{r['config']:<48} {r['rps']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} {r['errors']:>7} {r['mean_batch_size'] or '-':>6}")
    for r in rows:
        if "no batching" in r["config"]:
            print(f"{r['backend']}: cold start {r['cold_start_s']} s, resident memory with the model {r['rss_loaded_mb']} MiB")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
