import torch

x = torch.tensor([0.0, 4.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True):  # on for this block only
    torch.sqrt(x).sum().backward()  # an inf, not a NaN: no error
print(x.grad)
print(torch.isnan(x.grad).any())  # False: isnan misses inf
print(torch.isfinite(x.grad).all())  # False: isfinite catches both
