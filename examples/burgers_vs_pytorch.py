# PyTorch half of examples/burgers_vs_pytorch.mjs: trains the same network from the same
# initial weights on the same points with Adam, and prints the relative L2 error on the grid.
#   /usr/bin/python3 examples/burgers_vs_pytorch.py <case.json> <adam steps>
import json, math, sys
import torch

case, steps = json.load(open(sys.argv[1])), int(sys.argv[2])
f32 = torch.float32
rows = lambda a: torch.tensor(a, dtype=f32).reshape(-1, 2)
X, B, I = rows(case["pde"]).requires_grad_(), rows(case["bc"]), rows(case["ic"])
layers = []
for k in range(len(case["sizes"]) - 1):
    layers += [torch.nn.Linear(case["sizes"][k], case["sizes"][k + 1]), torch.nn.Tanh()]
net = torch.nn.Sequential(*layers[:-1])
# pinn-torch's MLP names its parameters like this Sequential ('0.weight', '0.bias', '2.weight', ...).
net.load_state_dict({k: torch.tensor(v["data"], dtype=f32).reshape(v["shape"]) for k, v in case["weights"].items()})
opt, nu = torch.optim.Adam(net.parameters(), lr=1e-3), case["nu"]
for _ in range(steps):
    opt.zero_grad()
    u = net(X)
    g = torch.autograd.grad(u, X, torch.ones_like(u), create_graph=True)[0]
    ux, ut = g[:, 0:1], g[:, 1:2]
    uxx = torch.autograd.grad(ux, X, torch.ones_like(ux), create_graph=True)[0][:, 0:1]
    loss = ((ut + u * ux - nu * uxx) ** 2).mean() + (net(B) ** 2).mean() + ((net(I) + torch.sin(math.pi * I[:, 0:1])) ** 2).mean()
    loss.backward()
    opt.step()
with torch.no_grad():
    exact = torch.tensor(case["exact"], dtype=torch.float64)
    err = net(rows(case["grid"])).double().reshape(-1) - exact
print(json.dumps({"relL2": float(err.norm() / exact.norm()), "loss": float(loss)}))
