import torch

W = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
x = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
y = W @ x  # 3 inputs, 2 outputs
y.backward(gradient=torch.ones_like(x))  # shaped like x, not like y
