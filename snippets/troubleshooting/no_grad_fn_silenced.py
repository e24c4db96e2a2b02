import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():  # evaluation code, by mistake, around the loss
    loss = (w**2).sum()

loss.requires_grad_(True)  # silences the error ...
loss.backward()
print(w.grad)  # ... but w gets no gradient: the graph was never recorded
