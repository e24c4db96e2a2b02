import warnings

import numpy as np
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    results = {
        "NumPy": torch.from_numpy(np.square(x.detach().numpy())),
        ".item()": torch.tensor((x**2).sum().item()),
        "float()": torch.tensor(float((x**2).sum())),
        "torch.tensor(t)": torch.tensor(x**2),
        "torch.tensor([a, b])": torch.tensor([x.sum(), x.prod()]),
    }
for name, result in results.items():
    print(f"{name:21} requires_grad={result.requires_grad}")
for warning in caught:
    message = str(warning.message).split(" (Triggered")[0]
    print(warning.category.__name__ + ":", message)
