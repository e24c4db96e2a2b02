# --8<-- [start:split]
import torch

torch.manual_seed(0)
# One model in two halves, on two machines (or devices, or processes):
first = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh())
second = torch.nn.Sequential(torch.nn.Linear(4, 1))
x, target = torch.randn(8, 3), torch.randn(8, 1)

h = first(x)  # the first half runs; h is sent to the second half
h_received = h.detach().requires_grad_()  # the second half's own graph
loss = torch.nn.functional.mse_loss(second(h_received), target)
loss.backward()  # gradients of the second half, and h_received.grad

# h_received.grad (the gradient of the loss with respect to h) is sent back,
# and is exactly the `gradient` the first half needs.
h.backward(gradient=h_received.grad)
split = [p.grad.clone() for p in first.parameters()]
# --8<-- [end:split]

# --8<-- [start:whole]
first.zero_grad()
loss = torch.nn.functional.mse_loss(second(first(x)), target)
loss.backward()  # one backward through the whole model
whole = [p.grad for p in first.parameters()]
print(all(torch.allclose(a, b) for a, b in zip(split, whole, strict=True)))
# --8<-- [end:whole]
