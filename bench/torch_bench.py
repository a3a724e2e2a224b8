"""PyTorch side of `npm run bench`: a worker that reads one JSON command per line on stdin
and answers one JSON line on stdout. Each case builds its inputs once, then times samples of
`inner` calls with perf_counter_ns, like the JS side. Run with /usr/bin/python3."""
import json, os, platform, sys, time
import torch

def facts():
    blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() or "mkl" in l.lower()})
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "python": platform.python_version(), "blas": blas}

def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)

def case_ops(p):
    shape, op = p["shape"], p["op"]
    a, b = torch.ones(shape), torch.ones(shape)
    if op == "add": return lambda: a.add(b)
    if op == "mul": return lambda: a.mul(b)
    if op == "tanh": return lambda: a.tanh()
    if op == "matmul": return lambda: a.matmul(b)
    raise ValueError(op)

def case_optim(p):
    torch.manual_seed(0)
    net = mlp(p["sizes"])
    x = torch.rand(p["n"], p["sizes"][0]); y = torch.rand(p["n"], p["sizes"][-1])
    if p["optimizer"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for q in net.parameters(): q.grad = torch.randn_like(q)
        return opt.step
    opt = torch.optim.LBFGS(net.parameters(), lr=1, max_iter=p["maxIter"], history_size=10, line_search_fn="strong_wolfe", tolerance_change=0, tolerance_grad=0)
    def closure():
        opt.zero_grad(); loss = ((net(x) - y) ** 2).mean(); loss.backward(); return loss
    return lambda: opt.step(closure)

CASES = {"ops": case_ops, "optim": case_optim}

def run(cmd):
    torch.set_num_threads(cmd["threads"])
    fn = CASES[cmd["suite"]](cmd["params"])
    inner, samples = cmd["inner"], []
    for _ in range(max(1, cmd.get("warmup", 1))): [fn() for _ in range(inner)]
    deadline = time.perf_counter() + cmd["maxTime"]
    while len(samples) < cmd["minSamples"] or (time.perf_counter() < deadline and len(samples) < cmd["maxSamples"]):
        t0 = time.perf_counter_ns()
        for _ in range(inner): fn()
        samples.append((time.perf_counter_ns() - t0) / inner)
    return {"samples": samples}

for line in sys.stdin:
    cmd = json.loads(line)
    try:
        out = facts() if cmd.get("facts") else run(cmd)
    except Exception as e:
        out = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(out) + "\n"); sys.stdout.flush()
