import warnings

import torch

x = torch.tensor(2.0, requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    y = float(x) * x  # float(x) is 2.0, a constant: y = 2 * x
message = str(caught[0].message).split(" (Triggered")[0]
print(caught[0].category.__name__ + ":", message)
y.backward()
print(x.grad)  # 2, not the derivative of x**2, 2 * x = 4
