import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)


@torch.no_grad()  # the whole function runs as if inside the block
def evaluate(t):
    return t * 2


print(evaluate(x).requires_grad)

for training in (True, False):
    with torch.set_grad_enabled(training):  # one switch, set by a flag
        y = x * 2
    print(training, y.requires_grad)

with torch.no_grad():
    with torch.enable_grad():  # recorded again, inside no_grad
        z = x * 2
    print(z.requires_grad)
