"""Scenarios that drive the "C# (course)" kernel through jupyter_client, as a front end does.

    /usr/bin/python3 kernel_scenarios.py <scenario> <notebook-folder>

Each scenario prints what it saw and exits 0 when the kernel behaved, 1 (with the reason) when not.
The csharp-course kernelspec must be findable (JUPYTER_DATA_DIR); csharp-course-hb is the same kernel started
with --no-parent-watch --heartbeat-timeout 3.
"""
import json
import os
import signal
import subprocess
import sys
import time

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 120


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(kc, code, timeout=TIMEOUT, on_output=None):
    """Executes code; returns (reply content, [(msg_type, content)]) with every iopub message of that request."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind not in ("status", "execute_input"):
            outputs.append((kind, content))
            if on_output:
                on_output(kind, content)
    return reply_to(kc, msg_id)["content"], outputs


def reply_to(kc, msg_id, timeout=10):
    """The shell reply to msg_id. A kernel_info_reply before it is skipped: start_new_kernel asks for kernel_info again
    each second until one is answered, so a kernel that takes over a second to answer the first (a cold start on a
    busy machine) leaves the answer to a later ask queued on the shell channel."""
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
        check(reply["msg_type"] == "kernel_info_reply", f"the shell channel answered another request: {reply['msg_type']}")


def show(title, reply, outputs):
    print(f"--- {title}: {reply['status']} (execution_count {reply.get('execution_count')})")
    for kind, content in outputs:
        if kind == "stream":
            print(f"    {kind}/{content['name']}: {content['text'].strip()[:200]}")
        elif kind == "error":
            print(f"    error: {content['ename']}: {content['evalue']}")
        else:
            plain = str(content.get("data", {}).get("text/plain", ""))[:120].replace("\n", " | ")
            print(f"    {kind}: {sorted(content.get('data', {}))} {plain}")


def last_text(outputs):
    for kind, content in reversed(outputs):
        if kind == "execute_result":
            return content["data"]["text/plain"]
    raise Failure(f"no execute_result among {[k for k, _ in outputs]}")


def scenario_errors(kc, km):
    """An exception and a compile error are reported and the kernel keeps its state."""
    reply, out = run(kc, "var kept = 41;")
    check(reply["status"] == "ok", f"setup failed: {reply}")
    reply, out = run(kc, 'throw new InvalidOperationException("boom");')
    show("exception", reply, out)
    check(reply["status"] == "error" and reply["ename"] == "System.InvalidOperationException", f"unexpected reply {reply}")
    check([k for k, _ in out] == ["error"], f"expected exactly one error output, got {out}")
    reply, out = run(kc, "int broken = ;")
    show("compile error", reply, out)
    check(reply["status"] == "error" and reply["ename"] == "CompilationError", f"unexpected reply {reply}")
    check(km.is_alive(), "the kernel died after an error")
    reply, out = run(kc, "kept + 1")
    show("after the errors", reply, out)
    check(reply["status"] == "ok" and last_text(out) == "42", f"the state was lost: {reply} {out}")


def scenario_tensors(kc, km):
    """A cell that allocates many tensors and then fails leaves none behind once the error is reported."""
    reply, out = run(kc, '#load "../lib/course.csx"')
    check(reply["status"] == "ok", f"#load failed: {reply}")
    reply, out = run(kc, "var keep = torch.ones(3); Tensor.LiveCount")
    before = int(last_text(out))
    reply, out = run(kc, """
var total = 0.0;
for (int i = 0; i < 200; i++)
{
    var a = torch.randn(256, 256);
    var b = a.matmul(a).relu();
    total += b.sum().item<float>();
}
throw new InvalidOperationException($"failed after allocating, total {total:F0}");
""")
    show("allocate and fail", reply, out)
    check(reply["status"] == "error", f"the cell should fail: {reply}")
    reply, out = run(kc, "Tensor.LiveCount")
    after = int(last_text(out))
    print(f"    live tensors before {before}, after {after}")
    check(after == before, f"{after - before} tensors leaked (before {before}, after {after})")
    reply, out = run(kc, "keep.sum().item<float>()")
    check(last_text(out) == "3", f"a tensor of an earlier cell was lost: {out}")


TRAINING = """
var model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1));
var opt = optim.SGD(model.parameters(), learningRate: 0.01);
var x = torch.randn(64, 16); var y = torch.randn(64, 1);
var p = Progress.Start(1_000_000, "training");
int steps = 0;
for (int step = 0; step < 1_000_000; step++)
{
    using var scope = torch.NewDisposeScope();
    opt.zero_grad();
    var loss = nn.functional.mse_loss(model.forward(x), y);
    loss.backward();
    opt.step();
    steps++;
    p.Step(loss.item<float>());
}
"""


def interrupted_training(kc, km, interrupt, label):
    reply, out = run(kc, '#load "../lib/course.csx"')
    check(reply["status"] == "ok", f"#load failed: {reply}")
    msg_id = kc.execute(TRAINING)
    started = time.time()
    outputs = []
    interrupted_at = None
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind not in ("status", "execute_input"):
            outputs.append((kind, content))
        if interrupted_at is None and kind in ("display_data", "update_display_data") and time.time() - started > 2:
            print(f"    {label} sent {time.time() - started:.1f} s after the cell started")
            interrupt()
            interrupted_at = time.time()
        # a loop the interrupt did not stop is a failure with its cause, not a hang until the test's own timeout
        check(interrupted_at is None or time.time() - interrupted_at < 30, f"the loop still ran 30 s after {label}")
        check(interrupted_at is not None or time.time() - started < 120, "no progress display within 120 s to interrupt")
    reply = reply_to(kc, msg_id)["content"]
    stopped_after = time.time() - interrupted_at if interrupted_at else None
    kinds = sorted({k for k, _ in outputs})
    print(f"--- training interrupted by {label}: {reply['status']} {reply.get('ename')}, stopped {stopped_after:.2f} s after the interrupt; outputs {kinds}")
    check(interrupted_at is not None, "the training cell showed no progress to interrupt")
    check(reply["status"] == "error" and "OperationCanceled" in reply.get("ename", ""), f"unexpected reply {reply}")
    check(stopped_after < 5, f"the loop took {stopped_after:.1f} s to stop")
    check("update_display_data" in kinds, "the progress display was never updated in place")
    reply, out = run(kc, "steps")
    steps = int(last_text(out))
    print(f"    the session is usable: steps = {steps}")
    check(steps > 0, "no training step ran")
    reply, out = run(kc, "model.forward(x).shape[0]")
    check(last_text(out) == "64", f"the model is unusable after the interrupt: {out}")


def scenario_interrupt(kc, km):
    """interrupt_request on the control channel (kernelspec interrupt_mode "message") stops a training loop."""
    interrupted_training(kc, km, km.interrupt_kernel, "interrupt_request")


def scenario_sigint(kc, km):
    """SIGINT (what interrupt_mode "signal" front ends send) stops a training loop too and never ends the kernel."""
    interrupted_training(kc, km, lambda: os.kill(km.provisioner.process.pid, signal.SIGINT), "SIGINT")
    check(km.is_alive(), "SIGINT ended the kernel")


def scenario_stuck(kc, km):
    """A loop that never checks for interrupts cannot be stopped: the kernel says so and a restart recovers."""
    msg_id = kc.execute('Console.WriteLine("looping"); long n = 0; while (true) { n++; }')
    while True:  # interrupt only once the loop runs (an interrupt during compilation would cancel the cell cleanly)
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and "looping" in msg["content"]["text"]:
            break
    time.sleep(0.5)
    km.interrupt_kernel()
    notice = None
    deadline = time.time() + 30
    while time.time() < deadline and notice is None:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and "Restart the kernel" in msg["content"]["text"]:
            notice = msg["content"]["text"]
    print(f"--- stuck loop: notice {notice!r}")
    check(notice is not None, "no notice that the cell ignores interrupts")
    km.restart_kernel(now=True)
    kc.wait_for_ready(timeout=60)
    reply, out = run(kc, "1 + 1")
    show("after restart", reply, out)
    check(reply["status"] == "ok" and last_text(out) == "2" and reply["execution_count"] == 1, f"the restarted kernel is not fresh: {reply}")


def scenario_bad_signature(kc, km):
    """A message signed with the wrong key is dropped (never executed); a correctly signed one is answered."""
    marker = os.path.join(os.getcwd(), f"bad-signature-{os.getpid()}.txt")
    code = f'System.IO.File.WriteAllText(@"{marker}", "executed");'
    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.connect(f"{km.transport}://{km.ip}:{km.shell_port}")
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    try:
        Session(key=b"not-the-kernel-key").send(sock, "execute_request", content)
        answered = sock.poll(3000)
        print(f"--- badly signed execute_request: answered={bool(answered)}, file written={os.path.exists(marker)}")
        check(not answered, "the kernel answered a badly signed message")
        check(not os.path.exists(marker), "the kernel executed a badly signed message")
        Session(key=km.session.key).send(sock, "execute_request", content)
        check(sock.poll(30000), "no answer to a correctly signed message")
        reply = km.session.recv(sock)[1]
        print(f"    correctly signed: {reply['msg_type']} {reply['content']['status']}")
        check(reply["content"]["status"] == "ok" and os.path.exists(marker), f"the correctly signed message failed: {reply}")
    finally:
        sock.close(0)
        ctx.term()
        if os.path.exists(marker):
            os.remove(marker)


def scenario_session(kc, km):
    """The transcript for the README and the report: cells, a display update, completion, an interrupt, a restart."""
    for code in ['#load "../lib/course.csx"', 'Console.WriteLine("hello from C#"); 6 * 7',
                 'var h = display("epoch 1: loss 0.93"); await Task.Delay(200); h.Update("epoch 2: loss 0.41");',
                 'torch.ones(2, 3) * 2', 'Chart.Line(new double[] { 3, 2, 1.5, 1.2 }, name: "loss")']:
        reply, out = run(kc, code)
        print(">>> " + code)
        show("cell", reply, out)
    msg = kc.complete("torch.zer")
    print("--- complete 'torch.zer':", kc.get_shell_msg(timeout=30)["content"]["matches"])
    scenario_interrupt(kc, km)
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=60)
    reply, out = run(kc, "1 + 1")
    show("after restart", reply, out)
    check(reply["execution_count"] == 1, "the restart did not start a fresh kernel")


def scenario_orphan(folder):
    """A client killed with SIGKILL leaves no kernel behind: the kernel sees its parent go and exits."""
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        f"km, kc = start_new_kernel(kernel_name='csharp-course', cwd={folder!r})\n"
        "print(km.provisioner.process.pid, flush=True)\n"
        "time.sleep(600)\n")], stdout=subprocess.PIPE, text=True)
    pid = int(child.stdout.readline())
    check(alive(pid), "the kernel did not start")
    child.kill()
    child.wait()
    gone = wait_gone(pid, 15)
    print(f"--- client killed: kernel pid {pid} exited {gone:.1f} s later" if gone is not None else f"--- kernel {pid} is still running")
    if gone is None:
        os.kill(pid, signal.SIGKILL)
    check(gone is not None, "the kernel outlived its killed client by 15 s")


def scenario_heartbeat(folder):
    """With --heartbeat-timeout, a kernel whose client stops pinging exits even when its parent lives on."""
    km, kc = start_new_kernel(kernel_name="csharp-course-hb", cwd=folder)
    pid = km.provisioner.process.pid
    try:
        kc.hb_channel.start() if not kc.hb_channel.is_alive() else None
        time.sleep(2)
        check(kc.hb_channel.is_beating(), "the heartbeat does not answer")
        kc.hb_channel.stop()
        gone = wait_gone(pid, 15, km)
        print(f"--- heartbeat stopped: kernel exited {gone:.1f} s later" if gone is not None else "--- kernel still running")
        check(gone is not None, "the kernel outlived its silent heartbeat by 15 s")
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, seconds, km=None):
    start = time.time()
    while time.time() - start < seconds:
        if km is not None and not km.is_alive():
            return time.time() - start
        if km is None and not alive(pid):
            return time.time() - start
        time.sleep(0.2)
    return None


def main():
    name, folder = sys.argv[1], sys.argv[2]
    try:
        if name in ("orphan", "heartbeat"):
            globals()[f"scenario_{name}"](folder)
        else:
            if name == "sigint":
                # the kernel starts with SIGINT ignored, as under a front end started in the background
                # (nohup jupyter lab &): it must still hear SIGINT
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            km, kc = start_new_kernel(kernel_name="csharp-course", cwd=folder, startup_timeout=60)
            try:
                globals()[f"scenario_{name}"](kc, km)
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
    except Failure as e:
        print(f"FAILED: {e}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
