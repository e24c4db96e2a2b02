import warnings

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    (x**3).sum().backward(create_graph=True)
message = str(caught[0].message).split(" (Triggered")[0]
print(caught[0].category.__name__ + ":", message)
print(x.grad)  # 3x^2, with a history: x holds x.grad, whose graph holds x
x.grad = None  # done with it: break the cycle
