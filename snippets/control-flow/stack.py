import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
products = [x[0]]
for k in range(1, 3):
    products.append(products[-1] * x[k])  # a running product
out = torch.stack(products)  # one tensor, with the history of each entry
print(out)
out.sum().backward()
print(x.grad)
