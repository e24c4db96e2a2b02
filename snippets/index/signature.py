import inspect

import torch

print(inspect.signature(torch.Tensor.backward))
