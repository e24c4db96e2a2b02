import torch
from torch.autograd.functional import jacobian
from torch.func import jacrev

# The same three float32 numbers, added in two orders:
a, b, c = torch.tensor(0.1), torch.tensor(0.3), torch.tensor(1.1)
print(((a + b) + c).item(), (a + (b + c)).item())

torch.manual_seed(0)
W64 = torch.randn(50, 40, dtype=torch.float64)
x64 = torch.randn(40, dtype=torch.float64)


def three_ways(dtype):
    """The column sums of J for tanh(W x), by backward, jacobian and jacrev."""
    W, x = W64.to(dtype), x64.to(dtype).requires_grad_()

    def f(x):
        return torch.tanh(W @ x)

    f(x).backward(torch.ones(50, dtype=dtype))
    return x.grad, jacobian(f, x.detach()).sum(0), jacrev(f)(x.detach()).sum(0)


for dtype, tolerance in ((torch.float32, 1e-5), (torch.float64, 1e-12)):
    by_backward, by_jacobian, by_jacrev = three_ways(dtype)
    gap = max((by_backward - by_jacobian).abs().max(),
              (by_backward - by_jacrev).abs().max())
    print(dtype, "differences below", tolerance, bool(gap < tolerance))
    torch.testing.assert_close(by_backward, by_jacrev)  # raises if not close

zero, noise = torch.zeros(1), torch.tensor([1e-7])  # rounding noise near 0
print(torch.allclose(noise, zero))  # False: atol=1e-08 is tighter than that
torch.testing.assert_close(noise, zero)  # passes: float32's atol is 1e-05
