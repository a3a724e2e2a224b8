"""PyTorch side of `npm run bench`: a worker that reads one JSON command per line on stdin
and answers one JSON line on stdout. Each case builds its inputs once, then times samples of
`inner` calls with perf_counter_ns, like the JS side. Run with /usr/bin/python3.

To add a suite: a builder `case_<suite>(params) -> zero-argument callable` registered in CASES
under the suite's name; bench/suites/<suite>.mjs sends `{suite, params}` for each case."""
import ctypes, json, platform, sys, time
import torch

def blas_libraries():
    return sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() or "mkl" in l.lower()})

_openblas = []
def openblas():
    """OpenBLAS's own thread pool is separate from torch.set_num_threads: reach it through ctypes."""
    if not _openblas:
        _openblas.append(None)
        for path in blas_libraries():
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_num_threads, lib.openblas_set_num_threads
                _openblas[0] = lib
                break
            except (OSError, AttributeError):
                pass
    return _openblas[0]

def setup(threads=None, blas_threads=None):
    if threads: torch.set_num_threads(threads)
    lib = openblas()
    if lib is not None and blas_threads: lib.openblas_set_num_threads(blas_threads)
    return lib

def facts(cmd):
    lib = setup(cmd.get("threads"), cmd.get("blasThreads"))
    return {"torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(),
            "blas": blas_libraries(), "blasThreads": lib.openblas_get_num_threads() if lib is not None else None,
            "parallel": next((l.strip() for l in torch.__config__.parallel_info().splitlines() if "parallel backend" in l), None)}

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
    dtype = getattr(torch, p.get("dtype", "float32"))
    net = net.to(dtype)
    x = torch.rand(p["n"], p["sizes"][0], dtype=dtype); y = torch.rand(p["n"], p["sizes"][-1], dtype=dtype)
    if p["optimizer"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for q in net.parameters(): q.grad = torch.randn_like(q)
        return opt.step
    start = [q.detach().clone() for q in net.parameters()]
    def closure():
        net.zero_grad(); loss = ((net(x) - y) ** 2).mean(); loss.backward(); return loss
    def step():  # from the same start with a fresh optimizer every call, as the pinn-torch side
        with torch.no_grad():
            for q, s in zip(net.parameters(), start): q.copy_(s)
        opt = torch.optim.LBFGS(net.parameters(), lr=p["lr"], max_iter=p["maxIter"], history_size=p["historySize"],
                                line_search_fn=p["lineSearchFn"], tolerance_change=0, tolerance_grad=0)
        opt.step(closure)
    return step

def elastic_losses(net, X, lam=1.0, mu=0.5, rho=1.0):
    """The elastic-wave residual loss, each gradient row computed once and reused."""
    x = X.detach().requires_grad_()
    u = net(x)
    def row(f):
        return torch.autograd.grad(f, x, torch.ones_like(f), create_graph=True)[0]
    gx, gy = row(u[:, 0:1]), row(u[:, 1:2])
    hxx, hxy_t = row(gx[:, 0:1]), None
    ux_xx, ux_xy = hxx[:, 0:1], hxx[:, 1:2]
    ux_yy = row(gx[:, 1:2])[:, 1:2]
    ux_tt = row(gx[:, 2:3])[:, 2:3]
    hyx = row(gy[:, 0:1])
    uy_xx, uy_xy = hyx[:, 0:1], hyx[:, 1:2]
    uy_yy = row(gy[:, 1:2])[:, 1:2]
    uy_tt = row(gy[:, 2:3])[:, 2:3]
    r1 = rho * ux_tt - (lam + 2 * mu) * ux_xx - (lam + mu) * uy_xy - mu * ux_yy
    r2 = rho * uy_tt - (lam + 2 * mu) * uy_yy - (lam + mu) * ux_xy - mu * uy_xx
    return (r1 ** 2).mean() + (r2 ** 2).mean()

def case_pinn(p):
    torch.manual_seed(0)
    net = mlp(p["sizes"])
    X = torch.rand(p["n"], 3)
    kind = p["kind"]
    if kind == "forward":
        def fwd():
            with torch.no_grad(): net(X)
        return fwd
    if kind == "loss":
        return lambda: elastic_losses(net, X).item()
    if kind == "backward":
        def bwd():
            net.zero_grad(); elastic_losses(net, X).backward()
        return bwd
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    B = torch.rand(p.get("boundary", 0), 3); I = torch.rand(p.get("initial", 0), 3)
    def step():
        opt.zero_grad()
        loss = elastic_losses(net, X)
        if len(B):
            ub = net(B); loss = loss + (ub[:, 0:1] ** 2).mean() + (ub[:, 1:2] ** 2).mean()
        if len(I):
            xi = I.detach().requires_grad_(); ui = net(xi)[:, 0:1]
            ut = torch.autograd.grad(ui, xi, torch.ones_like(ui), create_graph=True)[0][:, 2:3]
            loss = loss + (ui ** 2).mean() + (ut ** 2).mean()
        loss.backward(); opt.step()
    return step

CASES = {"ops": case_ops, "optim": case_optim, "pinn": case_pinn}

def run(cmd):
    setup(cmd["threads"], cmd.get("blasThreads"))
    fn = CASES[cmd["suite"]](cmd["params"])
    inner, samples = cmd["inner"], []
    for _ in range(max(1, cmd.get("warmup", 1))): [fn() for _ in range(inner)]
    deadline = time.perf_counter() + cmd["maxTime"]
    while len(samples) < cmd["minSamples"] or (time.perf_counter() < deadline and len(samples) < cmd["maxSamples"]):
        t0 = time.perf_counter_ns()
        for _ in range(inner): fn()
        samples.append((time.perf_counter_ns() - t0) / inner)
    return {"samples": samples}

if __name__ == "__main__":  # bench/memory_run.py imports the cases
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            out = facts(cmd) if cmd.get("facts") else run(cmd)
        except Exception as e:
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n"); sys.stdout.flush()
