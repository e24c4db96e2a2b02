# --8<-- [start:four]
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

w = torch.tensor([1.0, 2.0], requires_grad=True)
same = w.requires_grad_(False)  # changes w itself, and returns it
print("requires_grad_:", same is w, (w * 2).grad_fn)

d = x.detach()  # a new tensor on x's memory, with no history
print("detach:", d.data_ptr() == x.data_ptr(), (d * 2).grad_fn)

with torch.no_grad():  # a block: nothing in it is recorded
    n = x * 2
print("no_grad:", n.data_ptr() == x.data_ptr(), n.grad_fn)

with torch.inference_mode():  # a block, like no_grad
    i = x * 2
print("inference_mode:", i.data_ptr() == x.data_ptr(), i.grad_fn)
# --8<-- [end:four]

# --8<-- [start:later]
w.requires_grad_(True)  # on again: w is a leaf that requires grad
(w * x).sum().backward()
print(w.grad)  # the gradient of sum(w * x) with respect to w is x

x.grad = None
(d * x + n * x).sum().backward()
print(x.grad)  # d + n: for autograd, both are constants

(i * x).sum()  # refused: i was made in inference mode
# --8<-- [end:later]
