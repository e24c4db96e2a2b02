import torch

torch.manual_seed(0)
encoder = torch.nn.Linear(2, 2)  # frozen: it only computes features
head = torch.nn.Linear(2, 1)  # trained on those features
x = torch.tensor([[1.0, 2.0]])

with torch.inference_mode():
    features = encoder(x)
loss = head(features).sum()  # Linear saves its input for the backward
