import torch

w = torch.tensor([3.0, 5.0])


def f(x):
    return (w * x**2).sum()  # f(x1, x2) = 3 x1^2 + 5 x2^2


x = torch.tensor([-1.0, 2.0], requires_grad=True)
f(x).backward()
print(x.grad)  # (6 x1, 10 x2) at (-1, 2)
