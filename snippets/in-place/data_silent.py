import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()  # saves x: the gradient is 2x = [2, 4]
x.data.add_(1)  # changes x, and its version counter does not see it
print(x._version)
y.backward()
print(x.grad)  # 2 * [2, 3]: computed from the changed x, and wrong
