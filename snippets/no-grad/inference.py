import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    y = x * 2  # a new tensor: an inference tensor
    v = x.view(2)  # a view of a tensor made outside: not one
print(y.requires_grad, y.grad_fn, torch.is_inference(y), torch.is_inference(v))
print(y + 1)  # outside autograd, an inference tensor works like any other

(x + y).sum().backward()  # recorded: the addition needs to save neither
print(x.grad)

try:
    print(y._version)  # internal: the count of in-place changes to y
except RuntimeError as error:
    print(error)
try:
    y.add_(1)  # an in-place change, outside inference mode
except RuntimeError as error:
    print(error)
