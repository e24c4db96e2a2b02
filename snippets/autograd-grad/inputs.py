import torch

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
y = a * b

y.backward(inputs=[a])  # accumulate into a.grad only
print(a.grad, b.grad)
