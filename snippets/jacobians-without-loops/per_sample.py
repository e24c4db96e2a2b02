# --8<-- [start:vmap]
import torch
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
inputs = torch.randn(4, 3)
targets = torch.randn(4)


def loss(params, x, target):
    """The squared error of one sample, a function of the parameters."""
    prediction = functional_call(model, params, (x.unsqueeze(0),)).squeeze()
    return (prediction - target) ** 2


params = {name: p.detach() for name, p in model.named_parameters()}
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, inputs, targets)
print({name: tuple(g.shape) for name, g in per_sample.items()})
# --8<-- [end:vmap]

# --8<-- [start:loop]
for i in range(4):  # the same gradients, one backward per sample
    model.zero_grad()
    ((model(inputs[i]).squeeze() - targets[i]) ** 2).backward()
    same = torch.allclose(model.weight.grad, per_sample["weight"][i])
    print(i, same, torch.allclose(model.bias.grad, per_sample["bias"][i]))
# --8<-- [end:loop]
