import torch

torch.manual_seed(0)
encoder = torch.nn.Linear(2, 2)
head = torch.nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0]])

with torch.inference_mode():
    features = encoder(x)
    inside = features.clone()  # a clone made inside: an inference tensor
features = features.clone()  # a clone made outside: a normal tensor
print(torch.is_inference(inside), torch.is_inference(features))
head(features).sum().backward()
print(torch.equal(head.weight.grad, features))  # d(w . f)/dw = f

with torch.no_grad():  # or no_grad instead: a normal tensor already
    features = encoder(x)
head.weight.grad = None
head(features).sum().backward()
print(torch.equal(head.weight.grad, features))
