import torch


def f(x):
    if x > 0:  # Python picks the branch, from the value x has now
        return x**2
    return 3 * x


for value in (2.0, 0.0, -2.0):
    x = torch.tensor(value, requires_grad=True)
    y = f(x)
    y.backward()
    print(value, y.grad_fn.name(), x.grad)
