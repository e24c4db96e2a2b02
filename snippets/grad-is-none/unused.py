import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(2, 2)
        self.extra = nn.Linear(2, 2)  # used only when deep=True

    def forward(self, x, deep=False):
        h = self.body(x)
        if deep:
            h = self.extra(h)
        return h.sum()


torch.manual_seed(0)
net = Net()
net(torch.tensor([[1.0, 2.0]])).backward()
for name, p in net.named_parameters():
    print(f"{name:12} grad is None: {p.grad is None}")
