import torch


class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad_output):
        print("needs_input_grad:", ctx.needs_input_grad)
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = grad_output * b  # d(ab)/da = b
        if ctx.needs_input_grad[1]:
            grad_b = grad_output * a  # d(ab)/db = a
        return grad_a, grad_b  # one value per input of forward


a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])  # a constant: no gradient needed
Mul.apply(a, b).sum().backward()
print(a.grad, b.grad)
