import warnings

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True):  # slower: for finding bugs
    h = x * 2
    y = h * h  # saves h
    h.add_(1)  # changes it, maybe many lines later
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            y.sum().backward()
        finally:  # the warning, without the file names of its traceback
            text = str(caught[0].message).split(" (Triggered")[0]
            lines = text.splitlines()
            print(caught[0].category.__name__ + ":", lines[0])
            print(lines[-1])  # the last call of the traceback: your line
