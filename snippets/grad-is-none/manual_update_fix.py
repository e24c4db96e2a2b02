import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
lr = 0.1
for _ in range(3):
    loss = (x**2).sum()
    loss.backward()
    with torch.no_grad():  # the update is not part of the function
        x -= lr * x.grad  # in place: x stays the same leaf
    x.grad = None  # clear it, or the next backward adds to it
    print(x)

# What torch.optim.SGD does, step for step:
y = torch.tensor([1.0, 2.0], requires_grad=True)
optimizer = torch.optim.SGD([y], lr=lr)
for _ in range(3):
    optimizer.zero_grad()
    (y**2).sum().backward()
    optimizer.step()
print(torch.equal(x, y))
