"""PyTorch side of `npm run bench`: a worker that reads one JSON command per line on stdin
and answers one JSON line on stdout. Each case builds its inputs once, then times samples of
`inner` calls with perf_counter_ns, like the JS side. Runs under any torch: /usr/bin/python3
(Debian's 1.13) and a torch 2.x (bench/torch2.mjs finds one). A case's params.variant picks how
PyTorch 2.x computes the PDE's derivatives: 'eager' (nested autograd.grad, the default), 'func'
(per-point Hessians by vmap(jacfwd(jacrev(f)))), and either under torch.compile ('compile',
'func+compile'). A case whose builder returns a function marked self_timed times itself (its
set-up per call, e.g. building the graph a backward pass walks, stays outside the time).

To add a suite: a builder `case_<suite>(params) -> zero-argument callable` registered in CASES
under the suite's name; bench/suites/<suite>.mjs sends `{suite, params}` for each case."""
import ctypes, io, json, os, platform, re, sys, tempfile, time
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

def blas_info():
    """The BLAS torch was built against, as torch.__config__.show() states it (BLAS_INFO=mkl, open, …)."""
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return m.group(1) if m else None

def openblas_core(lib):
    """The kernels OpenBLAS runs (its core name: Cooperlake, Haswell, Prescott …), or None."""
    try:
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except AttributeError:
        return None

def facts(cmd):
    lib = setup(cmd.get("threads"), cmd.get("blasThreads"))
    return {"torch": torch.__version__, "python": platform.python_version(), "threads": torch.get_num_threads(),
            "blas": blas_libraries(), "blasInfo": blas_info(), "blasThreads": lib.openblas_get_num_threads() if lib is not None else None,
            "openblasCore": openblas_core(lib) if lib is not None else None,
            "func": hasattr(torch, "func"), "compile": hasattr(torch, "compile"),
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

def elastic_residuals(u_tt_xx_xy_yy, lam=1.0, mu=0.5, rho=1.0):
    (ux_tt, ux_xx, ux_xy, ux_yy), (uy_tt, uy_xx, uy_xy, uy_yy) = u_tt_xx_xy_yy
    r1 = rho * ux_tt - (lam + 2 * mu) * ux_xx - (lam + mu) * uy_xy - mu * ux_yy
    r2 = rho * uy_tt - (lam + 2 * mu) * uy_yy - (lam + mu) * ux_xy - mu * uy_xx
    return (r1 ** 2).mean() + (r2 ** 2).mean()

def elastic_losses(net, X):
    """The elastic-wave residual loss, each gradient row computed once and reused."""
    x = X.detach().requires_grad_()
    u = net(x)
    def row(f):
        return torch.autograd.grad(f, x, torch.ones_like(f), create_graph=True)[0]
    gx, gy = row(u[:, 0:1]), row(u[:, 1:2])
    hxx, hyx = row(gx[:, 0:1]), row(gy[:, 0:1])
    return elastic_residuals(((row(gx[:, 2:3])[:, 2:3], hxx[:, 0:1], hxx[:, 1:2], row(gx[:, 1:2])[:, 1:2]),
                              (row(gy[:, 2:3])[:, 2:3], hyx[:, 0:1], hyx[:, 1:2], row(gy[:, 1:2])[:, 1:2])))

def elastic_losses_func(net, X):
    """The same loss from per-point Hessians, torch.func's way: vmap(jacfwd(jacrev(f)))."""
    H = torch.func.vmap(torch.func.jacfwd(torch.func.jacrev(net)))(X)  # [N, output, input, input]
    def parts(o): return (H[:, o, 2, 2], H[:, o, 0, 0], H[:, o, 0, 1], H[:, o, 1, 1])
    return elastic_residuals((parts(0), parts(1)))

def loss_function(variant):
    """The residual loss for a variant; torch.compile's failures surface at the first call."""
    fn = elastic_losses_func if variant.startswith("func") else elastic_losses
    return torch.compile(fn) if variant.endswith("compile") else fn

def bc_loss(net, B):
    ub = net(B); return (ub[:, 0:1] ** 2).mean() + (ub[:, 1:2] ** 2).mean()

def ic_loss(net, I):
    xi = I.detach().requires_grad_(); ui = net(xi)[:, 0:1]
    ut = torch.autograd.grad(ui, xi, torch.ones_like(ui), create_graph=True)[0][:, 2:3]
    return (ui ** 2).mean() + (ut ** 2).mean()

def self_timed(fn):
    fn.self_timed = True
    return fn

def with_facts(fn, facts):
    """Sizes reported beside a case's times (bytes of gradients, of a checkpoint): asked after the samples."""
    fn.facts = facts
    return fn

def case_pinn(p):
    torch.manual_seed(0)
    net = mlp(p["sizes"])
    X = torch.rand(p["n"], 3)
    kind, losses = p["kind"], loss_function(p.get("variant", "eager"))
    if kind == "forward":
        def fwd():
            with torch.no_grad(): net(X)
        return fwd
    if kind == "loss":
        return lambda: losses(net, X).item()
    if kind == "term":  # one loss term alone: the PDE residual on X, or the BC / IC terms on n points
        term = {"pde": losses, "bc": bc_loss, "ic": ic_loss}[p["term"]]
        return lambda: term(net, X).item()
    if kind == "backward":
        def bwd():
            net.zero_grad(); losses(net, X).backward()
        return bwd
    if kind == "backward-only":  # the graph is built outside the time: backward() alone
        @self_timed
        def bwd_only():
            net.zero_grad(); loss = losses(net, X)
            t0 = time.perf_counter_ns(); loss.backward(); return time.perf_counter_ns() - t0
        return with_facts(bwd_only, lambda: {"gradientBytes": gradient_bytes(net)})
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    B = torch.rand(p.get("boundary", 0), 3); I = torch.rand(p.get("initial", 0), 3)
    def step():
        opt.zero_grad()
        loss = losses(net, X)
        if len(B): loss = loss + bc_loss(net, B)
        if len(I): loss = loss + ic_loss(net, I)
        loss.backward(); opt.step()
    return with_facts(step, lambda: {"atenOpsPerStep": aten_ops(step)})

def aten_ops(fn):
    """ATen op calls one call of fn makes, nested ones included (pinn-torch's countOps counts the
    same RecordFunction events, so the two sides' figures compare)."""
    with torch.autograd.profiler.profile() as prof:
        fn()
    return sum(1 for e in prof.function_events if e.name.startswith("aten::"))

def gradient_bytes(net):
    return sum(q.grad.numel() * q.grad.element_size() for q in net.parameters() if q.grad is not None)

def case_checkpoint(p):
    """Saving or loading the full training state (weights and Adam's moments) with torch.save /
    torch.load, after one step so Adam's state exists; or training steps with a save every
    `every` steps. Each save is atomic and fsync'd, as pinn-torch's checkpoints are, and its
    fsyncs are timed (reported beside the times). 'encode' is torch.save into memory alone."""
    torch.manual_seed(0)
    net = mlp(p["sizes"]); X = torch.rand(p["n"], 3)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    def step():
        opt.zero_grad(); elastic_losses(net, X).backward(); opt.step()
    step()
    if p["op"] == "encode":
        def encode():
            buf = io.BytesIO()
            torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, buf)
            encoded[0] = buf.tell()
        encoded = [0]
        return with_facts(encode, lambda: {"bytes": encoded[0]})
    folder = tempfile.mkdtemp(prefix="pinn-bench-ckpt-")
    path = os.path.join(folder, "state.pt")
    tally = {"saves": 0, "ns": 0, "fsyncs": 0, "fsync_ns": 0}
    def fsync(fd):
        t0 = time.perf_counter_ns()
        os.fsync(fd)
        tally["fsyncs"] += 1; tally["fsync_ns"] += time.perf_counter_ns() - t0
    def save():  # as durable as pinn-torch's checkpoint: written aside, flushed to disk, renamed into place
        t0 = time.perf_counter_ns()
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, f)
            f.flush(); fsync(f.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(folder, os.O_RDONLY)
        try: fsync(dir_fd)
        finally: os.close(dir_fd)
        tally["saves"] += 1; tally["ns"] += time.perf_counter_ns() - t0
    save()
    def size():
        n = max(1, tally["saves"])
        return {"bytes": os.path.getsize(path), "parameterBytes": sum(q.numel() * q.element_size() for q in net.parameters()),
                "fsyncsPerSave": round(tally["fsyncs"] / n, 1),
                "meanSave": "%.2f ms, of which fsync %.2f ms" % (tally["ns"] / n / 1e6, tally["fsync_ns"] / n / 1e6)}
    if p["op"] == "save": return with_facts(save, size)
    if p["op"] == "load":
        def load():
            state = torch.load(path)
            net.load_state_dict(state["model"]); opt.load_state_dict(state["optimizer"])
        return with_facts(load, lambda: {"bytes": os.path.getsize(path), "parameterBytes": sum(q.numel() * q.element_size() for q in net.parameters())})
    counter = [0]
    def train():
        step(); counter[0] += 1
        if p.get("every") and counter[0] % p["every"] == 0: save()
    return train

CASES = {"ops": case_ops, "optim": case_optim, "pinn": case_pinn, "checkpoint": case_checkpoint}

def run(cmd):
    setup(cmd["threads"], cmd.get("blasThreads"))
    fn = CASES[cmd["suite"]](cmd["params"])
    inner, samples = cmd["inner"], []
    timed = getattr(fn, "self_timed", False)
    for _ in range(max(1, cmd.get("warmup", 1))): [fn() for _ in range(inner)]
    deadline = time.perf_counter() + cmd["maxTime"]
    while len(samples) < cmd["minSamples"] or (time.perf_counter() < deadline and len(samples) < cmd["maxSamples"]):
        if timed:
            samples.append(sum(fn() for _ in range(inner)) / inner)
            continue
        t0 = time.perf_counter_ns()
        for _ in range(inner): fn()
        samples.append((time.perf_counter_ns() - t0) / inner)
    return {"samples": samples, **({"facts": fn.facts()} if hasattr(fn, "facts") else {})}

if __name__ == "__main__":  # bench/memory_run.py imports the cases
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            out = facts(cmd) if cmd.get("facts") else run(cmd)
        except Exception as e:
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n"); sys.stdout.flush()
