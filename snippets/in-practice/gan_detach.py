import torch

torch.manual_seed(0)
G = torch.nn.Linear(2, 2)  # a generator, much reduced
D = torch.nn.Linear(2, 1)  # and a discriminator
fake = G(torch.randn(4, 2))

# The discriminator's step: fake is an input, a constant for it.
d_loss = D(fake.detach()).mean()
d_loss.backward()
print(D.weight.grad is not None, G.weight.grad)

# The generator's step: through D into G, on G's graph, still whole.
D.zero_grad()
g_loss = -D(fake).mean()
g_loss.backward()
print(G.weight.grad is not None)
