# --8<-- [start:define]
import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)  # backward will need x
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        print("grad_output:", grad_output)  # the v of y.backward(v)
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2  # v^T J, with J = diag(3 x^2)


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = Cube.apply(x)
print(y)
v = torch.tensor([1.0, 0.5, -1.0])
y.backward(gradient=v)
print("x.grad:     ", x.grad)
# --8<-- [end:define]

# --8<-- [start:graph]
x.grad = None
loss = (Cube.apply(x) * 2).sum()  # Cube is one step of a longer computation
loss.backward()  # v is now d loss / d y = (2, 2, 2)
print("x.grad:     ", x.grad)
# --8<-- [end:graph]
