import torch

W = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
x = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
y = W @ x

# ones shaped like y: the sum of the rows of the Jacobian, W
y.backward(gradient=torch.ones_like(y), retain_graph=True)
print(x.grad)

rows = torch.eye(2)  # a batch of two vectors, each shaped like y
(J,) = torch.autograd.grad(y, x, grad_outputs=rows, is_grads_batched=True)
print(J)  # one row of the Jacobian per vector: here W itself
