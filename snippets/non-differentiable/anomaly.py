import warnings

import torch

x = torch.tensor([0.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly():  # slow: for debugging only
    y = torch.where(x > 0, torch.sqrt(x), 0.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            y.sum().backward()
        finally:  # the warning's first line, and the line of code it names
            text = str(caught[0].message).split(" (Triggered")[0]
            print(text.splitlines()[0])
            print(text.splitlines()[-1])
