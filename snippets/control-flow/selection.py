import torch


def grad_of(f):
    x = torch.tensor([1.0, 4.0, 2.0, 3.0], requires_grad=True)
    f(x).sum().backward()
    return x.grad


index = torch.tensor([3, 3])
print("x[1:3]        ", grad_of(lambda x: x[1:3]))
print("x[[0, 0, 3]]  ", grad_of(lambda x: x[[0, 0, 3]]))
print("x.max()       ", grad_of(lambda x: x.max()))
print("sort, first 2 ", grad_of(lambda x: torch.sort(x).values[:2]))
print("topk(x, 2)    ", grad_of(lambda x: torch.topk(x, 2).values))
print("gather [3, 3] ", grad_of(lambda x: torch.gather(x, 0, index)))
