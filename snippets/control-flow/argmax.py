import torch

x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
i = torch.argmax(x)
print(i, i.dtype, i.requires_grad, i.grad_fn)
i.float().backward()
