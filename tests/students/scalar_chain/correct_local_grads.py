"""Correct: a micrograd-style scalar Value graph (local gradients, reverse topological order);
b is used twice in the graph, so its gradient accumulates both paths by itself."""
import math

EXPECTED = {
    "scalar_chain.dL_dw2": (),
    "scalar_chain.dL_dw1": (),
    "scalar_chain.dL_db": (),
    "scalar_chain.sgd_step": (),
}


class Value:
    def __init__(self, data, parents=(), local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __pow__(self, k):
        return Value(self.data ** k, (self,), (k * self.data ** (k - 1),))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, (self,), (s * (1.0 - s),))

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for p in v.parents:
                    visit(p)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for p, local in zip(v.parents, v.local_grads):
                p.grad += local * v.grad


def grads_from_graph(x, y, w1, w2, b):
    W1, W2, B = Value(w1), Value(w2), Value(b)
    L = Value(0.0)
    for xn, yn in zip(x, y):
        h = (W1 * float(xn) + B).sigmoid()
        y_hat = (h * W2 + B).sigmoid()
        L = L + 0.5 * (float(yn) - y_hat) ** 2
    L.backward()
    return W1.grad, W2.grad, B.grad


def dL_dw2(x, y, w1, w2, b):
    return grads_from_graph(x, y, w1, w2, b)[1]


def dL_dw1(x, y, w1, w2, b):
    return grads_from_graph(x, y, w1, w2, b)[0]


def dL_db(x, y, w1, w2, b):
    return grads_from_graph(x, y, w1, w2, b)[2]


def sgd_step(x, y, w1, w2, b, lr):
    g_w1, g_w2, g_b = grads_from_graph(x, y, w1, w2, b)
    return w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b
