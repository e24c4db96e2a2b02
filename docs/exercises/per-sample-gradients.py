# %% [markdown]
# # Exercise: per-sample gradients
#
# A linear model predicts one number from three; its loss on sample $i$ is
# $(\text{model}(x_i) - t_i)^2$. Compute the gradient of each sample's loss
# with respect to the model's weight, for the four samples of the batch: a
# tensor of shape `(4, 1, 3)`, the weight's shape `(1, 3)` for each sample. A
# loop of
# [`backward`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# calls works; `torch.func` does it without one (see [per-sample
# gradients](../../jacobians-without-loops/#per-sample-gradients)).

# %% tags=["checks"]

# %%
torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
inputs = torch.randn(4, 3)
targets = torch.randn(4)

# %% tags=["answer"]
per_sample = ...  # your answer: a tensor of shape (4, 1, 3)

# %% tags=["check"]
expected = []
for i in range(4):
    model.zero_grad()
    ((model(inputs[i]).squeeze() - targets[i]) ** 2).backward()
    expected.append(model.weight.grad.clone())
model.zero_grad()
((model(inputs).squeeze(1) - targets) ** 2).sum().backward()
summed = model.weight.grad.expand(4, 1, 3)  # the summed loss's, four times
check(per_sample, torch.stack(expected), "per_sample", mistakes=[
    (summed, "every sample has the gradient of the whole batch's summed "
     "loss; each needs the gradient of its own loss alone."),
    (summed / 4, "every sample has the gradient of the batch's mean loss; "
     "each needs the gradient of its own loss alone."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# from torch.func import functional_call, grad, vmap
#
#
# def loss(params, x, target):
#     prediction = functional_call(model, params, (x.unsqueeze(0),)).squeeze()
#     return (prediction - target) ** 2
#
#
# params = {name: p.detach() for name, p in model.named_parameters()}
# grads = vmap(grad(loss), in_dims=(None, 0, 0))(params, inputs, targets)
# per_sample = grads["weight"]
# ```
#
# [`grad(loss)`](https://docs.pytorch.org/docs/stable/generated/torch.func.grad.html)
# differentiates with respect to the first argument, the parameters;
# [`vmap`](https://docs.pytorch.org/docs/stable/generated/torch.func.vmap.html)
# maps it over the samples (`in_dims`: the same parameters, one row of inputs
# and targets each), and
# [`functional_call`](https://docs.pytorch.org/docs/stable/generated/torch.func.functional_call.html)
# runs the model with the parameters given as an argument.
#
# </details>
