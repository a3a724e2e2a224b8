"""PyTorch side of the bench's convergence run: the elastic-wave preset's Adam phase from the same
points and the same initial weights as pinn-torch (read from a JSON file), for a wall-time budget;
prints {"seconds": [...], "loss": [...]} (time at the end of each step since the first began, and
the total loss that step computed).
   python bench/convergence_run.py <problem.json> <threads>"""
import json, math, sys, time
import torch
sys.path.insert(0, __import__("os").path.dirname(__file__))
from torch_bench import mlp, setup

spec = json.load(open(sys.argv[1])); setup(int(sys.argv[2]))
c = spec["constants"]; lam, mu, rho, k, A, B = c["lambda"], c["mu"], c["rho"], c["k"], c["A"], c["B"]
wp, ws = k * math.sqrt((lam + 2 * mu) / rho), k * math.sqrt(mu / rho)
X, XB, XI = (torch.tensor(spec[key], dtype=torch.float32) for key in ("interior", "boundary", "initial"))
net = mlp(spec["sizes"])
with torch.no_grad():
    for q, w in zip(net.parameters(), spec["parameters"]): q.copy_(torch.tensor(w, dtype=torch.float32))

def plane(P):  # the exact solution: ux = A sin(kx − ω_p t), uy = B sin(kx − ω_s t)
    x, t = P[:, 0:1], P[:, 2:3]
    return A * torch.sin(k * x - wp * t), B * torch.sin(k * x - ws * t)
gb, g0 = plane(XB), plane(XI)
v0 = (-A * wp * torch.cos(k * XI[:, 0:1]), -B * ws * torch.cos(k * XI[:, 0:1]))

def grad(f, x): return torch.autograd.grad(f, x, torch.ones_like(f), create_graph=True)[0]

def total():
    x = X.detach().requires_grad_(); u = net(x)
    gx, gy = grad(u[:, 0:1], x), grad(u[:, 1:2], x)
    hx, hy = grad(gx[:, 0:1], x), grad(gy[:, 0:1], x)
    ux_yy, uy_yy = grad(gx[:, 1:2], x)[:, 1:2], grad(gy[:, 1:2], x)[:, 1:2]
    ux_tt, uy_tt = grad(gx[:, 2:3], x)[:, 2:3], grad(gy[:, 2:3], x)[:, 2:3]
    r1 = rho * ux_tt - (lam + 2 * mu) * hx[:, 0:1] - (lam + mu) * hy[:, 1:2] - mu * ux_yy
    r2 = rho * uy_tt - (lam + 2 * mu) * uy_yy - (lam + mu) * hx[:, 1:2] - mu * hy[:, 0:1]
    loss = (r1 ** 2).mean() + (r2 ** 2).mean()
    ub = net(XB); loss = loss + ((ub[:, 0:1] - gb[0]) ** 2).mean() + ((ub[:, 1:2] - gb[1]) ** 2).mean()
    xi = XI.detach().requires_grad_(); ui = net(xi)
    loss = loss + ((ui[:, 0:1] - g0[0]) ** 2).mean() + ((ui[:, 1:2] - g0[1]) ** 2).mean()
    loss = loss + ((grad(ui[:, 0:1], xi)[:, 2:3] - v0[0]) ** 2).mean() + ((grad(ui[:, 1:2], xi)[:, 2:3] - v0[1]) ** 2).mean()
    return loss

opt = torch.optim.Adam(net.parameters(), lr=spec["lr"])
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=spec["gamma"])
seconds, losses = [], []
t0 = time.perf_counter()
while time.perf_counter() - t0 < spec["seconds"]:
    opt.zero_grad(); loss = total()
    loss.backward(); opt.step(); sched.step()
    seconds.append(time.perf_counter() - t0); losses.append(loss.item())  # as pinn-torch's: at the step's end, the loss it stepped from
print(json.dumps({"seconds": seconds, "loss": losses}))
