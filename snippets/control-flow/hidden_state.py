import torch

w = torch.tensor(2.0, requires_grad=True)
h = torch.tensor(1.0)  # a state carried from one step to the next
for step in range(2):
    h = w * h  # step 1 builds on the graph of step 0
    loss = h
    loss.backward()  # step 1 goes back into step 0's graph, already freed
    print(step, w.grad)
    w.grad = None
