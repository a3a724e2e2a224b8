# Peak memory of the same run as bench/memory_run.mjs, in PyTorch eager (nested autograd.grad).
#   /usr/bin/python3 bench/memory_run.py <steps> <threads> <blasThreads>
import json, resource, sys, time
import torch
sys.path.insert(0, __import__("os").path.dirname(__file__))
from torch_bench import elastic_losses, mlp, setup

steps = int(sys.argv[1]); setup(int(sys.argv[2]), int(sys.argv[3]) if sys.argv[3] != "null" else None)
torch.manual_seed(0)
net = mlp([3, 64, 64, 64, 2]); X = torch.rand(1000, 3)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
t0 = time.perf_counter()
for _ in range(steps):
    opt.zero_grad(); elastic_losses(net, X).backward(); opt.step()
def peak_rss():
    # This process's own peak (VmHWM): ru_maxrss keeps the parent's peak across fork and exec on Linux.
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) * 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"maxRSS": peak_rss(), "seconds": time.perf_counter() - t0}))
