import warnings

import torch

warnings.filterwarnings("ignore", "The .grad attribute")  # shown above

w = torch.tensor([1.0, 2.0], requires_grad=True).double()  # or .cuda()
(w**2).sum().backward()
print(w.is_leaf, w.grad)
