import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
loss = w.exp().sum()

loss.backward(retain_graph=True)  # keep the saved values for another pass
loss.backward()
print(w.grad)  # the two passes added up

# Usually the fix is a new forward pass for each backward, as in training.
w.grad = None
for _ in range(2):
    loss = w.exp().sum()
    loss.backward()
print(w.grad)
