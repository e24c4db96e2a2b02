import torch

torch.manual_seed(0)
dropout = torch.nn.Dropout(p=0.5)
ones = torch.ones(4)
print(dropout(ones))  # training mode: some zeroed, the others doubled
dropout.eval()
print(dropout(ones))  # evaluation mode: unchanged

norm = torch.nn.BatchNorm1d(1, affine=False)
batch = torch.tensor([[1.0], [3.0]])
norm.eval()
print(norm(batch).flatten())  # running statistics: mean 0, variance 1
norm.train()
print(norm(batch).flatten())  # the batch's own: mean 2, variance 1
