import torch
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
params = dict(model.named_parameters())
buffers = dict(model.named_buffers())
x = torch.randn(4, 3)


def loss(params, sample):
    out = functional_call(model, (params, buffers), (sample[None],))
    return out.sum()


model.eval()  # BatchNorm now uses its running statistics, as constants
per_sample = vmap(grad(loss), in_dims=(None, 0))(params, x)
print({name: tuple(g.shape) for name, g in per_sample.items()})
