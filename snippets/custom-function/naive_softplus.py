import torch

x = torch.tensor([-2.0, 0.0, 100.0], requires_grad=True)

naive = torch.log(1 + torch.exp(x))  # exp(100) overflows to inf
naive.backward(gradient=torch.ones_like(naive))
print(naive.detach(), x.grad)

x.grad = None
stable = x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))  # no overflow
stable.backward(gradient=torch.ones_like(stable))
print(stable.detach(), x.grad)  # the derivative at 0 is 0.5, not 1
