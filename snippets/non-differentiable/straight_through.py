import torch

x = torch.tensor([0.2, 1.7, -0.6], requires_grad=True)
q = x + (x.round() - x).detach()  # the value of x.round(), the history of x
print(q)
loss = (q**2).sum()
loss.backward()
print(x.grad)  # 2 * q: the derivative as if q were x
