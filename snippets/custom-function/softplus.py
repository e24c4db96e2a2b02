import torch


class SoftPlus(torch.autograd.Function):
    """log(1 + e^x), computed without overflow, with its exact derivative."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(x)  # d/dx log(1 + e^x)


x = torch.tensor([-2.0, 0.0, 100.0], requires_grad=True)
y = SoftPlus.apply(x)
y.backward(gradient=torch.ones_like(y))
print(y.detach(), x.grad)

x.grad = None
torch.nn.functional.softplus(x).sum().backward()  # PyTorch's own softplus
print(x.grad)
