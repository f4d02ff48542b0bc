#!/usr/bin/python3
"""Writes the PyTorch reference runs that the layers tests reproduce (TorchStateDictTest and
TorchStateDictExportTest).

Install PyTorch (Debian 12 ships 1.13 for the system Python; pip is not needed):

    apt-get update && apt-get install -y python3-torch libopenblas0-pthread

Rerun from the repository root, then commit the files it rewrites:

    /usr/bin/python3 tools/layers-fixtures.py

Everything is float64 and seeded. For each case, a PyTorch module (nn.RNN with tanh or relu,
nn.LSTM, nn.GRU; one or two layers; batch_first) runs a batch of 3 sequences of 5 steps of 4
features from a random initial state, and the loss

    loss = sum(output * A) + sum(h_n * B) [+ sum(c_n * C) for nn.LSTM]

with fixed random A, B, C is differentiated with torch.autograd. Each case is one safetensors file
under layers/src/test/resources/pytorch/, written by hand below (the format is an 8-byte
little-endian header length, a JSON header, then little-endian data), holding:

    weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._l1   the module's state_dict()
    input [3, 5, 4], h0 [L, 3, H], c0 [L, 3, H] (nn.LSTM)        what the module was given
    output [3, 5, H], h_n [L, 3, H], c_n [L, 3, H] (nn.LSTM)     what it returned
    loss.A, loss.B, loss.C, loss []                              the loss weights and value
    grad.<state dict name>, grad.input, grad.h0, grad.c0         d loss / d everything

The other direction: layers/src/test/resources/pytorch/exported/<case>.safetensors are state dicts
that Rewind wrote (TorchStateDict.save; the cells and their seeds are in the test class
ExportedFixtures, whose main rewrites them). For each case of EXPORTED_CASES, this script reads the
file as safetensors.torch.load_file would (that package is not in Debian 12, so the reader is
below), builds the module its metadata names (module, input_size, hidden_size, num_layers,
nonlinearity; batch_first), loads the state dict with module.load_state_dict(..., strict=True),
runs the module on a seeded batch of 3 sequences of 5 steps from a random initial state, and writes
exported/<case>.torch.safetensors holding:

    state_dict.<name>                                         module.state_dict() after loading
    input [3, 5, in], h0 [L, 3, H], c0 [L, 3, H] (nn.LSTM)    what the module was given
    output [3, 5, H], h_n [L, 3, H], c_n [L, 3, H] (nn.LSTM)  what it returned

To rewrite those too, first run ExportedFixtures (its Javadoc has the command), then this script.

The Java tests need none of this: they read the committed files.

Every product runs in OpenBLAS, which picks its kernels for the processor. The committed files were
made with OpenBLAS's SkylakeX kernels; on a processor for which it picks others (Haswell, Zen), some
gradients differ in their last bit (at most 1e-15, against the tests' 1e-10). To get the committed
bytes again on a processor with AVX-512, run

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 tools/layers-fixtures.py
"""

import json
import os
import struct

import torch

torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers", "src", "test",
                   "resources", "pytorch")
EXPORTED = os.path.join(OUT, "exported")
BATCH, STEPS, FEATURES, HIDDEN = 3, 5, 4, 3

# The state dicts Rewind wrote, as ExportedFixtures names them; a new case goes at the end, so that
# every other case keeps its seed.
EXPORTED_CASES = ["rnn_tanh_1", "rnn_relu_2", "lstm_1", "lstm_2", "gru_1", "gru_2"]

# name -> (module factory, whether it has a memory c)
CASES = {
    "rnn_tanh_1": (lambda: torch.nn.RNN(FEATURES, HIDDEN, 1, nonlinearity="tanh",
                                        batch_first=True), False),
    "rnn_tanh_2": (lambda: torch.nn.RNN(FEATURES, HIDDEN, 2, nonlinearity="tanh",
                                        batch_first=True), False),
    "rnn_relu_1": (lambda: torch.nn.RNN(FEATURES, HIDDEN, 1, nonlinearity="relu",
                                        batch_first=True), False),
    "rnn_relu_2": (lambda: torch.nn.RNN(FEATURES, HIDDEN, 2, nonlinearity="relu",
                                        batch_first=True), False),
    "lstm_1": (lambda: torch.nn.LSTM(FEATURES, HIDDEN, 1, batch_first=True), True),
    "lstm_2": (lambda: torch.nn.LSTM(FEATURES, HIDDEN, 2, batch_first=True), True),
    "gru_1": (lambda: torch.nn.GRU(FEATURES, HIDDEN, 1, batch_first=True), False),
    "gru_2": (lambda: torch.nn.GRU(FEATURES, HIDDEN, 2, batch_first=True), False),
}


def save_safetensors(path, tensors, metadata):
    """Writes float64 tensors in the safetensors format, data 8-byte aligned."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().to(torch.float64).numpy().astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def load_safetensors(path):
    """The float64 tensors of a safetensors file, in its header's order, and its metadata."""
    with open(path, "rb") as f:
        content = f.read()
    (length,) = struct.unpack("<Q", content[:8])
    header = json.loads(content[8:8 + length].decode("utf-8"))
    data = content[8 + length:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F64":
            raise ValueError(f"{path}: {name} is {entry['dtype']}, not F64")
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float64)
        tensors[name] = values.reshape(entry["shape"])
    return tensors, metadata


def run_tensors(x, h0, c0, output, h_n, c_n):
    """A run's inputs and results under the names the Java tests read; c0 and c_n only for LSTMs."""
    tensors = {"input": x, "h0": h0}
    if c0 is not None:
        tensors["c0"] = c0
    tensors["output"] = output
    tensors["h_n"] = h_n
    if c0 is not None:
        tensors["c_n"] = c_n
    return tensors


def module_for(metadata):
    """The PyTorch module that a state dict written by TorchStateDict.save describes."""
    kinds = {"nn.RNN": torch.nn.RNN, "nn.LSTM": torch.nn.LSTM, "nn.GRU": torch.nn.GRU}
    arguments = {"num_layers": int(metadata["num_layers"]), "batch_first": True}
    if "nonlinearity" in metadata:
        arguments["nonlinearity"] = metadata["nonlinearity"]
    return kinds[metadata["module"]](int(metadata["input_size"]), int(metadata["hidden_size"]),
                                     **arguments)


def run_exported(index, name):
    path = os.path.join(EXPORTED, name + ".safetensors")
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: run ExportedFixtures first (see its Javadoc)")
    state_dict, metadata = load_safetensors(path)
    module = module_for(metadata)
    module.load_state_dict(state_dict, strict=True)
    layers, hidden = module.num_layers, module.hidden_size
    has_memory = isinstance(module, torch.nn.LSTM)
    torch.manual_seed(2000 + index)
    x = torch.randn(BATCH, STEPS, module.input_size)
    h0 = 0.5 * torch.randn(layers, BATCH, hidden)
    c0 = 0.5 * torch.randn(layers, BATCH, hidden) if has_memory else None
    with torch.no_grad():
        if has_memory:
            output, (h_n, c_n) = module(x, (h0, c0))
        else:
            (output, h_n), c_n = module(x, h0), None

    tensors = {"state_dict." + key: value for key, value in module.state_dict().items()}
    tensors.update(run_tensors(x, h0, c0, output, h_n, c_n))
    description = repr(module)
    if isinstance(module, torch.nn.RNN):
        description += f" nonlinearity={module.nonlinearity}"
    metadata = {"module": description, "torch": torch.__version__, "seed": str(2000 + index),
                "loaded": "exported/" + name + ".safetensors"}
    save_safetensors(os.path.join(EXPORTED, name + ".torch.safetensors"), tensors, metadata)
    print(f"exported/{name}: {description}, loaded with strict=True")


def run_case(index, name, factory, has_memory):
    torch.manual_seed(1000 + index)
    module = factory()
    layers = module.num_layers
    x = torch.randn(BATCH, STEPS, FEATURES, requires_grad=True)
    h0 = (0.5 * torch.randn(layers, BATCH, HIDDEN)).requires_grad_()
    c0 = (0.5 * torch.randn(layers, BATCH, HIDDEN)).requires_grad_() if has_memory else None
    a = torch.randn(BATCH, STEPS, HIDDEN)
    b = torch.randn(layers, BATCH, HIDDEN)
    c = torch.randn(layers, BATCH, HIDDEN) if has_memory else None

    if has_memory:
        output, (h_n, c_n) = module(x, (h0, c0))
        loss = (output * a).sum() + (h_n * b).sum() + (c_n * c).sum()
    else:
        (output, h_n), c_n = module(x, h0), None
        loss = (output * a).sum() + (h_n * b).sum()
    loss.backward()

    tensors = {key: value for key, value in module.state_dict().items()}
    tensors.update(run_tensors(x, h0, c0, output, h_n, c_n))
    tensors["loss.A"] = a
    tensors["loss.B"] = b
    if has_memory:
        tensors["loss.C"] = c
    tensors["loss"] = loss
    for key, parameter in module.named_parameters():
        tensors["grad." + key] = parameter.grad
    tensors["grad.input"] = x.grad
    tensors["grad.h0"] = h0.grad
    if has_memory:
        tensors["grad.c0"] = c0.grad
    metadata = {"module": repr(module), "torch": torch.__version__, "seed": str(1000 + index)}
    save_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, metadata)
    print(f"{name}: loss {loss.item():.12f}")


def main():
    os.makedirs(OUT, exist_ok=True)
    for index, (name, (factory, has_memory)) in enumerate(CASES.items()):
        run_case(index, name, factory, has_memory)
    for index, name in enumerate(EXPORTED_CASES):
        run_exported(index, name)


if __name__ == "__main__":
    main()
