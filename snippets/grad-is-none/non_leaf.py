import warnings

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3  # computed from x: not a leaf
(h**2).sum().backward()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(h.grad)
message = str(caught[0].message).split(" (Triggered")[0]
print(caught[0].category.__name__ + ":", message)
