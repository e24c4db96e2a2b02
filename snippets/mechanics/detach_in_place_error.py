import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()  # exp saves its result y: the derivative of e^x is e^x
y.detach().zero_()  # zero_() on the detached tensor overwrites y itself
y.sum().backward()
