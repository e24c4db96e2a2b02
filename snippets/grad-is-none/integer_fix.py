import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)  # 1.0, not 1
y = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)
print(x.dtype, y.dtype)
print((x * 2).long().requires_grad)  # an integer result has no gradient
