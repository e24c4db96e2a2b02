import numpy as np
import torch

x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.from_numpy(np.sin(x.numpy()))  # a computation in NumPy
