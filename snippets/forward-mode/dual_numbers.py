import torch
import torch.autograd.forward_ad as fwAD

x = torch.tensor([1.0, 2.0, 3.0])
u = torch.tensor([1.0, 0.0, -1.0])

with fwAD.dual_level():
    dual = fwAD.make_dual(x, u)  # x, carrying the direction u along
    y = torch.stack([dual[0] * dual[1], dual[1] + dual[2] ** 2])
    primal, tangent = fwAD.unpack_dual(y)
print(primal, tangent)  # f(x), and J u
