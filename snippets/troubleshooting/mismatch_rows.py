import torch

W = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
x = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
y = W @ x
rows = torch.eye(2)  # the two one-hot vectors of y, stacked: one per row
torch.autograd.grad(y, x, grad_outputs=rows)
