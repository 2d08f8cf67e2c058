"""Correct: a tiny micrograd-like autodiff (nodes with local gradients, backward in reverse
topological order); the two paths from h1 to L add up because gradients accumulate."""
import math

import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": (),
    "multi_path.dL_dh1": (),
    "multi_path.dL_dw1": (),
    "multi_path.dL_dw": (),
    "multi_path.dL_db": (),
}


class Node:
    def __init__(self, value, parents=()):
        self.value = float(value)
        self.parents = parents          # (parent, local gradient) pairs
        self.grad = 0.0

    def __add__(self, other):
        other = other if isinstance(other, Node) else Node(other)
        return Node(self.value + other.value, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = other if isinstance(other, Node) else Node(other)
        return Node(self.value * other.value, ((self, other.value), (other, self.value)))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.value))
        return Node(s, ((self, s * (1.0 - s)),))

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent, _ in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += local * node.grad


def build_and_backprop(i, t, w, b):
    W = [Node(v) for v in w]
    B = [Node(v) for v in b]
    i1, i2 = float(i[0]), float(i[1])
    h1 = (W[0] * i1 + W[1] * i2 + B[0]).sigmoid()
    h2 = (W[2] * i1 + W[3] * i2 + B[0]).sigmoid()
    o1 = (W[4] * h1 + W[5] * h2 + B[1]).sigmoid()
    o2 = (W[6] * h1 + W[7] * h2 + B[1]).sigmoid()
    e1 = o1 + (-float(t[0]))
    e2 = o2 + (-float(t[1]))
    L = e1 * e1 * 0.5 + e2 * e2 * 0.5
    L.backward()
    return W, B, h1


def dL_dw5(i, t, w, b):
    W, B, h1 = build_and_backprop(i, t, w, b)
    return W[4].grad


def dL_dh1(i, t, w, b):
    W, B, h1 = build_and_backprop(i, t, w, b)
    return h1.grad


def dL_dw1(i, t, w, b):
    W, B, h1 = build_and_backprop(i, t, w, b)
    return W[0].grad


def dL_dw(i, t, w, b):
    W, B, h1 = build_and_backprop(i, t, w, b)
    return np.array([node.grad for node in W])


def dL_db(i, t, w, b):
    W, B, h1 = build_and_backprop(i, t, w, b)
    return np.array([node.grad for node in B])
