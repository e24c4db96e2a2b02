import warnings

import torch
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
layer = torch.nn.Linear(3, 3)
x = torch.randn(2, 3)  # a batch of data: it requires no grad

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    y = checkpoint(layer, x, use_reentrant=True)
print("UserWarning:", caught[0].message)
print(y.requires_grad)  # the layer's weights will get no gradient

y = checkpoint(layer, x, use_reentrant=False)
y.sum().backward()
print(y.requires_grad, layer.weight.grad is not None)
