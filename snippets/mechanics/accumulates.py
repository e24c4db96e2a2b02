import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x**2).sum()

y.backward(retain_graph=True)
print(x.grad)  # 2x
y.backward()
print(x.grad)  # 2x + 2x: the second call added to the first
