import torch

examples = {
    "scalar": torch.tensor(3.0),
    "vector": torch.tensor([1.0, 2.0, 3.0]),
    "matrix": torch.zeros(2, 3),
    "column vector": torch.tensor([[1.0], [2.0], [3.0]]),
    "row vector": torch.tensor([[1.0, 2.0, 3.0]]),
    "tensor": torch.zeros(2, 3, 4),
}
for name, t in examples.items():
    print(f"{name:<14} shape={tuple(t.shape)!s:<10} ndim={t.ndim}")
