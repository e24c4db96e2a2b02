import torch


class MaxWithIndex(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        value, index = x.max(dim=0)
        ctx.mark_non_differentiable(index)  # an index has no derivative
        ctx.save_for_backward(index)
        ctx.size = x.shape[0]  # a plain int, kept on ctx
        return value, index

    @staticmethod
    def backward(ctx, grad_value, grad_index):  # one argument per output
        print("grad_index:", grad_index)
        (index,) = ctx.saved_tensors
        grad_x = torch.zeros(ctx.size)
        grad_x[index] = grad_value  # only the largest entry gets a gradient
        return grad_x


x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
value, index = MaxWithIndex.apply(x)
print(value, index, value.requires_grad, index.requires_grad)
value.backward()
print(x.grad)
