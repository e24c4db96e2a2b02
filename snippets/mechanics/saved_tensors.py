import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

squares = (x * x).sum()
node = squares.grad_fn.next_functions[0][0]  # the node of x * x in the graph
print(type(node).__name__, torch.equal(node._saved_self, x))  # it saved x

running = x.cumsum(0).sum()  # cumsum saves no tensor: its backward needs none
running.backward()
running.backward()  # works, but only because nothing was saved
print(x.grad)
