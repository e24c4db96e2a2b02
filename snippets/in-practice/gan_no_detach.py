import torch

torch.manual_seed(0)
G = torch.nn.Linear(2, 2)
D = torch.nn.Linear(2, 1)
fake = G(torch.randn(4, 2))

d_loss = D(fake).mean()  # no detach: this backward goes on into G ...
d_loss.backward()
print(G.weight.grad is not None)  # ... and gives G a gradient it should not

g_loss = -D(fake).mean()
g_loss.backward()  # and G's graph was freed by the first backward
