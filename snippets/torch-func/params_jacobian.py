# --8<-- [start:jacrev]
import torch
from torch.func import functional_call, jacrev

torch.manual_seed(0)
model = torch.nn.Linear(3, 2)
x = torch.tensor([1.0, 2.0, 3.0])
params = dict(model.named_parameters())  # {"weight": ..., "bias": ...}


def output(params):
    return functional_call(model, params, (x,))  # model(x), with params


jac = jacrev(output)(params)  # a dict, one Jacobian per parameter
print({name: tuple(j.shape) for name, j in jac.items()})
print(jac["weight"][0])  # d output_0 / d weight: x in row 0
print(jac["bias"])  # d output / d bias: the identity
# --8<-- [end:jacrev]

# --8<-- [start:check]
y = model(x)
for i in range(2):  # one row of the Jacobian per output, as autograd does it
    gw, gb = torch.autograd.grad(y[i], [model.weight, model.bias],
                                 retain_graph=True)
    same_w = torch.allclose(gw, jac["weight"][i])
    print(i, same_w, torch.allclose(gb, jac["bias"][i]))
# --8<-- [end:check]
