import torch

x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
i = torch.argmax(x)  # an integer: use it to select
x[i].backward()  # the value at the position argmax found
print(x.grad)
