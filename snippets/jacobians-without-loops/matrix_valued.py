# --8<-- [start:loop]
import torch
from torch.func import jacfwd, jacrev


def f(x):
    """The matrix [[1, x], [x^2, x^3], [x^4, x^5]], for a scalar x."""
    powers = torch.stack([x**k for k in range(6)])
    return powers.reshape(3, 2)


x = torch.tensor(1.0, requires_grad=True)
y = f(x)
loop = torch.empty(y.shape)
for index in torch.cartesian_prod(torch.arange(3), torch.arange(2)):
    one_hot = torch.zeros(y.shape)
    one_hot[tuple(index)] = 1.0
    (entry,) = torch.autograd.grad(y, x, one_hot, retain_graph=True)
    loop[tuple(index)] = entry
print(loop)
# --8<-- [end:loop]

# --8<-- [start:functional]
J = torch.autograd.functional.jacobian(f, x)
print(J.shape, torch.equal(J, loop))
J = torch.autograd.functional.jacobian(f, x, vectorize=True)
print(J.shape, torch.equal(J, loop))
# --8<-- [end:functional]

# --8<-- [start:func]
print(torch.equal(jacrev(f)(x), loop), torch.equal(jacfwd(f)(x), loop))
# --8<-- [end:func]
