import torch

torch.manual_seed(0)
layer = torch.nn.Linear(2, 3)
x = torch.tensor([[1.0, -2.0]])
h = layer(x)  # Linear saves its input and weight, not its output h
r = h.relu_()  # so relu_ may overwrite h; it returns h itself
print(r is h, h)
h.sum().backward()
print(layer.bias.grad)  # 1 where h > 0, else 0


def first_layer_grad(inplace):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 3),
        torch.nn.ReLU(inplace=inplace),
        torch.nn.Linear(3, 1),
    )
    model(x).sum().backward()
    return model[0].weight.grad


print(torch.equal(first_layer_grad(True), first_layer_grad(False)))
