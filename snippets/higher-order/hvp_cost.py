import torch
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(100, 400), torch.nn.Tanh(), torch.nn.Linear(400, 10)
)
x = torch.randn(10, 100)  # a batch of 10 inputs
params = list(model.parameters())
v = [torch.randn_like(p) for p in params]  # a direction in parameter space


def gradient():
    return torch.autograd.grad(model(x).pow(2).sum(), params)


def hessian_vector_product():  # reverse over reverse
    g = torch.autograd.grad(model(x).pow(2).sum(), params, create_graph=True)
    g_dot_v = sum((g_i * v_i).sum() for g_i, v_i in zip(g, v, strict=True))
    return torch.autograd.grad(g_dot_v, params)


def flops(compute):
    with FlopCounterMode(display=False) as counter:
        compute()
    return counter.get_total_flops()


print(f"forward pass            {flops(lambda: model(x)):>9,}")
print(f"gradient                {flops(gradient):>9,}")
print(f"Hessian-vector product  {flops(hessian_vector_product):>9,}")
