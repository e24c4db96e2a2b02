# --8<-- [start:vmap]
import torch
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
params = dict(model.named_parameters())
buffers = dict(model.named_buffers())  # running statistics of BatchNorm
x = torch.randn(4, 3)


def loss(params, sample):
    out = functional_call(model, (params, buffers), (sample[None],))
    return out.sum()


per_sample = vmap(grad(loss), in_dims=(None, 0))(params, x)
# --8<-- [end:vmap]

# --8<-- [start:grad]
grad(loss)(params, x[0])  # the gradient of one sample's loss: no vmap
# --8<-- [end:grad]
