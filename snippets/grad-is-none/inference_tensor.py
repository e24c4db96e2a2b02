import torch

w = torch.tensor(2.0, requires_grad=True)
with torch.inference_mode():
    h = torch.tensor([1.0, 2.0]) * 3  # an inference tensor
loss = (w * h).sum()  # the product must save h for the gradient of w
