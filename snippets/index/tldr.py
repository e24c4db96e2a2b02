import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2  # three outputs, one per input: y has shape (3,)

y.backward(gradient=torch.ones_like(y))
print(x.grad)  # 2 * x at each of the three points
