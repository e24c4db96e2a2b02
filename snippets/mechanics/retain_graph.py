import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()  # x * x saves x, to compute the derivative 2x later

y.backward()
y.backward()  # the saved x was freed by the first call
